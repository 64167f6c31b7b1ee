// A reference DFSP that speaks FSPIOP with the switch: as payee it answers party lookups from its
// customers, quotes with a real ILP condition, and fulfils transfers; as payer it looks up, quotes and
// transfers, each call a promise settled by the switch's callback. It keeps its own books.
import { randomUUID } from 'node:crypto'
import { Pool } from 'undici'
import { contentTypeFor, type FspiopVersion } from '../../switch/fspiop/headers.ts'
import { Books } from './books.ts'
import { conditionFor, fulfilmentFor, ilpPacketFor, transactionOf } from './ilp.ts'

export const CALLBACK_TIMEOUT_MS = 30_000
export const CONNECTIONS_TO_SWITCH = 64

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
  /** As payee, refuse every transfer with this FSPIOP error code. */
  rejectTransfersWith?: string
}

export interface Timed<T> {
  value: T
  started_ms: number
  accepted_ms: number
  finished_ms: number
}

type Pending = { resolve: (v: any) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }

export class FspiopCallbackError extends Error {
  constructor(readonly errorCode: string, description: string) {
    super(`${errorCode} ${description}`)
  }
}

export class ReferenceDfsp {
  readonly books = new Books()
  /** Waiters by key; one callback answers every request for the same party, quote or transfer. */
  private readonly pending = new Map<string, Pending[]>()
  private readonly pool: Pool
  readonly version: FspiopVersion

  constructor(readonly options: ReferenceDfspOptions) {
    this.pool = new Pool(options.switchUrl, { connections: CONNECTIONS_TO_SWITCH, pipelining: 1, keepAliveTimeout: 30_000 })
    this.version = options.version ?? '1.1'
    for (const c of options.customers) this.books.open(c.id, c.balance)
  }

  get name(): string {
    return this.options.name
  }

  /** The condition this DFSP, as payee, will fulfil for a packet (what a quote would have given). */
  conditionFor(ilpPacket: string): string {
    return conditionFor(this.options.secret, ilpPacket)
  }

  /** Registers this DFSP's customers with the switch's account lookup (batch POST /participants). */
  registerParties(): Promise<Timed<any>> {
    const requestId = randomUUID()
    const body = { requestId, partyList: this.options.customers.map((c) => ({ partyIdType: c.idType, partyIdentifier: c.id, fspId: this.name })) }
    return this.call(`participants:${requestId}`, 'POST', '/participants', 'participants', body, undefined)
  }

  // ---- payer side ----

  lookup(idType: string, id: string): Promise<Timed<any>> {
    return this.call(`party:${idType}/${id}`, 'GET', `/parties/${idType}/${id}`, 'parties', undefined, undefined)
  }

  quote(payee: { fspId: string; idType: string; id: string }, payerCustomer: string, amount: string, currency: string): Promise<Timed<any>> {
    const quoteId = randomUUID()
    const body = {
      quoteId, transactionId: randomUUID(), amountType: 'SEND', amount: { amount, currency },
      payee: { partyIdInfo: { partyIdType: payee.idType, partyIdentifier: payee.id, fspId: payee.fspId } },
      payer: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: payerCustomer, fspId: this.name } },
      transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
    }
    return this.call(`quote:${quoteId}`, 'POST', '/quotes', 'quotes', body, payee.fspId)
  }

  /** Holds the amount in the payer's books, sends the prepare, settles or releases on the final callback. */
  async transfer(payerCustomer: string, payeeFsp: string, amount: string, currency: string, ilp: { ilpPacket: string; condition: string }): Promise<Timed<any>> {
    const transferId = randomUUID()
    if (!this.books.hold(transferId, payerCustomer, amount)) throw new FspiopCallbackError('4001', `${payerCustomer} cannot pay ${amount}`)
    const body = {
      transferId, payerFsp: this.name, payeeFsp, amount: { amount, currency }, ilpPacket: ilp.ilpPacket, condition: ilp.condition,
      expiration: new Date(Date.now() + CALLBACK_TIMEOUT_MS).toISOString(),
    }
    try {
      const result = await this.call(`transfer:${transferId}`, 'POST', '/transfers', 'transfers', body, payeeFsp)
      this.books.settleHold(transferId)
      return result
    } catch (error) {
      this.books.releaseHold(transferId)
      throw error
    }
  }

  private async call(key: string, method: 'GET' | 'POST', path: string, resource: string, body: unknown, destination: string | undefined): Promise<Timed<any>> {
    const started_ms = performance.now()
    const settled = new Promise<any>((resolve, reject) => {
      const waiter: Pending = {
        resolve, reject,
        timer: setTimeout(() => {
          const rest = (this.pending.get(key) ?? []).filter((w) => w !== waiter)
          if (rest.length > 0) this.pending.set(key, rest)
          else this.pending.delete(key)
          reject(new Error(`${this.name}: no callback for ${key} within ${CALLBACK_TIMEOUT_MS} ms`))
        }, CALLBACK_TIMEOUT_MS),
      }
      this.pending.set(key, [...(this.pending.get(key) ?? []), waiter])
    })
    const response = await this.send(method, path, resource, body, destination)
    const accepted_ms = performance.now()
    if (response.status >= 300) {
      this.settle(key, undefined, new FspiopCallbackError(response.body?.errorInformation?.errorCode ?? String(response.status), response.body?.errorInformation?.errorDescription ?? 'refused'))
    }
    const value = await settled
    return { value, started_ms, accepted_ms, finished_ms: performance.now() }
  }

  private settle(key: string, value: unknown, error?: Error): void {
    const waiters = this.pending.get(key)
    if (!waiters) return
    this.pending.delete(key)
    for (const p of waiters) {
      clearTimeout(p.timer)
      if (error) p.reject(error)
      else p.resolve(value)
    }
  }

  async send(method: string, path: string, resource: string, body: unknown, destination: string | undefined): Promise<{ status: number; body: any }> {
    const headers: Record<string, string> = {
      'content-type': contentTypeFor(resource, this.version), date: new Date().toUTCString(), 'fspiop-source': this.name,
      ...(destination ? { 'fspiop-destination': destination } : {}),
      ...(method === 'GET' || method === 'POST' ? { accept: contentTypeFor(resource, this.version) } : {}),
    }
    const r = await this.pool.request({ method: method as 'GET', path, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await r.body.text()
    return { status: r.statusCode, body: text ? JSON.parse(text) : undefined }
  }

  // ---- what the switch sends this DFSP ----

  /** Handles a request or callback from the switch (after the HTTP answer has been sent). */
  async receive(method: string, path: string, headers: Record<string, string | string[] | undefined>, body: any): Promise<void> {
    const from = String(headers['fspiop-source'] ?? '')
    const parts = path.split('?')[0]!.split('/').filter(Boolean)
    const [resource] = parts
    const isError = parts.at(-1) === 'error'
    if (resource === 'participants') return this.settle(`participants:${parts[1]}`, body)
    if (resource === 'parties') {
      const [, type, id] = parts
      if (method === 'GET') return this.answerParty(type!, id!, from)
      return this.settle(`party:${type}/${id}`, body, isError ? new FspiopCallbackError(body.errorInformation.errorCode, body.errorInformation.errorDescription) : undefined)
    }
    if (resource === 'quotes') {
      if (method === 'POST') return this.answerQuote(body, from)
      return this.settle(`quote:${parts[1]}`, body, isError ? new FspiopCallbackError(body.errorInformation.errorCode, body.errorInformation.errorDescription) : undefined)
    }
    if (resource === 'transfers') {
      if (method === 'POST') return this.answerTransfer(body, from)
      if (method === 'PATCH') return
      const key = `transfer:${parts[1]}`
      if (isError) return this.settle(key, undefined, new FspiopCallbackError(body.errorInformation.errorCode, body.errorInformation.errorDescription))
      if (body.transferState === 'COMMITTED') return this.settle(key, body)
      return this.settle(key, undefined, new FspiopCallbackError('5104', `transfer ${body.transferState}`))
    }
  }

  private async answerParty(type: string, id: string, requester: string): Promise<void> {
    const customer = this.options.customers.find((c) => c.idType === type && c.id === id)
    if (!customer) {
      await this.send('PUT', `/parties/${type}/${id}/error`, 'parties', { errorInformation: { errorCode: '3204', errorDescription: 'Party not found' } }, requester)
      return
    }
    await this.send('PUT', `/parties/${type}/${id}`, 'parties', { party: { partyIdInfo: { partyIdType: type, partyIdentifier: id, fspId: this.name }, name: customer.name } }, requester)
  }

  private async answerQuote(quote: any, requester: string): Promise<void> {
    const ilpPacket = ilpPacketFor({ transactionId: quote.transactionId, quoteId: quote.quoteId, payee: quote.payee.partyIdInfo.partyIdentifier, amount: quote.amount })
    await this.send('PUT', `/quotes/${quote.quoteId}`, 'quotes', {
      transferAmount: quote.amount, expiration: new Date(Date.now() + CALLBACK_TIMEOUT_MS).toISOString(), ilpPacket, condition: this.conditionFor(ilpPacket),
    }, requester)
  }

  private async answerTransfer(prepare: any, requester: string): Promise<void> {
    const path = `/transfers/${prepare.transferId}`
    if (this.options.rejectTransfersWith) {
      await this.send('PUT', `${path}/error`, 'transfers', { errorInformation: { errorCode: this.options.rejectTransfersWith, errorDescription: 'Payee rejected transaction' } }, requester)
      return
    }
    const payee = transactionOf(prepare.ilpPacket).payee as string
    this.books.credit(payee, prepare.amount.amount)
    await this.send('PUT', path, 'transfers', { transferState: 'COMMITTED', fulfilment: fulfilmentFor(this.options.secret, prepare.ilpPacket), completedTimestamp: new Date().toISOString() }, requester)
  }

  async close(): Promise<void> {
    for (const waiters of this.pending.values()) for (const p of waiters) clearTimeout(p.timer)
    await this.pool.close()
  }
}

