// A reference DFSP that speaks FSPIOP (v1.1 or v2.0) with the switch. As payee it answers party lookups
// from its customers, quotes with a real ILP condition, and fulfils transfers; as payer it looks up,
// quotes and transfers, each call a promise settled by the switch's callback, with its timestamps. It keeps
// its own books (books.ts): money moves only when the transfer is final in the switch's ledger, whenever
// and however often the DFSP hears it (a late callback after the caller stopped waiting still books; a
// repeat changes nothing). A transfer whose final state it has not heard in time, or whose request failed
// on the way, it resolves by asking the switch (transfer-resolver.ts) until it has an answer. Options
// make it reject or delay, for tests.
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FspiopVersion } from '../../switch/fspiop/headers.ts'
import { Books, type FinalState } from './books.ts'
import { conditionFor, fulfilmentFor, transactionOf } from './ilp.ts'
import { answerParty, answerQuote, errorBody, type QuoteTerms } from './payee-answers.ts'
import { answerBulkQuote, answerBulkTransfer, bulkFinals } from './bulk-payee.ts'
import { SwitchClient, type SwitchAnswer } from './switch-client.ts'
import { TransferResolver } from './transfer-resolver.ts'
import { transferNews } from './transfer-callbacks.ts'
import { Waiters } from '../connector-core/waiters.ts'
import { BooksJournal, replay } from './books-journal.ts'
import { callbackError, FspiopCallbackError, type Timed } from './payer-calls.ts'
import { FxPayer, type ConvertedPayment, type IlpTerms } from './fx-payer.ts'
import { FxProvider, type FxpOptions } from './fx-provider.ts'
import type { Money } from './fx-terms.ts'
import { receiveFx } from './fx-callbacks.ts'

export { FspiopCallbackError, type Timed }

export const CALLBACK_TIMEOUT_MS = 30_000
/** A payee's fulfil that failed on the way (switch down, 5xx) is sent again after this, doubling, until its transfer expires. */
export const FULFIL_RETRY_FIRST_MS = 250
export const FULFIL_RETRY_MAX_MS = 5_000

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
   * As payee, answer a prepare RESERVED (the default: the switch's PATCH /transfers/{id} says when it is
   * final, FSPIOP v1.1) or COMMITTED (the switch tells only of a failure, so the payee asks for the state
   * with GET /transfers/{id} once its fulfil is accepted). Either way the credit is booked only on COMMITTED.
   */
  payeeAnswers?: 'COMMITTED' | 'RESERVED'
  /** How long a payer's call waits for its callback (CALLBACK_TIMEOUT_MS); the books wait on regardless. */
  callbackTimeout_ms?: number
  /** How long after sending a prepare, or fulfilling one, the DFSP starts asking for a final state it has not heard (CALLBACK_TIMEOUT_MS). */
  resolveAfter_ms?: number
  /** The expiration a payer gives its transfers, from now (CALLBACK_TIMEOUT_MS). */
  transferExpiry_ms?: number
  /** First and longest wait between two GET /transfers/{id} of one transfer (transfer-resolver.ts). */
  resolveBackoffFirst_ms?: number
  resolveBackoffMax_ms?: number
  /**
   * Keeps the books in this file (books-journal.ts): every movement is on disk before the DFSP acts on it,
   * and a DFSP started on the file has its books back and resolves what was pending. Without it the books
   * live as long as the process.
   */
  booksFile?: string
  /** Signs every request with a body (FSPIOP-Signature), for schemes that require it. */
  jwsPrivateKey?: string
  /** Told when this DFSP, as payee, receives a prepare and when the switch accepts its fulfil (load tests time the legs). */
  payeeObserver?: PayeeObserver
  /** The currency of its customers' accounts. With FSPIOP v2.0 its party answers say so (supportedCurrencies), and pay() converts when a payee's differs. */
  currency?: string
  /** Makes this DFSP a foreign exchange provider too: rates, fee and liquidity (fx-provider.ts). */
  fxp?: FxpOptions
}

export interface PayeeObserver {
  prepareReceived(transferId: string, at_ms: number): void
  fulfilSent(transferId: string, at_ms: number): void
}

/** A prepare that failed on the way or got a 5xx: the switch may hold it. The books keep the hold until the DFSP learns its state. */
export class TransferOutcomeUnknown extends Error {
  constructor(readonly transferId: string, reason: string) {
    super(`transfer ${transferId}: outcome unknown (${reason}); resolving with GET /transfers/${transferId}`)
  }
}

export class ReferenceDfsp {
  readonly books = new Books()
  /** Final states of its own transfers (as payer) it heard only after the caller had stopped waiting for them. */
  lateFinals = 0
  private readonly waiters: Waiters
  private readonly callbackTimeout_ms: number
  private readonly resolver: TransferResolver
  /** Customers by "idType/id", for lookups and quotes. */
  private readonly customers: Map<string, Customer>
  private readonly payerIdTypes: Map<string, string>
  private readonly client: SwitchClient
  private readonly stopping = new AbortController()
  private readonly journal?: BooksJournal
  readonly version: FspiopVersion
  /** Its calls as payer across currencies (fx-payer.ts). */
  readonly fx: FxPayer
  /** Its role as foreign exchange provider, when it has one (fx-provider.ts). */
  readonly fxProvider?: FxProvider

  constructor(readonly options: ReferenceDfspOptions) {
    this.version = options.version ?? '1.1'
    this.client = new SwitchClient(options.switchUrl, options.name, this.version, options.jwsPrivateKey)
    this.customers = new Map(options.customers.map((c) => [`${c.idType}/${c.id}`, c]))
    this.payerIdTypes = new Map(options.customers.map((c) => [c.id, c.idType]))
    for (const c of options.customers) this.books.open(c.id, c.balance)
    const opened = options.booksFile ? BooksJournal.open(options.booksFile) : undefined
    const pending = opened ? replay(this.books, opened.entries) : new Map<string, number>()
    this.journal = opened?.journal
    this.waiters = new Waiters()
    this.callbackTimeout_ms = options.callbackTimeout_ms ?? CALLBACK_TIMEOUT_MS
    this.resolver = new TransferResolver({
      askState: (transferId) => this.client.send('GET', `/transfers/${transferId}`, 'transfers', undefined, undefined),
      isPending: (transferId) => this.books.isPending(transferId),
      backoffFirst_ms: options.resolveBackoffFirst_ms, backoffMax_ms: options.resolveBackoffMax_ms,
    })
    this.fx = new FxPayer({
      name: options.name,
      expiry_ms: () => this.options.transferExpiry_ms ?? CALLBACK_TIMEOUT_MS,
      call: (id, key, method, path, resource, body, destination) => this.call(id, key, method, path, resource, body, destination),
      hold: (transferId, customer, amount, expiration_ms) => this.hold(transferId, customer, amount, expiration_ms),
      release: (transferId, error) => this.finish(transferId, 'ABORTED', error),
      prepareHeld: (transferId, payeeFsp, amount, ilp, expiration_ms) => this.prepareHeld(transferId, payeeFsp, amount, ilp, expiration_ms),
      payerIdType: (customer) => this.payerIdTypes.get(customer) ?? 'MSISDN',
    })
    if (options.fxp) this.fxProvider = new FxProvider({ name: options.name, secret: options.secret, client: this.client, options: options.fxp, stopping: this.stopping.signal })
    // What was pending when the DFSP stopped may have become final meanwhile: ask at once.
    for (const [transferId, expiration_ms] of pending) this.resolver.track(transferId, expiration_ms, 0)
  }

  get name(): string {
    return this.options.name
  }

  /** GET /transfers/{id} this DFSP has sent to learn final states it had not heard. */
  get transferStatesAsked(): number {
    return this.resolver.statesAsked
  }

  /** The condition this DFSP, as payee, will fulfil for a packet (what its quote would have given). */
  conditionFor(ilpPacket: string): string {
    return conditionFor(this.options.secret, ilpPacket)
  }

  /** Registers this DFSP's customers with the switch's account lookup (batch POST /participants). Set-up,
   *  not a payment: it waits the default callback time even where a short callbackTimeout_ms is set to
   *  exercise the payer giving up on transfers. */
  registerParties(): Promise<Timed<any>> {
    const requestId = randomUUID()
    const body = { requestId, partyList: this.options.customers.map((c) => ({ partyIdType: c.idType, partyIdentifier: c.id, fspId: this.name })) }
    const wait_ms = Math.max(this.callbackTimeout_ms, CALLBACK_TIMEOUT_MS)
    return this.call(requestId, `participants:${requestId}`, 'POST', '/participants', 'participants', body, undefined, wait_ms)
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

  /**
   * Holds the amount in the payer's books and sends the prepare; the promise settles with the final
   * callback. The books debit on COMMITTED and release on ABORTED, whenever the DFSP learns it: a caller
   * that stopped waiting (timeout, TransferOutcomeUnknown) leaves the hold to be resolved.
   */
  async transfer(payerCustomer: string, payeeFsp: string, amount: string, currency: string, ilp: IlpTerms): Promise<Timed<any>> {
    const transferId = randomUUID()
    const expiration_ms = Date.now() + (this.options.transferExpiry_ms ?? CALLBACK_TIMEOUT_MS)
    if (!this.hold(transferId, payerCustomer, amount, expiration_ms)) throw new FspiopCallbackError('4001', `${payerCustomer} cannot pay ${amount}`)
    return this.prepareHeld(transferId, payeeFsp, { amount, currency }, ilp, expiration_ms)
  }

  /**
   * A payment to a party, found by lookup: a quote and a transfer in this DFSP's currency when the payee
   * takes it (or says nothing of its currencies), else converted on the payer's side (fx-payer.ts), the
   * amount sent in this DFSP's currency (SEND).
   */
  async pay(payerCustomer: string, payee: { idType: string; id: string }, amount: string): Promise<Timed<{ party: any; converted?: ConvertedPayment; quote?: any; transfer: any }>> {
    const currency = this.options.currency ?? 'USD'
    const started_ms = performance.now()
    const party = await this.lookup(payee.idType, payee.id)
    const to = { ...payee, fspId: party.value.party.partyIdInfo.fspId as string }
    const theirs: string[] | undefined = party.value.party.supportedCurrencies
    if (!theirs?.length || theirs.includes(currency)) {
      const quote = await this.quote(to, payerCustomer, amount, currency)
      const transfer = await this.transfer(payerCustomer, to.fspId, quote.value.transferAmount.amount, currency, quote.value)
      return { id: transfer.id, value: { party: party.value, quote: quote.value, transfer: transfer.value }, started_ms, accepted_ms: transfer.accepted_ms, finished_ms: transfer.finished_ms }
    }
    const converted = await this.fx.pay(payerCustomer, to, { currency, amount }, theirs[0]!)
    const { transfer } = converted
    return { id: transfer.id, value: { party: party.value, converted, transfer: transfer.value }, started_ms, accepted_ms: transfer.accepted_ms, finished_ms: transfer.finished_ms }
  }

  /** Holds the amount in the payer's books (on disk first, with a journal) and resolves the transfer's state if it is not heard in time. */
  private hold(transferId: string, customer: string, amount: string, expiration_ms: number): boolean {
    if (this.stopping.signal.aborted) throw new Error(`${this.name}: closed`)
    if (!this.books.hold(transferId, customer, amount)) return false
    this.journal?.append({ kind: 'hold', transferId, customer, amount, expiration_ms })
    this.resolver.track(transferId, expiration_ms, this.options.resolveAfter_ms ?? CALLBACK_TIMEOUT_MS)
    return true
  }

  /** Sends the prepare of a held transfer; the promise settles with the final callback. */
  private async prepareHeld(transferId: string, payeeFsp: string, amount: Money, ilp: IlpTerms, expiration_ms: number): Promise<Timed<any>> {
    const body = {
      transferId, payerFsp: this.name, payeeFsp, amount, ilpPacket: ilp.ilpPacket, condition: ilp.condition,
      expiration: new Date(expiration_ms).toISOString(),
    }
    const key = `transfer:${transferId}`
    const started_ms = performance.now()
    const settled = this.waiters.wait(key, this.callbackTimeout_ms)
    settled.catch(() => {}) // the callback may come before the switch's 202 does: awaited below
    let answer: SwitchAnswer
    try {
      answer = await this.client.send('POST', '/transfers', 'transfers', body, payeeFsp)
    } catch (error) {
      this.resolver.resolveNow(transferId, expiration_ms)
      this.waiters.settle(key, undefined, new TransferOutcomeUnknown(transferId, (error as Error).message))
      return settled
    }
    const accepted_ms = performance.now()
    if (answer.status >= 500) {
      this.resolver.resolveNow(transferId, expiration_ms)
      this.waiters.settle(key, undefined, new TransferOutcomeUnknown(transferId, `the switch answered ${answer.status}`))
    } else if (answer.status >= 300) {
      // Refused before it reached the pipeline: the switch holds nothing.
      const info = answer.body?.errorInformation
      this.finish(transferId, 'ABORTED', new FspiopCallbackError(info?.errorCode ?? String(answer.status), info?.errorDescription ?? 'refused'))
    }
    const value = await settled
    return { id: transferId, value, started_ms, accepted_ms, finished_ms: performance.now() }
  }

  private async call<T = any>(id: string, key: string, method: 'GET' | 'POST', path: string, resource: string, body: unknown, destination: string | undefined, wait_ms = this.callbackTimeout_ms): Promise<Timed<T>> {
    const started_ms = performance.now()
    const settled = this.waiters.wait(key, wait_ms)
    // The callback may come before the switch's 202 does: mark the rejection handled now, await it below.
    settled.catch(() => {})
    let accepted_ms = started_ms
    try {
      const answer = await this.client.send(method, path, resource, body, destination)
      accepted_ms = performance.now()
      if (answer.status >= 300) {
        const info = answer.body?.errorInformation
        this.waiters.settle(key, undefined, new FspiopCallbackError(info?.errorCode ?? String(answer.status), info?.errorDescription ?? 'refused'))
      }
    } catch (error) {
      this.waiters.settle(key, undefined, error as Error)
    }
    const value = await settled
    return { id, value, started_ms, accepted_ms, finished_ms: performance.now() }
  }

  // ---- what the switch sends this DFSP ----

  /** Handles a request or callback from the switch (after the HTTP answer has been sent). */
  async receive(method: string, path: string, headers: Record<string, string | string[] | undefined>, body: any): Promise<void> {
    if (this.stopping.signal.aborted) return // closed: what comes now is for the next DFSP on these books
    const from = String(headers['fspiop-source'] ?? '')
    const parts = path.split('?')[0]!.split('/').filter(Boolean)
    const [resource] = parts
    const isError = parts.at(-1) === 'error'
    const error = isError ? callbackError(body) : undefined
    if (resource === 'participants') {
      this.waiters.settle(`participants:${parts[1]}`, body, error)
    } else if (resource === 'parties') {
      const [, type, id] = parts
      if (method === 'GET') await this.answerLater(() => answerParty(this.client, this.name, this.customers, type!, id!, from, this.partyCurrencies()))
      else this.waiters.settle(`party:${type}/${id}`, body, error)
    } else if (resource === 'quotes') {
      if (method === 'POST') await this.answerLater(() => answerQuote(this.client, this.quoteTerms(), body, from))
      else this.waiters.settle(`quote:${parts[1]}`, body, error)
    } else if (resource === 'bulkQuotes') {
      if (method === 'POST') await this.answerLater(() => answerBulkQuote(this.client, this.quoteTerms(), body, from))
      else this.waiters.settle(`bulkQuote:${parts[1]}`, body, error)
    } else if (resource === 'bulkTransfers') {
      if (method === 'POST') await this.answerLater(() => answerBulkTransfer((path, answer, expiration_ms) => this.sendFulfil(path, answer, from, expiration_ms, 'bulkTransfers'), this.books, this.options.secret, body))
      else if (!isError) for (const f of bulkFinals(body)) this.finish(f.transferId, f.state)
      this.waiters.settle(`bulkTransfer:${parts[1]}`, body, error)
    } else if (resource === 'transfers') {
      if (method === 'POST') await this.answerLater(() => this.answerTransfer(body, from))
      else this.transferCallback(parts[1]!, isError, body, Date.parse(String(headers.date ?? '')))
    } else if (resource === 'services' || resource === 'fxQuotes' || resource === 'fxTransfers') {
      await receiveFx({ name: this.name, client: this.client, waiters: this.waiters, fxProvider: this.fxProvider, answerLater: (a) => this.answerLater(a) }, method, parts, isError, body, from)
    }
  }

  /** What its party answers say of its currencies: only in FSPIOP v2.0 (Party.supportedCurrencies), and only when it has one set. */
  private partyCurrencies(): string[] | undefined {
    return this.version === '2.0' && this.options.currency ? [this.options.currency] : undefined
  }

  private quoteTerms(): QuoteTerms {
    return { customers: this.customers, rejectWith: this.options.rejectQuotesWith, conditionFor: (p) => this.conditionFor(p), expiry_ms: CALLBACK_TIMEOUT_MS }
  }

  /** PUT /transfers/{id}, PUT /transfers/{id}/error or PATCH /transfers/{id}, as payer or payee, on time or late. */
  /** `sentAt_ms`: the message's Date (when the switch made it; NaN when it has none). */
  private transferCallback(transferId: string, isError: boolean, body: any, sentAt_ms: number): void {
    const news = transferNews(isError, body)
    if (news.kind === 'final') {
      this.finish(transferId, news.state, news.errorCode ? new FspiopCallbackError(news.errorCode, news.description!) : undefined, body)
    } else if (news.kind === 'not-found' && this.resolver.notFoundIsFinal(transferId, Number.isNaN(sentAt_ms) ? Date.now() : sentAt_ms)) {
      this.finish(transferId, 'ABORTED', new FspiopCallbackError('3208', 'the switch holds no such transfer'))
    }
    // Not final yet, or nothing about the state: the resolver asks again.
  }

  /** The transfer is final: book it (once), stop resolving it, answer the payer's call if it still waits. */
  private finish(transferId: string, state: FinalState, error?: FspiopCallbackError, body?: unknown): void {
    if (this.stopping.signal.aborted) return // closed: the books (and their file) are the next DFSP's
    const wasPending = this.books.isPending(transferId)
    this.books.finish(transferId, state)
    if (wasPending) this.journal?.append({ kind: 'final', transferId, state })
    this.resolver.settled(transferId)
    const key = `transfer:${transferId}`
    const waited = this.waiters.settle(key, body, state === 'COMMITTED' ? undefined : (error ?? new FspiopCallbackError('5104', `transfer ${state}`)))
    if (wasPending && !waited && this.books.finals.get(transferId)?.role === 'payer') this.lateFinals++
  }

  private async answerLater(answer: () => Promise<void>): Promise<void> {
    const delay_ms = this.options.answerDelay_ms ?? 0
    if (delay_ms > 0) await new Promise((r) => setTimeout(r, delay_ms))
    await answer()
  }

  private async answerTransfer(prepare: any, requester: string): Promise<void> {
    const transferId: string = prepare.transferId
    const path = `/transfers/${transferId}`
    this.options.payeeObserver?.prepareReceived(transferId, performance.now())
    if (this.books.knows(transferId) || this.stopping.signal.aborted) return // the same prepare again (it was answered), or closed
    if (this.options.rejectTransfersWith) {
      await this.client.send('PUT', `${path}/error`, 'transfers', errorBody(this.options.rejectTransfersWith, 'Payee rejected transaction'), requester)
      return
    }
    const payee = transactionOf(prepare.ilpPacket)?.payee
    if (typeof payee !== 'string' || !this.books.expectCredit(transferId, payee, prepare.amount.amount)) {
      await this.client.send('PUT', `${path}/error`, 'transfers', errorBody('5000', 'Payee FSP cannot credit this transfer'), requester)
      return
    }
    const state = this.options.payeeAnswers ?? 'RESERVED'
    const expiration_ms = Date.parse(prepare.expiration)
    this.journal?.append({ kind: 'expect', transferId, customer: payee, amount: prepare.amount.amount, expiration_ms })
    this.resolver.track(transferId, expiration_ms, this.options.resolveAfter_ms ?? CALLBACK_TIMEOUT_MS)
    this.options.payeeObserver?.fulfilSent(transferId, performance.now())
    const fulfil = { transferState: state, fulfilment: fulfilmentFor(this.options.secret, prepare.ilpPacket), completedTimestamp: new Date().toISOString() }
    const answer = await this.sendFulfil(path, fulfil, requester, expiration_ms)
    // No PATCH follows a COMMITTED fulfil: the payee asks for the state once the switch has the fulfil.
    if (state === 'COMMITTED' && answer && answer.status < 300) this.resolver.resolveNow(transferId, expiration_ms)
  }

  /**
   * Sends the fulfil (of a transfer, or of a bulk transfer), again while it fails on the way or gets a 5xx,
   * until its transfer expires (the same fulfil again is a duplicate to the switch). A fulfil the switch
   * refuses leaves the transfer to expire.
   */
  private async sendFulfil(path: string, body: object, requester: string, expiration_ms: number, resource: 'transfers' | 'bulkTransfers' = 'transfers'): Promise<SwitchAnswer | undefined> {
    for (let wait_ms = FULFIL_RETRY_FIRST_MS; ; wait_ms = Math.min(FULFIL_RETRY_MAX_MS, wait_ms * 2)) {
      const answer = await this.client.send('PUT', path, resource, body, requester).catch(() => undefined)
      if (answer && answer.status < 500) return answer
      if (Date.now() + wait_ms > expiration_ms) return answer
      try {
        await sleep(wait_ms, undefined, { signal: this.stopping.signal })
      } catch {
        return answer
      }
    }
  }

  async close(): Promise<void> {
    this.stopping.abort()
    this.resolver.close()
    this.waiters.stopAll()
    this.journal?.close()
    await this.client.close()
  }
}
