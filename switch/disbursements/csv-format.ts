// text/csv submissions: a header row `id_type,id_value,amount,currency,name,reference`, then one
// beneficiary a row; fields may be quoted ("a, b" and "" for a quote). The id is the Disbursement-Id header.
import { checkBeneficiaries, refuse, type Beneficiary, type Parsed } from './submission.ts'

export const CSV_COLUMNS = ['id_type', 'id_value', 'amount', 'currency', 'name', 'reference'] as const

/** One line's fields; undefined when a quote is not closed. */
export function splitCsvLine(line: string): string[] | undefined {
  const fields: string[] = []
  let at = 0
  while (true) {
    if (line[at] === '"') {
      let value = ''
      at++
      while (true) {
        const quote = line.indexOf('"', at)
        if (quote < 0) return undefined
        value += line.slice(at, quote)
        if (line[quote + 1] === '"') { value += '"'; at = quote + 2; continue }
        at = quote + 1
        break
      }
      fields.push(value)
      if (at >= line.length) return fields
      if (line[at] !== ',') return undefined
      at++
    } else {
      const comma = line.indexOf(',', at)
      if (comma < 0) { fields.push(line.slice(at).trim()); return fields }
      fields.push(line.slice(at, comma).trim())
      at = comma + 1
    }
  }
}

export function parseCsvSubmission(body: string, disbursementId: string): Parsed {
  const lines = body.replace(/^\uFEFF/, '').split(/\r?\n/)
  while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop()
  const header = splitCsvLine(lines[0] ?? '')?.map((h) => h.toLowerCase())
  if (!header || header.join(',') !== CSV_COLUMNS.join(',')) return refuse('malformed', `the header row must be exactly ${CSV_COLUMNS.join(',')}`)
  const rows: { row: number; currency: string; beneficiary: Beneficiary }[] = []
  const bad: number[] = []
  for (let i = 1; i < lines.length; i++) {
    const fields = splitCsvLine(lines[i]!)
    if (!fields || fields.length !== CSV_COLUMNS.length) { bad.push(i); continue }
    const [idType, idValue, amount, currency, name, reference] = fields as [string, string, string, string, string, string]
    rows.push({ row: i, currency, beneficiary: { idType, idValue, amount, name, reference } })
  }
  if (bad.length > 0) return refuse('malformed', `row(s) ${bad.slice(0, 20).join(', ')}${bad.length > 20 ? ' …' : ''}: not ${CSV_COLUMNS.length} fields; nothing was accepted`, bad)
  const checked = checkBeneficiaries(rows)
  if (!checked.ok) return { ok: false, refusal: checked.refusal }
  return { ok: true, submission: { format: 'csv', disbursementId, currency: checked.currency, beneficiaries: checked.beneficiaries, meta: {} } }
}
