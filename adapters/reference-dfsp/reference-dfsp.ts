// A reference DFSP that speaks FSPIOP (v1.1 or v2.0) with the switch. As payee it answers party lookups
// from its customers, quotes with a real ILP condition, and fulfils transfers; as payer it looks up,
// quotes and transfers, each call a promise settled by the switch's callback, with its timestamps. It keeps
// its own books (books.ts): money moves only when the transfer is final. Options make it reject or delay,
// for tests.
import { randomUUID } from 'node:crypto'
import type { FspiopVersion } from '../../switch/fspiop/headers.ts'
import { Books } from './books.ts'
import { conditionFor, fulfilmentFor, ilpPacketFor, transactionOf } from './ilp.ts'
import { SwitchClient } from './switch-client.ts'

export const CALLBACK_TIMEOUT_MS = 30_000
export const LATE_ERRORS_KEPT_MAX = 1_000

export interface Customer {
  idType: string
  id: string
  name: string
  balance: string
}

export interface ReferenceDfspOptions {
  name: string
  secret: string
  switchUrl: string
  customers: Customer[]
  version?: FspiopVersion
  /** As payee, refuse every quote with this FSPIOP error code. */
  rejectQuotesWith?: string
  /** As payee, refuse every transfer with this FSPIOP error code. */
  rejectTransfersWith?: string
  /** As payee, wait this long before answering a lookup, quote or transfer. */
  answerDelay_ms?: number
  /**
   * As payee, answer a prepare COMMITTED (the credit is booked once the switch accepts the fulfil) or
   * RESERVED (the credit is booked when the switch's PATCH says COMMITTED).
   */
  payeeAnswers?: 'COMMITTED' | 'RESERVED'
  /** Signs every request with a body (FSPIOP-Signature), for schemes that require it. */
  jwsPrivateKey?: string
  /** Told when this DFSP, as payee, receives a prepare and when the switch accepts its fulfil (load tests time the legs). */
  payeeObserver?: PayeeObserver
}

export interface PayeeObserver {
  prepareReceived(transferId: string, at_ms: number): void
  fulfilSent(transferId: string, at_ms: number): void
}

/** A payer's call: when it started, when the switch accepted it (202), when its callback arrived. */
export interface Timed<T> {
  /** The id this DFSP gave the request (transfer id, quote id, …). */
  id: string
  value: T
  started_ms: number
  accepted_ms: number
  finished_ms: number
}

type Waiter = { resolve: (v: any) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }

export class FspiopCallbackError extends Error {
  constructor(readonly errorCode: string, description: string) {
    super(`${errorCode} ${description}`)
  }
}

export class ReferenceDfsp {
  readonly books = new Books()
  /** Errors the switch sent about transfers this payee had already booked (it answered COMMITTED). */
  readonly lateErrors: { transferId: string; errorCode: string }[] = []
  /** Waiters by key; one callback answers every request for the same party, quote or transfer. */
  private readonly waiting = new Map<string, Waiter[]>()
  /** Customers by "idType/id", for lookups and quotes. */
  private readonly customers: Map<string, Customer>
  private readonly payerIdTypes: Map<string, string>
  private readonly client: SwitchClient
  readonly version: FspiopVersion

  constructor(readonly options: ReferenceDfspOptions) {
    this.version = options.version ?? '1.1'
    this.client = new SwitchClient(options.switchUrl, options.name, this.version, options.jwsPrivateKey)
    this.customers = new Map(options.customers.map((c) => [`${c.idType}/${c.id}`, c]))
    this.payerIdTypes = new Map(options.customers.map((c) => [c.id, c.idType]))
    for (const c of options.customers) this.books.open(c.id, c.balance)
  }

  get name(): string {
    return this.options.name
  }

  /** The condition this DFSP, as payee, will fulfil for a packet (what its quote would have given). */
  conditionFor(ilpPacket: string): string {
    return conditionFor(this.options.secret, ilpPacket)
  }

  /** Registers this DFSP's customers with the switch's account lookup (batch POST /participants). */
  registerParties(): Promise<Timed<any>> {
    const requestId = randomUUID()
    const body = { requestId, partyList: this.options.customers.map((c) => ({ partyIdType: c.idType, partyIdentifier: c.id, fspId: this.name })) }
    return this.call(requestId, `participants:${requestId}`, 'POST', '/participants', 'participants', body, undefined)
  }

  // ---- payer side ----

  lookup(idType: string, id: string): Promise<Timed<any>> {
    return this.call(`${idType}/${id}`, `party:${idType}/${id}`, 'GET', `/parties/${idType}/${id}`, 'parties', undefined, undefined)
  }

  quote(payee: { fspId: string; idType: string; id: string }, payerCustomer: string, amount: string, currency: string): Promise<Timed<any>> {
    const quoteId = randomUUID()
    const body = {
      quoteId, transactionId: randomUUID(), amountType: 'SEND', amount: { amount, currency },
      payee: { partyIdInfo: { partyIdType: payee.idType, partyIdentifier: payee.id, fspId: payee.fspId } },
      payer: { partyIdInfo: { partyIdType: this.payerIdTypes.get(payerCustomer) ?? 'MSISDN', partyIdentifier: payerCustomer, fspId: this.name } },
      transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
    }
    return this.call(quoteId, `quote:${quoteId}`, 'POST', '/quotes', 'quotes', body, payee.fspId)
  }

  /** Holds the amount in the payer's books, sends the prepare, debits or releases on the final callback. */
  async transfer(payerCustomer: string, payeeFsp: string, amount: string, currency: string, ilp: { ilpPacket: string; condition: string }): Promise<Timed<any>> {
    const transferId = randomUUID()
    if (!this.books.hold(transferId, payerCustomer, amount)) throw new FspiopCallbackError('4001', `${payerCustomer} cannot pay ${amount}`)
    const body = {
      transferId, payerFsp: this.name, payeeFsp, amount: { amount, currency }, ilpPacket: ilp.ilpPacket, condition: ilp.condition,
      expiration: new Date(Date.now() + CALLBACK_TIMEOUT_MS).toISOString(),
    }
    try {
      const result = await this.call(transferId, `transfer:${transferId}`, 'POST', '/transfers', 'transfers', body, payeeFsp)
      this.books.settleHold(transferId)
      return result
    } catch (error) {
      this.books.releaseHold(transferId)
      throw error
    }
  }

  private async call(id: string, key: string, method: 'GET' | 'POST', path: string, resource: string, body: unknown, destination: string | undefined): Promise<Timed<any>> {
    const started_ms = performance.now()
    const settled = this.wait(key)
    // The callback may come before the switch's 202 does: mark the rejection handled now, await it below.
    settled.catch(() => {})
    let accepted_ms = started_ms
    try {
      const answer = await this.client.send(method, path, resource, body, destination)
      accepted_ms = performance.now()
      if (answer.status >= 300) {
        const info = answer.body?.errorInformation
        this.settle(key, undefined, new FspiopCallbackError(info?.errorCode ?? String(answer.status), info?.errorDescription ?? 'refused'))
      }
    } catch (error) {
      this.settle(key, undefined, error as Error)
    }
    const value = await settled
    return { id, value, started_ms, accepted_ms, finished_ms: performance.now() }
  }

  private wait(key: string): Promise<any> {
    return new Promise<any>((resolve, reject) => {
      const waiter: Waiter = {
        resolve, reject,
        timer: setTimeout(() => {
          const rest = (this.waiting.get(key) ?? []).filter((w) => w !== waiter)
          if (rest.length > 0) this.waiting.set(key, rest)
          else this.waiting.delete(key)
          reject(new Error(`${this.name}: no callback for ${key} within ${CALLBACK_TIMEOUT_MS} ms`))
        }, CALLBACK_TIMEOUT_MS),
      }
      const list = this.waiting.get(key)
      if (list) list.push(waiter)
      else this.waiting.set(key, [waiter])
    })
  }

  private settle(key: string, value: unknown, error?: Error): boolean {
    const waiters = this.waiting.get(key)
    if (!waiters) return false
    this.waiting.delete(key)
    for (const w of waiters) {
      clearTimeout(w.timer)
      if (error) w.reject(error)
      else w.resolve(value)
    }
    return true
  }

  // ---- what the switch sends this DFSP ----

  /** Handles a request or callback from the switch (after the HTTP answer has been sent). */
  async receive(method: string, path: string, headers: Record<string, string | string[] | undefined>, body: any): Promise<void> {
    const from = String(headers['fspiop-source'] ?? '')
    const parts = path.split('?')[0]!.split('/').filter(Boolean)
    const [resource] = parts
    const error = parts.at(-1) === 'error' ? callbackError(body) : undefined
    if (resource === 'participants') {
      this.settle(`participants:${parts[1]}`, body, error)
    } else if (resource === 'parties') {
      const [, type, id] = parts
      if (method === 'GET') await this.answerLater(() => this.answerParty(type!, id!, from))
      else this.settle(`party:${type}/${id}`, body, error)
    } else if (resource === 'quotes') {
      if (method === 'POST') await this.answerLater(() => this.answerQuote(body, from))
      else this.settle(`quote:${parts[1]}`, body, error)
    } else if (resource === 'transfers') {
      if (method === 'POST') await this.answerLater(() => this.answerTransfer(body, from))
      else this.transferCallback(method, parts[1]!, body, error)
    }
  }

  private transferCallback(method: string, transferId: string, body: any, error: FspiopCallbackError | undefined): void {
    if (method === 'PATCH') {
      // The payee answered RESERVED; this is the final state.
      if (body.transferState === 'COMMITTED') this.books.bookCredit(transferId)
      else this.books.dropCredit(transferId)
      return
    }
    const final = error ?? (body.transferState === 'COMMITTED' ? undefined : new FspiopCallbackError('5104', `transfer ${body.transferState}`))
    if (this.settle(`transfer:${transferId}`, body, final)) return
    // Not a payer's waiter: an error about a transfer this DFSP is the payee of.
    if (!error) return
    if (this.books.hasExpectedCredit(transferId)) this.books.dropCredit(transferId)
    else if (this.lateErrors.length < LATE_ERRORS_KEPT_MAX) this.lateErrors.push({ transferId, errorCode: error.errorCode })
  }

  private async answerLater(answer: () => Promise<void>): Promise<void> {
    const delay_ms = this.options.answerDelay_ms ?? 0
    if (delay_ms > 0) await new Promise((r) => setTimeout(r, delay_ms))
    await answer()
  }

  private async answerParty(type: string, id: string, requester: string): Promise<void> {
    const customer = this.customers.get(`${type}/${id}`)
    if (!customer) {
      await this.client.send('PUT', `/parties/${type}/${id}/error`, 'parties', errorBody('3204', 'Party not found'), requester)
      return
    }
    await this.client.send('PUT', `/parties/${type}/${id}`, 'parties', { party: { partyIdInfo: { partyIdType: type, partyIdentifier: id, fspId: this.name }, name: customer.name } }, requester)
  }

  private async answerQuote(quote: any, requester: string): Promise<void> {
    const path = `/quotes/${quote.quoteId}`
    const payee = quote.payee?.partyIdInfo
    if (this.options.rejectQuotesWith) {
      await this.client.send('PUT', `${path}/error`, 'quotes', errorBody(this.options.rejectQuotesWith, 'Payee FSP rejected the quote'), requester)
      return
    }
    if (!payee || !this.customers.has(`${payee.partyIdType}/${payee.partyIdentifier}`)) {
      await this.client.send('PUT', `${path}/error`, 'quotes', errorBody('3204', 'Party not found'), requester)
      return
    }
    const ilpPacket = ilpPacketFor({ transactionId: quote.transactionId, quoteId: quote.quoteId, payee: payee.partyIdentifier, amount: quote.amount })
    await this.client.send('PUT', path, 'quotes', {
      transferAmount: quote.amount, expiration: new Date(Date.now() + CALLBACK_TIMEOUT_MS).toISOString(), ilpPacket, condition: this.conditionFor(ilpPacket),
    }, requester)
  }

  private async answerTransfer(prepare: any, requester: string): Promise<void> {
    const path = `/transfers/${prepare.transferId}`
    this.options.payeeObserver?.prepareReceived(prepare.transferId, performance.now())
    if (this.options.rejectTransfersWith) {
      await this.client.send('PUT', `${path}/error`, 'transfers', errorBody(this.options.rejectTransfersWith, 'Payee rejected transaction'), requester)
      return
    }
    const payee = transactionOf(prepare.ilpPacket)?.payee
    if (typeof payee !== 'string' || !this.books.expectCredit(prepare.transferId, payee, prepare.amount.amount)) {
      await this.client.send('PUT', `${path}/error`, 'transfers', errorBody('5000', 'Payee FSP cannot credit this transfer'), requester)
      return
    }
    const state = this.options.payeeAnswers ?? 'COMMITTED'
    this.options.payeeObserver?.fulfilSent(prepare.transferId, performance.now())
    const answer = await this.client.send('PUT', path, 'transfers', {
      transferState: state, fulfilment: fulfilmentFor(this.options.secret, prepare.ilpPacket), completedTimestamp: new Date().toISOString(),
    }, requester)
    if (answer.status >= 300) this.books.dropCredit(prepare.transferId)
    else if (state === 'COMMITTED') this.books.bookCredit(prepare.transferId)
  }

  async close(): Promise<void> {
    for (const waiters of this.waiting.values()) for (const w of waiters) clearTimeout(w.timer)
    this.waiting.clear()
    await this.client.close()
  }
}

function errorBody(errorCode: string, errorDescription: string) {
  return { errorInformation: { errorCode, errorDescription } }
}

function callbackError(body: any): FspiopCallbackError {
  const info = body?.errorInformation
  return new FspiopCallbackError(String(info?.errorCode ?? '1000'), String(info?.errorDescription ?? 'error callback without errorInformation'))
}
