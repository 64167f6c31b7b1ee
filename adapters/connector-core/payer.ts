// The payer half of FSPIOP, done once: lookup, quote and transfer for a payment, each step recorded
// before its message goes out, so a restart finds every payment where it was. A payment's id is its
// FSPIOP transfer id (the caller may choose it: its repeat is the same payment, never a second one).
// Once the prepare is recorded the payment is only ever resolved by the switch: its callback, or its
// answer to GET /transfers/{id} after a restart (the same prepare is sent again when the switch does not
// know it, which the switch treats as a repeat).
import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import { checkAmount } from '../../ledger/domain/money.ts'
import { BASE64URL_32_BYTES, fulfilmentMatches } from '../../ledger/domain/fulfilment.ts'
import { FspiopFailure } from './fspiop-failure.ts'
import { FINAL_PAYMENT_STATES, type PaymentRow, type PaymentState, type PaymentStore } from './payment-store.ts'
import type { SwitchClient } from './switch-client.ts'
import { CallbackTimeout, type Waiters } from './waiters.ts'

export const LOOKUP_WAIT_MS = 15_000
export const QUOTE_WAIT_MS = 15_000
/** How long a caller waits for the transfer's final state before it is told the payment is still pending. */
export const TRANSFER_WAIT_MS = 20_000
/** The prepare's expiration, from when it is sent (and never after the quote's). */
export const TRANSFER_EXPIRY_MS = 60_000

export interface PartyRef {
  idType: string
  idValue: string
  idSubValue?: string
  displayName?: string
}

export interface PaymentRequest {
  transferId?: string
  homeTransactionId?: string
  from: PartyRef
  to: PartyRef
  amountType: 'SEND' | 'RECEIVE'
  amount: string
  currency: string
  note?: string
  /** The FSPIOP transactionId (an adapter's own end-to-end reference when it is a UUID); a new one when absent. */
  transactionId?: string
  /** The latest the transfer may expire (ISO 8601): the prepare's expiration is never after it. */
  expiration?: string
  /** FSPIOP extensions the quote request carries to the payee (an adapter's references that fit no FSPIOP field). */
  extensions?: { key: string; value: string }[]
  /** Defaults from the connector's configuration. */
  autoAcceptParty?: boolean
  autoAcceptQuote?: boolean
}

export interface PayerDeps {
  fspId: string
  payments: PaymentStore
  client: SwitchClient
  waiters: Waiters
  autoAcceptParty: boolean
  autoAcceptQuote: boolean
  logger: Logger
}

const FINAL = FINAL_PAYMENT_STATES

export function createPayer(deps: PayerDeps) {
  const { payments, client, waiters, logger } = deps

  /** Starts a payment (or returns the one with this transferId) and runs it as far as it goes without the caller. */
  async function pay(request: PaymentRequest): Promise<PaymentRow> {
    const check = checkAmount(request.amount, request.currency)
    if (!check.ok) throw FspiopFailure.of('3100', check.message)
    const transferId = request.transferId ?? randomUUID()
    const created = await payments.create({ transferId, homeTransactionId: request.homeTransactionId, request: { ...request, transferId }, state: 'PAYEE_LOOKUP' })
    if (!created) return (await payments.get(transferId))!
    return lookup(transferId)
  }

  async function lookup(transferId: string): Promise<PaymentRow> {
    const { request } = (await payments.get(transferId))!
    const { idType, idValue, idSubValue } = request.to as PartyRef
    const path = `/parties/${idType}/${idValue}${idSubValue ? `/${idSubValue}` : ''}`
    const key = `party:${path}`
    try {
      const answer = await ask(key, LOOKUP_WAIT_MS, () => client.send('GET', path, 'parties', undefined, undefined))
      const payeeFsp = answer?.party?.partyIdInfo?.fspId
      if (typeof payeeFsp !== 'string') throw FspiopFailure.of('3204', 'the lookup answer names no FSP')
      const accept = request.autoAcceptParty ?? deps.autoAcceptParty
      await payments.move(transferId, ['PAYEE_LOOKUP'], { state: accept ? 'QUOTE_REQUESTED' : 'WAITING_FOR_PARTY_ACCEPTANCE', party: answer.party, payeeFsp })
      return accept ? quote(transferId) : (await payments.get(transferId))!
    } catch (error) {
      return fail(transferId, ['PAYEE_LOOKUP'], error)
    }
  }

  async function quote(transferId: string): Promise<PaymentRow> {
    const payment = (await payments.get(transferId))!
    const request = payment.request as PaymentRequest
    const quoteId = randomUUID()
    const body = {
      quoteId, transactionId: request.transactionId ?? randomUUID(), amountType: request.amountType, amount: { amount: request.amount, currency: request.currency },
      payee: { partyIdInfo: payment.party.partyIdInfo },
      payer: { partyIdInfo: { partyIdType: request.from.idType, partyIdentifier: request.from.idValue, fspId: deps.fspId }, ...(request.from.displayName ? { name: request.from.displayName } : {}) },
      transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
      ...(request.note ? { note: request.note } : {}),
      ...(request.extensions?.length ? { extensionList: { extension: request.extensions } } : {}),
    }
    try {
      if (!(await payments.move(transferId, ['QUOTE_REQUESTED'], { quoteId }))) return (await payments.get(transferId))!
      const answer = await ask(`quote:${quoteId}`, QUOTE_WAIT_MS, () => client.send('POST', '/quotes', 'quotes', body, payment.payeeFsp!))
      checkQuoteAnswer(answer, request)
      const accept = request.autoAcceptQuote ?? deps.autoAcceptQuote
      const quoted = { ...answer, quoteId, transactionId: body.transactionId }
      if (!accept) {
        await payments.move(transferId, ['QUOTE_REQUESTED'], { state: 'WAITING_FOR_QUOTE_ACCEPTANCE', quote: quoted })
        return (await payments.get(transferId))!
      }
      return transfer(transferId, ['QUOTE_REQUESTED'], quoted)
    } catch (error) {
      return fail(transferId, ['QUOTE_REQUESTED'], error)
    }
  }

  async function transfer(transferId: string, from: PaymentState[], quoted: any): Promise<PaymentRow> {
    const payment = (await payments.get(transferId))!
    const latest_ms = Date.parse((payment.request as PaymentRequest).expiration ?? '') || Infinity
    const expiry_ms = Math.min(Date.now() + TRANSFER_EXPIRY_MS, Date.parse(quoted.expiration) || Infinity, latest_ms)
    const prepare = {
      transferId, payerFsp: deps.fspId, payeeFsp: payment.payeeFsp!, amount: quoted.transferAmount,
      ilpPacket: quoted.ilpPacket, condition: quoted.condition, expiration: new Date(expiry_ms).toISOString(),
    }
    // Recorded before it is sent: from here on only the switch decides this payment.
    if (!(await payments.move(transferId, from, { state: 'TRANSFER_SENT', quote: quoted, prepare }))) return (await payments.get(transferId))!
    return sendPrepare(transferId, prepare)
  }

  async function sendPrepare(transferId: string, prepare: any): Promise<PaymentRow> {
    const settled = waiters.wait(`transfer:${transferId}`, TRANSFER_WAIT_MS)
    try {
      const sent = await client.send('POST', '/transfers', 'transfers', prepare, prepare.payeeFsp)
      // Refused at once (validation): the switch holds nothing for this transfer.
      if (sent.status >= 300) await resolve(transferId, { error: FspiopFailure.fromBody(sent.body) })
      else await settled
    } catch (error) {
      // A timeout or a lost connection leaves the payment pending: the switch's answer decides it later.
      if (!(error instanceof FspiopFailure)) logger.warn({ transferId, err: error }, 'payer: transfer still pending')
    }
    return (await payments.get(transferId))!
  }

  /** The switch's word on a transfer this connector sent: a final state, or an error. */
  async function resolve(transferId: string, outcome: { body?: any; error?: FspiopFailure }): Promise<void> {
    const payment = await payments.get(transferId)
    if (payment?.state !== 'TRANSFER_SENT') return
    const { body, error } = outcome
    if (error?.errorCode === '3208') {
      // The switch never got the prepare (a crash before it went out): send the very same one.
      logger.info({ transferId }, 'payer: the switch does not know the transfer, sending its prepare again')
      await client.send('POST', '/transfers', 'transfers', payment.prepare, payment.payeeFsp!)
      return
    }
    if (error) {
      await payments.move(transferId, ['TRANSFER_SENT'], { state: 'ERROR_OCCURRED', errorCode: error.errorCode, errorDescription: error.errorDescription.slice(0, 256) })
      waiters.settle(`transfer:${transferId}`, undefined, error)
      return
    }
    if (body.transferState === 'COMMITTED') {
      if (!fulfilmentMatches(body.fulfilment, payment.prepare.condition)) {
        // Not proof of payment: left pending, for the switch's signed answer to GET /transfers/{id}.
        logger.error({ transferId }, 'payer: a COMMITTED state whose fulfilment does not match the condition is ignored')
        return
      }
      await payments.move(transferId, ['TRANSFER_SENT'], { state: 'COMPLETED', fulfilment: body.fulfilment ?? null, completedTimestamp: body.completedTimestamp ?? null })
      waiters.settle(`transfer:${transferId}`, body)
    } else if (body.transferState === 'ABORTED') {
      await payments.move(transferId, ['TRANSFER_SENT'], { state: 'ERROR_OCCURRED', errorCode: '5104', errorDescription: 'transfer ABORTED' })
      waiters.settle(`transfer:${transferId}`, body, FspiopFailure.of('5104', 'transfer ABORTED'))
    }
    // RECEIVED or RESERVED (an answer to GET /transfers/{id}): not final yet; the switch's callback will come.
  }

  /** The core's answer to WAITING_FOR_PARTY_ACCEPTANCE or WAITING_FOR_QUOTE_ACCEPTANCE. */
  async function accept(transferId: string, answer: { acceptParty?: boolean; acceptQuote?: boolean }): Promise<PaymentRow | undefined> {
    const payment = await payments.get(transferId)
    if (!payment) return undefined
    if (payment.state === 'WAITING_FOR_PARTY_ACCEPTANCE' && answer.acceptParty !== undefined) {
      if (!answer.acceptParty) return abort(transferId, 'WAITING_FOR_PARTY_ACCEPTANCE')
      if (!(await payments.move(transferId, ['WAITING_FOR_PARTY_ACCEPTANCE'], { state: 'QUOTE_REQUESTED' }))) return payments.get(transferId)
      return quote(transferId)
    }
    if (payment.state === 'WAITING_FOR_QUOTE_ACCEPTANCE' && answer.acceptQuote !== undefined) {
      if (!answer.acceptQuote) return abort(transferId, 'WAITING_FOR_QUOTE_ACCEPTANCE')
      if (Date.parse(payment.quote.expiration) <= Date.now()) return fail(transferId, ['WAITING_FOR_QUOTE_ACCEPTANCE'], FspiopFailure.of('3302', `the quote expired at ${payment.quote.expiration}`))
      return transfer(transferId, ['WAITING_FOR_QUOTE_ACCEPTANCE'], payment.quote)
    }
    throw FspiopFailure.of('3100', `payment ${transferId} is ${payment.state}: nothing to accept with ${JSON.stringify(answer)}`)
  }

  async function abort(transferId: string, from: PaymentState): Promise<PaymentRow> {
    await payments.move(transferId, [from], { state: 'ABORTED' })
    return (await payments.get(transferId))!
  }

  async function fail(transferId: string, from: PaymentState[], error: unknown): Promise<PaymentRow> {
    const failure = error instanceof FspiopFailure ? error
      : error instanceof CallbackTimeout ? FspiopFailure.of('2004', error.message) : FspiopFailure.of('2001', (error as Error).message)
    if (!(error instanceof FspiopFailure) && !(error instanceof CallbackTimeout)) logger.error({ transferId, err: error }, 'payer: payment failed')
    await payments.move(transferId, from, { state: 'ERROR_OCCURRED', errorCode: failure.errorCode, errorDescription: failure.errorDescription.slice(0, 256) })
    return (await payments.get(transferId))!
  }

  /** Sends and waits for the callback; a refused send is the refusal's error. */
  async function ask(key: string, timeout_ms: number, send: () => Promise<{ status: number; body: any }>): Promise<any> {
    const settled = waiters.wait(key, timeout_ms)
    const sent = await send()
    if (sent.status >= 300) {
      waiters.settle(key, undefined, FspiopFailure.fromBody(sent.body))
    }
    return settled
  }

  /**
   * After a restart: payments cut short before their prepare was recorded moved no money and fail;
   * a recorded prepare is asked about (GET /transfers/{id}) and resolved by the switch's answer.
   */
  async function recover(): Promise<void> {
    const early = await payments.inState(['PAYEE_LOOKUP', 'QUOTE_REQUESTED'])
    for (const p of early) await fail(p.transferId, ['PAYEE_LOOKUP', 'QUOTE_REQUESTED'], FspiopFailure.of('2001', 'the connector restarted before the transfer was sent; nothing was paid'))
    const sent = await payments.inState(['TRANSFER_SENT'])
    for (const p of sent) {
      logger.info({ transferId: p.transferId }, 'payer: asking the switch about a transfer in flight at the restart')
      await client.send('GET', `/transfers/${p.transferId}`, 'transfers', undefined, undefined)
    }
  }

  /** While running: a transfer the switch has not answered for `quiet_ms` is asked about (its callback may be lost). */
  async function askAboutQuiet(quiet_ms: number): Promise<number> {
    const quiet = await payments.inState(['TRANSFER_SENT'], new Date(Date.now() - quiet_ms))
    for (const p of quiet) await client.send('GET', `/transfers/${p.transferId}`, 'transfers', undefined, undefined)
    return quiet.length
  }

  /** Payments a start finds unfinished (not final, not waiting for the core). */
  async function unfinished(): Promise<number> {
    return (await payments.inState(['PAYEE_LOOKUP', 'QUOTE_REQUESTED', 'TRANSFER_SENT'])).length
  }

  return { pay, accept, resolve, recover, unfinished, askAboutQuiet, get: (id: string) => payments.get(id), isFinal: (p: PaymentRow) => FINAL.includes(p.state) }
}
export type Payer = ReturnType<typeof createPayer>

function checkQuoteAnswer(answer: any, request: PaymentRequest): void {
  const amount = answer?.transferAmount
  const check = checkAmount(amount?.amount, amount?.currency ?? '')
  if (!check.ok || amount.currency !== request.currency) throw FspiopFailure.of('3100', `the quote's transferAmount is not usable: ${JSON.stringify(amount)}`)
  if (typeof answer.ilpPacket !== 'string' || !BASE64URL_32_BYTES.test(answer.condition ?? '')) throw FspiopFailure.of('3100', 'the quote has no ILP packet or condition')
}
