// A DFSP's core system as a synchronous-API connector sees it, for end-to-end tests: its backend API
// (sdk-scheme-adapter's: GET /parties, POST /quoterequests, POST /transfers, PUT /transfers/{id}) and its
// own books in decimal strings. As payer it holds the amount, calls POST /payments once and debits on
// COMPLETED (releases on a failure, keeps the hold while the answer is unknown); as payee it expects a
// credit at POST /transfers and books it when told COMPLETED.
import Fastify from 'fastify'
import { request } from 'undici'
import { Decimal } from '../../ledger/domain/money.ts'

export interface CoreCustomer {
  idType: string
  idValue: string
  displayName: string
  balance: string
}

export interface CoreAccount {
  balance: Decimal
  held: Decimal
  incoming: Decimal
}

export interface PayAnswer {
  status: number
  body: any
}

export class SimulatedCore {
  readonly accounts = new Map<string, CoreAccount>()
  readonly backendCalls: { method: string; path: string }[] = []
  /** The transfer id of every POST /transfers (credit) the connector made. */
  readonly creditRequests: string[] = []
  private readonly holds = new Map<string, { customer: string; amount: Decimal }>()
  private readonly credits = new Map<string, { customer: string; amount: Decimal }>()
  private readonly booked = new Set<string>()
  /** While set, POST /transfers waits for it (a payee core that is slow to take a credit). */
  creditGate: Promise<void> | undefined
  private app = Fastify()
  backendUrl = ''

  constructor(customers: CoreCustomer[]) {
    const byKey = new Map(customers.map((c) => [`${c.idType}/${c.idValue}`, c]))
    for (const c of customers) this.accounts.set(c.idValue, { balance: new Decimal(c.balance), held: new Decimal(0), incoming: new Decimal(0) })
    const app = this.app
    app.addHook('onRequest', async (req) => { this.backendCalls.push({ method: req.method, path: req.url }) })
    app.get<{ Params: { idType: string; idValue: string } }>('/parties/:idType/:idValue', async (req, reply) => {
      const c = byKey.get(`${req.params.idType}/${req.params.idValue}`)
      if (!c) return reply.code(404).send({ statusCode: '3204', message: 'Party not found' })
      return { idType: c.idType, idValue: c.idValue, displayName: c.displayName, firstName: c.displayName.split(' ')[0], lastName: c.displayName.split(' ').at(-1) }
    })
    app.post('/quoterequests', async (request, reply) => {
      const req = request as { body: any }
      if (!this.accounts.has(req.body.to.idValue)) return reply.code(404).send({ statusCode: '3204', message: 'Party not found' })
      return { quoteId: req.body.quoteId, transactionId: req.body.transactionId, transferAmount: req.body.amount, transferAmountCurrency: req.body.currency, payeeReceiveAmount: req.body.amount, payeeReceiveAmountCurrency: req.body.currency }
    })
    app.post('/transfers', async (request, reply) => {
      const req = request as { body: any }
      this.creditRequests.push(req.body.transferId)
      if (this.creditGate) await this.creditGate
      const customer = req.body.to.idValue
      const account = this.accounts.get(customer)
      if (!account) return reply.code(404).send({ statusCode: '3204', message: 'Party not found' })
      if (!this.credits.has(req.body.transferId) && !this.booked.has(req.body.transferId)) {
        const amount = new Decimal(req.body.amount)
        this.credits.set(req.body.transferId, { customer, amount })
        account.incoming = account.incoming.plus(amount)
      }
      return { homeTransactionId: `core-${req.body.transferId}` }
    })
    app.put('/transfers/:id', async (request) => {
      const req = request as { params: { id: string }; body: any }
      const credit = this.credits.get(req.params.id)
      if (credit) {
        this.credits.delete(req.params.id)
        const account = this.accounts.get(credit.customer)!
        account.incoming = account.incoming.minus(credit.amount)
        if (req.body.currentState === 'COMPLETED') {
          account.balance = account.balance.plus(credit.amount)
          this.booked.add(req.params.id)
        }
      }
      return {}
    })
  }

  async start(): Promise<void> {
    await this.app.listen({ host: '127.0.0.1', port: 0 })
    this.backendUrl = `http://127.0.0.1:${(this.app.server.address() as { port: number }).port}`
  }

  /** Pays through the connector's synchronous API: one call. */
  async pay(apiUrl: string, body: { transferId: string; from: string; to: string; amount: string; currency?: string; [k: string]: unknown }): Promise<PayAnswer> {
    const { from, to, ...rest } = body
    const account = this.accounts.get(from)!
    const amount = new Decimal(body.amount)
    if (account.balance.minus(account.held).lessThan(amount)) return { status: 0, body: 'the core refuses: not enough money' }
    account.held = account.held.plus(amount)
    this.holds.set(body.transferId, { customer: from, amount })
    let answer: PayAnswer
    try {
      answer = await call(apiUrl, 'POST', '/payments', { amountType: 'SEND', currency: 'USD', ...rest, from: { idType: 'MSISDN', idValue: from }, to: { idType: 'MSISDN', idValue: to } })
    } catch (error) {
      return { status: -1, body: String(error) }
    }
    this.apply(body.transferId, answer)
    return answer
  }

  /** Asks the connector for a payment whose answer was unknown, and books what it says. */
  async reconcile(apiUrl: string, transferId: string): Promise<PayAnswer> {
    const answer = await call(apiUrl, 'GET', `/payments/${transferId}`)
    this.apply(transferId, answer)
    return answer
  }

  private apply(transferId: string, answer: PayAnswer): void {
    const hold = this.holds.get(transferId)
    if (!hold) return
    const state = answer.body?.currentState ?? answer.body?.transferState?.currentState
    // A 4xx without a payment (the request itself refused) is as final as a failed payment.
    const refused = answer.status >= 400 && answer.status < 500 && !answer.body?.transferState
    if (!refused && state !== 'COMPLETED' && state !== 'ERROR_OCCURRED' && state !== 'ABORTED') return
    this.holds.delete(transferId)
    const account = this.accounts.get(hold.customer)!
    account.held = account.held.minus(hold.amount)
    if (state === 'COMPLETED') account.balance = account.balance.minus(hold.amount)
  }

  /** Sum of balances (what is booked). */
  total(): Decimal {
    let sum = new Decimal(0)
    for (const a of this.accounts.values()) sum = sum.plus(a.balance)
    return sum
  }

  get pendingCount(): number {
    return this.holds.size + this.credits.size
  }

  close(): Promise<void> {
    return this.app.close()
  }
}

export async function call(baseUrl: string, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<PayAnswer> {
  const response = await request(`${baseUrl}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await response.body.text()
  return { status: response.statusCode, body: text ? JSON.parse(text) : undefined }
}
