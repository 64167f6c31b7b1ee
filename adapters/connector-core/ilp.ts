// ILP v4 for FSPIOP, as the FSPIOP API's ILP section defines it and Mojaloop's SDK (sdk-standard-components'
// IlpV4) builds it. The payee makes, for a quote, an ILP Prepare packet: amount in the currency's minor
// units, expiresAt = the quote's expiration, executionCondition, destination address, and data =
// base64url(the Transaction object as stable JSON). The fulfilment is HMAC-SHA256 over the transaction
// (keyed with the payee's secret), the condition SHA-256(fulfilment). At prepare the payee rebuilds the
// fulfilment from the packet alone: it keeps no state per quote.
import { createHmac } from 'node:crypto'
import ilpPacket from 'ilp-packet'
import { Decimal } from '../../ledger/domain/money.ts'
import { currencyScale } from '../../ledger/domain/currencies.ts'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'
import { stableStringify } from './stable-json.ts'

/** What Mojaloop's SDK puts as the destination: party ids, not ILP accounts, address a Mojaloop payee. */
export const MOJALOOP_ILP_ADDRESS = 'g.mojaloop'

export interface PartyIdInfo {
  partyIdType: string
  partyIdentifier: string
  partySubIdOrType?: string
  fspId?: string
}

export interface Money {
  amount: string
  currency: string
}

/** The FSPIOP Transaction object (transactionObjectDto in sdk-standard-components). */
export interface Transaction {
  quoteId: string
  transactionId: string
  transactionType: Record<string, unknown>
  payee: { partyIdInfo: PartyIdInfo } & Record<string, unknown>
  payer: { partyIdInfo: PartyIdInfo } & Record<string, unknown>
  /** The quote's expiration: the packet's expiresAt. */
  expiration: string
  /** The transfer amount. */
  amount: Money
  note?: string
}

export interface IlpTerms {
  ilpPacket: string
  condition: string
  fulfilment: string
}

/** The transaction of a quote request and the payee's answer to it (sdk-standard-components' transactionObjectDto). */
export function transactionOf(quoteRequest: Record<string, any>, quoteResponse: { transferAmount: Money; expiration: string; note?: string }): Transaction {
  const { quoteId, transactionId, transactionType, payee, payer } = quoteRequest
  const { transferAmount, expiration, note } = quoteResponse
  return { quoteId, transactionId, transactionType, payee, payer, expiration, amount: transferAmount, ...(note ? { note } : {}) }
}

/** The ILP amount: the FSPIOP amount in the currency's minor units, an unsigned 64-bit integer. */
export function ilpAmountOf(money: Money): string {
  const scale = currencyScale(money.currency)
  if (scale === undefined) throw new Error(`ilp: no scale for currency ${money.currency}`)
  const shifted = new Decimal(money.amount).times(new Decimal(10).pow(scale))
  if (!shifted.isInteger() || shifted.isNegative()) throw new Error(`ilp: ${money.amount} ${money.currency} has more decimals than the currency`)
  return shifted.toFixed(0)
}

/** HMAC-SHA256(key = base64(secret), data = base64(stable JSON of the transaction)), base64url: IlpV4's fulfilment. */
export function fulfilmentOf(secret: string, transaction: Transaction): string {
  const data = Buffer.from(stableStringify(transaction)).toString('base64')
  const key = Buffer.from(secret).toString('base64')
  return createHmac('sha256', Buffer.from(key, 'ascii')).update(Buffer.from(data, 'ascii')).digest('base64url')
}

/** The payee's terms for a quote: the packet, its condition and (kept secret until the transfer) the fulfilment. */
export function ilpTermsFor(secret: string, transaction: Transaction, address = MOJALOOP_ILP_ADDRESS): IlpTerms {
  const expiresAt = new Date(transaction.expiration)
  if (Number.isNaN(expiresAt.getTime())) throw new Error(`ilp: expiration ${transaction.expiration} is not a date`)
  const fulfilment = fulfilmentOf(secret, transaction)
  const condition = conditionOf(fulfilment)
  const packet = ilpPacket.serializeIlpPrepare({
    amount: ilpAmountOf(transaction.amount),
    destination: address,
    expiresAt,
    executionCondition: Buffer.from(condition, 'base64url'),
    data: Buffer.from(Buffer.from(stableStringify(transaction)).toString('base64url')),
  })
  return { ilpPacket: packet.toString('base64url'), condition, fulfilment }
}

export interface DecodedPrepare {
  amount: string
  destination: string
  expiresAt: Date
  condition: string
  transaction: Transaction
}

/** Reads an ILP Prepare packet (base64 or base64url) back; undefined when it is not one with a transaction. */
export function decodeIlpPacket(packet: string): DecodedPrepare | undefined {
  try {
    const prepare = ilpPacket.deserializeIlpPrepare(Buffer.from(packet, 'base64'))
    const transaction = JSON.parse(Buffer.from(prepare.data.toString(), 'base64url').toString('utf8'))
    if (!transaction || typeof transaction !== 'object' || !transaction.amount) return undefined
    return {
      amount: prepare.amount, destination: prepare.destination, expiresAt: prepare.expiresAt,
      condition: prepare.executionCondition.toString('base64url'), transaction,
    }
  } catch {
    return undefined
  }
}

export type PrepareCheck = { ok: true; fulfilment: string; transaction: Transaction } | { ok: false; reason: string }

/**
 * The payee's check of a transfer prepare against its own packet: the packet decodes, its transaction
 * names these FSPs and this amount, and the fulfilment rebuilt from it matches the prepare's condition
 * (so the packet is one this payee's secret made and nobody changed it).
 */
export function checkPrepare(secret: string, prepare: { payerFsp: string; payeeFsp: string; amount: Money; ilpPacket: string; condition: string }): PrepareCheck {
  const decoded = decodeIlpPacket(prepare.ilpPacket)
  if (!decoded) return { ok: false, reason: 'the ILP packet is not an ILP v4 Prepare with a transaction' }
  const t = decoded.transaction
  if (t.payer?.partyIdInfo?.fspId !== prepare.payerFsp || t.payee?.partyIdInfo?.fspId !== prepare.payeeFsp) return { ok: false, reason: 'the packet is for other FSPs' }
  if (t.amount.currency !== prepare.amount.currency || !new Decimal(t.amount.amount).equals(prepare.amount.amount)) return { ok: false, reason: 'the packet is for another amount' }
  const fulfilment = fulfilmentOf(secret, t)
  if (conditionOf(fulfilment) !== prepare.condition || decoded.condition !== prepare.condition) return { ok: false, reason: 'the condition is not the one this payee gave' }
  return { ok: true, fulfilment, transaction: t }
}
