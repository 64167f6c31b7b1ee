// GET /disbursements/{id}/report: every beneficiary's outcome in the format it was submitted in:
// pain.002.001.10 (TxSts ACCC paid, RJCT not paid with an ISO reason, PDNG not yet) for a pain.001,
// CSV (the submitted columns plus status and reason) for a CSV, and GSMA batch completions and
// rejections for a GSMA batch.
import { Decimal } from 'decimal.js'
import { formatAmount } from '../../ledger/domain/money.ts'
import type { DisbursementRow, ItemRow } from './disbursement-store.ts'
import { CSV_COLUMNS } from './csv-format.ts'
import { GSMA_PARTY_KEYS } from './gsma-format.ts'
import { isoReasonOfFspiop } from './iso-reasons.ts'
import { pain002Document, xmlEscape } from './pain002-writer.ts'
import type { Answer } from './refusals.ts'

export type ItemOutcome = 'PAID' | 'NOT_PAID' | 'PENDING'
export const outcomeOf = (item: ItemRow): ItemOutcome => (item.state === 'PAID' ? 'PAID' : item.state === 'FAILED' || item.state === 'UNRESOLVED' ? 'NOT_PAID' : 'PENDING')

export function reportAnswer(row: DisbursementRow, items: readonly ItemRow[], now = new Date()): Answer {
  if (row.format === 'csv') return { status: 200, contentType: 'text/csv; charset=utf-8', body: csvReport(row, items) }
  if (row.format === 'gsma') return { status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify(gsmaReport(row, items, now)) }
  return { status: 200, contentType: 'application/xml; charset=utf-8', body: pain002Report(row, items, now) }
}

const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)

export function csvReport(row: DisbursementRow, items: readonly ItemRow[]): string {
  const lines = [[...CSV_COLUMNS, 'status', 'payee_fsp', 'error_code', 'error_description'].join(',')]
  for (const i of items) {
    const status = i.state === 'RECEIVED' || i.state === 'RESOLVED' ? 'PENDING' : i.state
    lines.push([i.idType, i.idValue, i.amount, row.currency, i.name, i.reference, status, i.payeeFsp ?? '', i.errorCode ?? '', i.errorDescription ?? ''].map(csvField).join(','))
  }
  return `${lines.join('\n')}\n`
}

const GSMA_KEY_OF_TYPE = new Map(Object.entries(GSMA_PARTY_KEYS).reverse().map(([key, type]) => [type, key]))

export function gsmaReport(row: DisbursementRow, items: readonly ItemRow[], now: Date) {
  const at = (row.completedAt ?? now).toISOString()
  const party = (i: ItemRow) => [{ key: GSMA_KEY_OF_TYPE.get(i.idType) ?? i.idType.toLowerCase(), value: i.idValue }]
  return {
    batchId: row.id,
    batchStatus: row.state === 'COMPLETED' ? 'completed' : 'approved',
    batchTitle: row.meta.batchTitle ?? '',
    completions: items.filter((i) => i.state === 'PAID').map((i) => ({
      requestingOrganisationTransactionReference: i.reference, creditParty: party(i), amount: i.amount, currency: row.currency, completionDate: at,
    })),
    rejections: items.filter((i) => outcomeOf(i) === 'NOT_PAID').map((i) => ({
      requestingOrganisationTransactionReference: i.reference, creditParty: party(i), amount: i.amount, currency: row.currency,
      ...gsmaErrorOf(i.errorCode), errorDescription: `${i.errorCode ?? ''} ${i.errorDescription ?? ''}`.trim().slice(0, 256), rejectionDate: at,
    })),
  }
}

function gsmaErrorOf(code: string | null): { errorCategory: string; errorCode: string } {
  if (code === '3204' || code === '3200') return { errorCategory: 'identification', errorCode: 'identifierError' }
  if (code === '4001' || code === '4200') return { errorCategory: 'businessRule', errorCode: 'insufficientFunds' }
  return { errorCategory: 'businessRule', errorCode: 'genericError' }
}

export function pain002Report(row: DisbursementRow, items: readonly ItemRow[], now: Date): string {
  const outcomes = items.map(outcomeOf)
  const groupStatus = outcomes.includes('PENDING') ? 'PDNG' : outcomes.every((o) => o === 'PAID') ? 'ACCC' : outcomes.every((o) => o === 'NOT_PAID') ? 'RJCT' : 'PART'
  const total = items.reduce((sum, i) => sum.plus(i.amount), new Decimal(0))
  const parts = [`<OrgnlGrpInfAndSts><OrgnlMsgId>${xmlEscape(row.id)}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.10</OrgnlMsgNmId><OrgnlNbOfTxs>${items.length}</OrgnlNbOfTxs><OrgnlCtrlSum>${formatAmount(total)}</OrgnlCtrlSum><GrpSts>${groupStatus}</GrpSts></OrgnlGrpInfAndSts>`]
  const paymentInfos = JSON.parse(row.meta.paymentInfos ?? '[]') as [string, number][]
  let at = 0
  for (const [pmtInfId, count] of paymentInfos.length > 0 ? paymentInfos : [[row.id, items.length] as [string, number]]) {
    parts.push(`<OrgnlPmtInfAndSts><OrgnlPmtInfId>${xmlEscape(pmtInfId)}</OrgnlPmtInfId>`)
    for (const item of items.slice(at, at + count)) parts.push(transactionStatus(item, row.currency))
    parts.push('</OrgnlPmtInfAndSts>')
    at += count
  }
  return pain002Document(`RPT-${row.id}`.slice(0, 35), now, parts.join(''))
}

function transactionStatus(item: ItemRow, currency: string): string {
  const outcome = outcomeOf(item)
  const status = outcome === 'PAID' ? 'ACCC' : outcome === 'NOT_PAID' ? 'RJCT' : 'PDNG'
  const reason = outcome === 'NOT_PAID'
    ? `<StsRsnInf><Rsn><Cd>${isoReasonOfFspiop(item.errorCode)}</Cd></Rsn><AddtlInf>${xmlEscape(`${item.errorCode ?? ''} ${item.errorDescription ?? ''}`.trim().slice(0, 105))}</AddtlInf></StsRsnInf>`
    : ''
  return `<TxInfAndSts><OrgnlEndToEndId>${xmlEscape(item.reference || 'NOTPROVIDED')}</OrgnlEndToEndId><TxSts>${status}</TxSts>${reason}<OrgnlTxRef><Amt><InstdAmt Ccy="${currency}">${item.amount}</InstdAmt></Amt></OrgnlTxRef></TxInfAndSts>`
}
