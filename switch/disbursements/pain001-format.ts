// application/xml submissions: ISO 20022 pain.001.001.10 (CustomerCreditTransferInitiation), checked
// against the official XSD first. The disbursement id is GrpHdr/MsgId. Each CdtTrfTxInf is one
// beneficiary: the party is CdtrAcct/Id/Othr/Id with its type in Othr/SchmeNm/Prtry (MSISDN when absent),
// or CdtrAcct/Id/IBAN (IBAN), or Cdtr/CtctDtls/MobNb (MSISDN); the amount is Amt/InstdAmt with its Ccy;
// the reference is PmtId/EndToEndId (quoted back in the pain.002 report).
import { XMLParser } from 'fast-xml-parser'
import { checkAgainstXsd } from './xsd-check.ts'
import { checkBeneficiaries, refuse, type Beneficiary, type Parsed } from './submission.ts'

export const PAIN001_MESSAGE = 'pain.001.001.10'

type Node = Record<string, unknown>
const parser = new XMLParser({
  ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, parseAttributeValue: false, removeNSPrefix: true, trimValues: true,
  isArray: (name) => name === 'PmtInf' || name === 'CdtTrfTxInf' || name === 'Ustrd',
})

function at(from: unknown, ...path: string[]): unknown {
  let value = from
  for (const key of path) {
    if (Array.isArray(value)) value = value[0]
    if (!value || typeof value !== 'object') return undefined
    value = (value as Node)[key]
  }
  return value
}
const text = (from: unknown, ...path: string[]): string => {
  const value = at(from, ...path)
  if (typeof value === 'string') return value
  if (value && typeof value === 'object' && typeof (value as Node)['#text'] === 'string') return (value as Node)['#text'] as string
  return ''
}

function partyOf(tx: unknown): { idType: string; idValue: string } {
  const other = text(tx, 'CdtrAcct', 'Id', 'Othr', 'Id')
  if (other) return { idType: text(tx, 'CdtrAcct', 'Id', 'Othr', 'SchmeNm', 'Prtry') || 'MSISDN', idValue: other }
  const iban = text(tx, 'CdtrAcct', 'Id', 'IBAN')
  if (iban) return { idType: 'IBAN', idValue: iban }
  return { idType: 'MSISDN', idValue: text(tx, 'Cdtr', 'CtctDtls', 'MobNb') }
}

export function parsePain001Submission(xml: string): Parsed {
  const check = checkAgainstXsd(xml, PAIN001_MESSAGE)
  if (!check.ok) return refuse(check.problem === 'schema' ? 'schema' : 'malformed', check.message)
  const initiation = at(parser.parse(xml), 'Document', 'CstmrCdtTrfInitn')
  const disbursementId = text(initiation, 'GrpHdr', 'MsgId')
  const rows: { row: number; currency: string; beneficiary: Beneficiary }[] = []
  const paymentInfos: [string, number][] = []
  for (const pmtInf of (at(initiation, 'PmtInf') as unknown[]) ?? []) {
    const txs = (at(pmtInf, 'CdtTrfTxInf') as unknown[]) ?? []
    paymentInfos.push([text(pmtInf, 'PmtInfId'), txs.length])
    for (const tx of txs) {
      rows.push({
        row: rows.length + 1, currency: text(tx, 'Amt', 'InstdAmt', '@_Ccy'),
        beneficiary: { ...partyOf(tx), amount: text(tx, 'Amt', 'InstdAmt'), name: text(tx, 'Cdtr', 'Nm'), reference: text(tx, 'PmtId', 'EndToEndId') },
      })
    }
  }
  const declared = text(initiation, 'GrpHdr', 'NbOfTxs')
  if (declared !== String(rows.length)) return refuse('malformed', `GrpHdr/NbOfTxs is ${declared} but the file has ${rows.length} transactions`)
  const checked = checkBeneficiaries(rows)
  if (!checked.ok) return { ok: false, refusal: checked.refusal }
  const meta = { msgId: disbursementId, paymentInfos: JSON.stringify(paymentInfos) }
  return { ok: true, submission: { format: 'pain.001', disbursementId, currency: checked.currency, beneficiaries: checked.beneficiaries, meta } }
}
