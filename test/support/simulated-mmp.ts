// A mobile money provider's platform as its GSMA connector sees it, for end-to-end tests: wallets with books
// in decimal strings; as payer it holds the amount, calls the connector's GSMA API and settles on the
// callback (debit on a completed transaction, release on an error object); as payee it serves its own GSMA
// API (account holder name, POST /transactions/type/transfer answered 201 or 202 then a callback, missing
// responses, reversals) and books what it completes.
import Fastify from 'fastify'
import { randomUUID } from 'node:crypto'
import { request } from 'undici'
import { Decimal } from '../../ledger/domain/money.ts'

export interface Wallet { balance: Decimal; held: Decimal }
export interface Identifier { key: string; value: string }
/** Every GSMA object the tests read (request state, transaction, quotation, error, account name), all optional. */
export interface GsmaMessage {
  serverCorrelationId?: string; status?: string; notificationMethod?: string; objectReference?: string; error?: GsmaMessage
  transactionReference?: string; transactionStatus?: string; amount?: string; currency?: string; type?: string
  debitParty?: Identifier[]; creditParty?: Identifier[]; receivingServiceProvider?: string; requestingOrganisationTransactionReference?: string
  quotationReference?: string; quotationStatus?: string; quotes?: { sendingAmount: string; receivingAmount: string; receivingServiceProvider?: string }[]
  errorCategory?: string; errorCode?: string; errorDescription?: string; errorDateTime?: string; errorParameters?: Identifier[]
  name?: Record<string, string>; link?: string; serviceStatus?: string
}
type Headers = Record<string, string | string[] | undefined>
export interface Heard { status: number; headers: Headers; body: GsmaMessage }
export interface Callback { headers: Headers; body: GsmaMessage }

export class SimulatedMmp {
  readonly wallets = new Map<string, Wallet>()
  /** Callbacks this platform received for its own requests, by X-CorrelationID. */
  readonly callbacks = new Map<string, Callback[]>()
  /** Credit requests the connector posted to this platform's own API (X-CorrelationID of each try). */
  readonly creditRequests: { correlationId: string; body: GsmaMessage }[] = []
  readonly reversals: string[] = []
  /** 'sync': 201 with the completed transaction; 'async': 202, then PUT {X-Callback-URL}. */
  creditMode: 'sync' | 'async' = 'sync'
  /** Callback tries to refuse with 503 before this platform takes them (a platform that is briefly down). */
  callbackRefusals = 0
  refusedCallbacks = 0
  /** While set, a credit waits for it before it is booked (a payee platform that is slow to answer). */
  creditGate: Promise<void> | undefined
  private readonly holds = new Map<string, { msisdn: string; amount: Decimal }>()
  private readonly credited = new Map<string, { reference: string; transaction: GsmaMessage }>()
  private app = Fastify()
  url = ''

  constructor(wallets: Record<string, string>, names: Record<string, { firstName: string; lastName: string }> = {}) {
    for (const [msisdn, balance] of Object.entries(wallets)) this.wallets.set(msisdn, { balance: new Decimal(balance), held: new Decimal(0) })
    const app = this.app
    const error = (category: string, code: string, description: string) => ({ errorCategory: category, errorCode: code, errorDescription: description, errorDateTime: new Date().toISOString() })
    app.get<{ Params: { type: string; id: string } }>('/accounts/:type/:id/accountname', async (req, reply) => {
      if (req.params.type !== 'msisdn' || !this.wallets.has(req.params.id)) return reply.code(404).send(error('identification', 'identifierError', 'Account does not exist'))
      const n = names[req.params.id] ?? { firstName: 'Wallet', lastName: req.params.id }
      return { name: { firstName: n.firstName, lastName: n.lastName, fullName: `${n.firstName} ${n.lastName}` } }
    })
    app.post('/transactions/type/transfer', async (req, reply) => {
      const body = req.body as GsmaMessage
      const cid = String(req.headers['x-correlationid'] ?? '')
      const callbackUrl = String(req.headers['x-callback-url'] ?? '')
      this.creditRequests.push({ correlationId: cid, body })
      if (this.creditGate) await this.creditGate
      if (!cid || !callbackUrl) return reply.code(400).send(error('validation', 'mandatoryValueNotSupplied', 'X-CorrelationID and X-Callback-URL are required'))
      if (this.credited.has(cid)) return reply.code(400).send(error('businessRule', 'duplicateRequest', 'seen before'))
      const msisdn = body.creditParty?.find((p) => p.key === 'msisdn')?.value ?? ''
      const wallet = this.wallets.get(msisdn)
      if (!wallet) return reply.code(404).send(error('identification', 'identifierError', 'Account does not exist'))
      const reference = randomUUID()
      wallet.balance = wallet.balance.plus(new Decimal(body.amount ?? '0'))
      const transaction = { ...body, transactionReference: reference, transactionStatus: 'completed', creationDate: new Date().toISOString() }
      this.credited.set(cid, { reference, transaction })
      if (this.creditMode === 'sync') return reply.code(201).send(transaction)
      setTimeout(() => { void request(callbackUrl, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-correlationid': cid }, body: JSON.stringify(transaction) }).then((r) => r.body.dump()) }, 20)
      return reply.code(202).send({ serverCorrelationId: randomUUID(), status: 'pending', notificationMethod: 'callback', objectReference: reference })
    })
    app.get<{ Params: { id: string } }>('/responses/:id', async (req, reply) => {
      const done = this.credited.get(req.params.id)
      return done ? { link: `/transactions/${done.reference}` } : reply.code(404).send(error('identification', 'identifierError', 'no response'))
    })
    app.get<{ Params: { ref: string } }>('/transactions/:ref', async (req, reply) => {
      const done = [...this.credited.values()].find((c) => c.reference === req.params.ref)
      return done ? done.transaction : reply.code(404).send(error('identification', 'identifierError', 'Transaction does not exist'))
    })
    app.post<{ Params: { ref: string } }>('/transactions/:ref/reversals', async (req, reply) => {
      const done = [...this.credited.values()].find((c) => c.reference === req.params.ref)
      if (!done) return reply.code(404).send(error('identification', 'identifierError', 'Transaction does not exist'))
      if (!this.reversals.includes(req.params.ref)) {
        this.reversals.push(req.params.ref)
        const wallet = this.wallets.get(done.transaction.creditParty!.find((p) => p.key === 'msisdn')!.value)!
        wallet.balance = wallet.balance.minus(new Decimal(done.transaction.amount!))
      }
      return reply.code(202).send({ serverCorrelationId: randomUUID(), status: 'pending', notificationMethod: 'callback' })
    })
    app.put<{ Params: { cid: string } }>('/mmp-callbacks/:cid', async (req, reply) => {
      const cid = req.params.cid
      if (this.callbackRefusals > 0) {
        this.callbackRefusals--
        this.refusedCallbacks++
        return reply.code(503).send()
      }
      this.callbacks.set(cid, [...(this.callbacks.get(cid) ?? []), { headers: req.headers, body: req.body as GsmaMessage }])
      this.settle(cid, req.body as GsmaMessage | undefined)
      return reply.code(204).send()
    })
  }

  async start(): Promise<void> {
    await this.app.listen({ host: '127.0.0.1', port: 0 })
    this.url = `http://127.0.0.1:${(this.app.server.address() as { port: number }).port}`
  }

  callbackUrl(cid: string): string {
    return `${this.url}/mmp-callbacks/${cid}`
  }

  /** POST /transactions/type/transfer to the connector, holding the amount until the callback. */
  async pay(apiUrl: string, p: { from: string; to: string; amount: string; currency?: string; cid?: string; extra?: Record<string, unknown> }): Promise<Heard & { cid: string }> {
    const cid = p.cid ?? randomUUID()
    const wallet = this.wallets.get(p.from)!
    const amount = new Decimal(p.amount)
    if (!this.holds.has(cid)) {
      wallet.held = wallet.held.plus(amount)
      this.holds.set(cid, { msisdn: p.from, amount })
    }
    const heard = await send(apiUrl, 'POST', '/transactions/type/transfer', {
      amount: p.amount, currency: p.currency ?? 'USD', debitParty: [{ key: 'msisdn', value: p.from }], creditParty: [{ key: 'msisdn', value: p.to }], ...p.extra,
    }, { 'x-correlationid': cid, 'x-callback-url': this.callbackUrl(cid) })
    if (heard.status !== 202 && !(heard.body?.errorCode === 'duplicateRequest')) this.release(cid)
    return { ...heard, cid }
  }

  private settle(cid: string, body: GsmaMessage | undefined): void {
    const hold = this.holds.get(cid)
    if (!hold) return
    if (body?.transactionStatus === 'completed') {
      const wallet = this.wallets.get(hold.msisdn)!
      wallet.balance = wallet.balance.minus(hold.amount)
      wallet.held = wallet.held.minus(hold.amount)
      this.holds.delete(cid)
    } else if (body?.errorCategory) this.release(cid)
  }

  private release(cid: string): void {
    const hold = this.holds.get(cid)
    if (!hold) return
    this.holds.delete(cid)
    const wallet = this.wallets.get(hold.msisdn)!
    wallet.held = wallet.held.minus(hold.amount)
  }

  balance(msisdn: string): string {
    return this.wallets.get(msisdn)!.balance.toFixed()
  }

  total(): Decimal {
    let sum = new Decimal(0)
    for (const w of this.wallets.values()) sum = sum.plus(w.balance)
    return sum
  }

  get pendingCount(): number {
    return this.holds.size
  }

  close(): Promise<void> {
    return this.app.close()
  }
}

export async function send(baseUrl: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Heard> {
  const raw = typeof body === 'string'
  const response = await request(`${baseUrl}${path}`, {
    method, body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
  })
  const text = await response.body.text()
  let parsed: unknown
  try { parsed = text ? JSON.parse(text) : undefined } catch { parsed = text }
  return { status: response.statusCode, headers: response.headers, body: (parsed ?? {}) as GsmaMessage }
}
