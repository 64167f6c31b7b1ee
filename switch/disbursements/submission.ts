// What a payer submits, whatever its format: a disbursement id, one currency and the beneficiaries in
// order. A file is taken whole or refused whole: one bad row refuses the file (nothing is created, nothing
// moves), and the refusal names the rows, so the payer fixes the file and sends it again with the same id.
import { createHash } from 'node:crypto'
import { checkAmount, formatAmount } from '../../ledger/domain/money.ts'

export type SubmissionFormat = 'pain.001' | 'csv' | 'gsma'

/** Beneficiaries in one disbursement, at most. */
export const BENEFICIARIES_MAX = 200_000
/** Rows named in a refusal, at most (the rest are counted). */
export const REFUSED_ROWS_NAMED_MAX = 20
export const DISBURSEMENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/
/** FSPIOP party id types a beneficiary may be named by. */
export const PARTY_ID_TYPES = ['MSISDN', 'EMAIL', 'PERSONAL_ID', 'BUSINESS', 'DEVICE', 'ACCOUNT_ID', 'IBAN', 'ALIAS'] as const
const NAME_CHARS_MAX = 140

export interface Beneficiary {
  idType: string
  idValue: string
  /** FSPIOP amount string ("12.5"), never a number. */
  amount: string
  name: string
  reference: string
}

export interface Submission {
  format: SubmissionFormat
  disbursementId: string
  currency: string
  beneficiaries: Beneficiary[]
  /** What the report quotes back (pain.001 PmtInfId and EndToEndIds, GSMA batchTitle, ...). */
  meta: Record<string, string>
}

/** Why a file is refused: one reason kind, rendered in the caller's format by refusals.ts. */
export type RefusalKind = 'malformed' | 'schema' | 'amount' | 'currency' | 'empty' | 'too-many' | 'party' | 'id' | 'conflict' | 'payer'

export interface Refusal {
  kind: RefusalKind
  message: string
  /** 1-based rows (CSV: data rows after the header; XML/JSON: transactions) that caused it. */
  rows?: number[]
}

export type Parsed = { ok: true; submission: Submission } | { ok: false; refusal: Refusal }

export const refuse = (kind: RefusalKind, message: string, rows?: number[]): Parsed => ({ ok: false, refusal: { kind, message, rows } })

/** Checks the rows every format shares: count, one known currency, amounts, party ids. */
export function checkBeneficiaries(rows: { row: number; currency: string; beneficiary: Beneficiary }[], declaredCurrency?: string): { ok: true; currency: string; beneficiaries: Beneficiary[] } | { ok: false; refusal: Refusal } {
  if (rows.length === 0) return { ok: false, refusal: { kind: 'empty', message: 'the file has no beneficiaries' } }
  if (rows.length > BENEFICIARIES_MAX) return { ok: false, refusal: { kind: 'too-many', message: `${rows.length} beneficiaries: at most ${BENEFICIARIES_MAX} in one disbursement` } }
  const currency = declaredCurrency ?? rows[0]!.currency
  const problems: { kind: RefusalKind; row: number; message: string }[] = []
  const beneficiaries: Beneficiary[] = []
  for (const { row, currency: rowCurrency, beneficiary: b } of rows) {
    if (rowCurrency !== currency) { problems.push({ kind: 'currency', row, message: `currency ${rowCurrency || '(none)'} is not the disbursement's ${currency}` }); continue }
    const amount = checkAmount(withoutTrailingZeros(b.amount), rowCurrency)
    if (!amount.ok) { problems.push({ kind: amount.problem === 'unknown-currency' ? 'currency' : 'amount', row, message: amount.message }); continue }
    if (!(PARTY_ID_TYPES as readonly string[]).includes(b.idType)) { problems.push({ kind: 'party', row, message: `id type "${b.idType.slice(0, 32)}" is none of ${PARTY_ID_TYPES.join(', ')}` }); continue }
    if (b.idValue === '' || b.idValue.length > 128) { problems.push({ kind: 'party', row, message: 'the beneficiary id is empty or longer than 128 characters' }); continue }
    beneficiaries.push({ ...b, amount: formatAmount(amount.value), name: b.name.slice(0, NAME_CHARS_MAX), reference: b.reference.slice(0, NAME_CHARS_MAX) })
  }
  if (problems.length > 0) {
    const named = problems.slice(0, REFUSED_ROWS_NAMED_MAX)
    const more = problems.length - named.length
    const message = `${problems.length} bad row(s), nothing was accepted: ${named.map((p) => `row ${p.row}: ${p.message}`).join('; ')}${more > 0 ? `; and ${more} more` : ''}`
    return { ok: false, refusal: { kind: problems[0]!.kind, message, rows: problems.map((p) => p.row) } }
  }
  return { ok: true, currency, beneficiaries }
}

/** Bank files write "100.50"; FSPIOP amounts carry no trailing zeros ("100.5"). Anything else is left to checkAmount. */
function withoutTrailingZeros(amount: string): string {
  return /^[0-9]+\.[0-9]+$/.test(amount) ? amount.replace(/0+$/, '').replace(/\.$/, '') : amount
}

/** The same file sent again hashes the same; any change of a beneficiary, amount or currency does not. */
export function contentHash(s: Pick<Submission, 'format' | 'currency' | 'beneficiaries'>): string {
  const hash = createHash('sha256').update(`${s.format}\n${s.currency}\n`)
  for (const b of s.beneficiaries) hash.update(`${b.idType}\t${b.idValue}\t${b.amount}\t${b.name}\t${b.reference}\n`)
  return hash.digest('hex')
}

export function checkDisbursementId(id: string | undefined): Refusal | undefined {
  if (!id) return { kind: 'id', message: 'the disbursement id is missing (header Disbursement-Id)' }
  if (!DISBURSEMENT_ID_PATTERN.test(id)) return { kind: 'id', message: 'the disbursement id must be 1-64 letters, digits, ".", "_", ":" or "-"' }
  return undefined
}
