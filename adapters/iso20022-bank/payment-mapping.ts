// A bank's credit transfer as an FSPIOP payment and back, pure functions (payment-mapping.test.ts checks
// the round trip). References that FSPIOP has a field for travel in it (UETR = transferId when the bank
// gives one; EndToEndId = transactionId when it is a UUID); all of them also travel as quote extensions,
// so the payee's bank gets back what the payer's bank wrote, and the creditor's name with them.
import { createHash } from 'node:crypto'
import type { PaymentRequest } from '../connector-core/payer.ts'
import type { PaymentRow } from '../connector-core/payment-store.ts'
import type { Transaction } from '../connector-core/ilp.ts'
import { isoAmountOf } from './iso-amount.ts'
import { isUetr, type BankParty, type CreditTransfer } from './pacs008.ts'
import type { StatusReport, TransactionStatus } from './pacs002.ts'
import { isoReasonOf } from './reason-codes.ts'
import type { PaymentEntry } from './camt.ts'

/** FSPIOP's CorrelationId: a lowercase RFC 4122 UUID. */
const CORRELATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
export const FSPIOP_NAME_CHARS_MAX = 128
export const FSPIOP_NOTE_CHARS_MAX = 128
export const ISO_MSG_ID_CHARS_MAX = 35
export const REF_KEYS = ['MsgId', 'InstrId', 'EndToEndId', 'TxId', 'UETR', 'CdtrNm', 'DbtrNm', 'RmtInf'] as const
export type RefKey = (typeof REF_KEYS)[number]
export type Refs = Partial<Record<RefKey, string>>
/** FSPIOP's ExtensionValue holds at most 128 characters. */
const EXTENSION_VALUE_CHARS_MAX = 128

/** A UUID (version 4 form) from a text, the same every time. */
export function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex').split('')
  h[12] = '4'
  h[16] = '89ab'[parseInt(h[16]!, 16) % 4]!
  const s = h.join('')
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`
}

/** The payment's FSPIOP transfer id: its UETR, else one derived from the paying bank's own references. */
export function transferIdOf(fspId: string, t: CreditTransfer): string {
  const uetr = t.uetr?.toLowerCase()
  return uetr && isUetr(uetr) ? uetr : uuidFrom(`${fspId}|${t.msgId}|${t.txId ?? t.endToEndId}`)
}

/** A UUID in an ISO Max35Text: without its dashes (32 characters). */
export const compactUuid = (uuid: string) => uuid.replace(/-/g, '')
const COMPACT_UUID = /^[0-9a-f]{32}$/
const expandUuid = (id: string) => (COMPACT_UUID.test(id) ? `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}` : id)

/** The FSPIOP transactionId: the EndToEndId when it is a UUID (with or without dashes), else one derived from it. */
export function transactionIdOf(fspId: string, t: CreditTransfer): string {
  const e2e = expandUuid(t.endToEndId.toLowerCase())
  return CORRELATION_ID.test(e2e) ? e2e : uuidFrom(`${fspId}|e2e|${t.msgId}|${t.endToEndId}`)
}

export function refsOfTransfer(t: CreditTransfer): Refs {
  const refs: Refs = { MsgId: t.msgId, InstrId: t.instrId, EndToEndId: t.endToEndId, TxId: t.txId, UETR: t.uetr, CdtrNm: t.creditor.name, DbtrNm: t.debtor.name, RmtInf: t.remittance }
  return Object.fromEntries(Object.entries(refs).filter(([, v]) => v !== undefined).map(([k, v]) => [k, v!.slice(0, EXTENSION_VALUE_CHARS_MAX)]))
}

export function refsOfExtensions(extensions: { key: string; value: string }[] | undefined): Refs {
  const known = new Set<string>(REF_KEYS)
  return Object.fromEntries((extensions ?? []).filter((e) => known.has(e.key)).map((e) => [e.key, e.value]))
}

/** `amount` is already FSPIOP's form (iso-amount.ts checked the scale). */
export function paymentRequestOf(fspId: string, t: CreditTransfer, amount: string): PaymentRequest {
  return {
    transferId: transferIdOf(fspId, t), transactionId: transactionIdOf(fspId, t), homeTransactionId: t.endToEndId,
    from: { idType: t.debtor.idType, idValue: t.debtor.idValue, ...(t.debtor.name ? { displayName: t.debtor.name.slice(0, FSPIOP_NAME_CHARS_MAX) } : {}) },
    to: { idType: t.creditor.idType, idValue: t.creditor.idValue, ...(t.creditor.name ? { displayName: t.creditor.name.slice(0, FSPIOP_NAME_CHARS_MAX) } : {}) },
    amountType: 'SEND', amount, currency: t.currency,
    ...(t.remittance ? { note: t.remittance.slice(0, FSPIOP_NOTE_CHARS_MAX) } : {}),
    ...(t.deadline ? { expiration: t.deadline } : {}),
    extensions: Object.entries(refsOfTransfer(t)).map(([key, value]) => ({ key, value })),
  }
}

const partyOfRequest = (p: { idType: string; idValue: string; displayName?: string }, name?: string): BankParty => ({ idType: p.idType, idValue: p.idValue, name: name ?? p.displayName })

export function statusOfPayment(p: PaymentRow): TransactionStatus {
  if (p.state === 'COMPLETED') return 'ACSC'
  if (p.state === 'ERROR_OCCURRED' || p.state === 'ABORTED') return 'RJCT'
  return 'PDNG'
}

/** This connector's pacs.002 for a payment a bank sent it. */
export function reportOfPayment(p: PaymentRow, msgId: string, now: string): StatusReport {
  const r = p.request as PaymentRequest
  const refs = refsOfExtensions(r.extensions)
  const status = statusOfPayment(p)
  return {
    msgId, createdAt: now, originalMsgId: refs.MsgId ?? 'NOTPROVIDED', originalMsgType: 'pacs.008.001.09', status,
    ...(status === 'RJCT' ? { reason: isoReasonOf(p.errorCode ?? '2001'), info: `FSPIOP ${p.errorCode}: ${p.errorDescription ?? ''}` } : {}),
    endToEndId: refs.EndToEndId ?? r.homeTransactionId, txId: refs.TxId, uetr: refs.UETR,
    acceptedAt: status === 'ACSC' ? p.completedTimestamp ?? now : undefined,
    amount: { amount: isoAmountOf(r.amount, r.currency), currency: r.currency },
    debtor: partyOfRequest(r.from), creditor: partyOfRequest(r.to, p.party?.name ?? refs.CdtrNm),
  }
}

/** The camt.054 entry of a payment this bank made (DBIT). */
export function debitEntryOf(p: PaymentRow, fspId: string): PaymentEntry {
  const r = p.request as PaymentRequest
  const refs = refsOfExtensions(r.extensions)
  return {
    direction: 'DBIT', amount: r.amount, currency: r.currency, bookedAt: p.completedTimestamp ?? new Date().toISOString(),
    msgId: refs.MsgId, endToEndId: refs.EndToEndId, txId: refs.TxId, uetr: refs.UETR,
    debtor: partyOfRequest(r.from), creditor: partyOfRequest(r.to, p.party?.name ?? refs.CdtrNm), debtorAgent: fspId, creditorAgent: p.payeeFsp ?? 'NOTPROVIDED', remittance: refs.RmtInf,
  }
}

/** The pacs.008 a payee bank's core is sent for a transfer the switch prepared: the payer bank's references. */
export function creditTransferOf(o: { transferId: string; transaction: Transaction; amount: { amount: string; currency: string }; payerFsp: string; fspId: string; refs: Refs; now: string }): CreditTransfer {
  const { transaction: t, refs } = o
  const payer = t.payer.partyIdInfo
  const payee = t.payee.partyIdInfo
  const uetr = refs.UETR ?? (isUetr(o.transferId) ? o.transferId : undefined)
  return {
    msgId: `AGORA${o.transferId.replace(/-/g, '')}`.slice(0, ISO_MSG_ID_CHARS_MAX), createdAt: o.now,
    instrId: refs.InstrId, endToEndId: refs.EndToEndId ?? compactUuid(t.transactionId), txId: refs.TxId ?? compactUuid(o.transferId), uetr,
    amount: isoAmountOf(o.amount.amount, o.amount.currency), currency: o.amount.currency, settlementDate: o.now.slice(0, 10),
    debtor: { idType: payer.partyIdType, idValue: payer.partyIdentifier, name: (t.payer as { name?: string }).name ?? refs.DbtrNm },
    creditor: { idType: payee.partyIdType, idValue: payee.partyIdentifier, name: refs.CdtrNm },
    debtorAgent: o.payerFsp, creditorAgent: o.fspId, remittance: refs.RmtInf,
  }
}
