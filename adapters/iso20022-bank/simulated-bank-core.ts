// A simulated bank core that speaks ISO 20022 XML, for end-to-end tests and the bench: its own books in decimal strings. As payer
// it holds the amount, POSTs a pacs.008 to its connector and debits on ACSC (releases on RJCT, keeps the
// hold on PDNG until a later pacs.002 says). As payee it answers acmt.023 for its customers, takes a
// pacs.008 as an incoming credit (pacs.002 ACSC) and books it on the camt.054 CRDT (releases it on a RJCT).
// Every message it receives is checked against its XSD.
import Fastify from 'fastify'
import { request } from 'undici'
import { Decimal } from '../../ledger/domain/money.ts'
import { readDocument } from './iso-xml.ts'
import { readPacs008, writePacs008, type CreditTransfer } from './pacs008.ts'
import { readPacs002, writePacs002 } from './pacs002.ts'
import { readAcmt023, writeAcmt024 } from './acmt.ts'
import { validateIso, type IsoMessageType } from './xsd-validation.ts'
import { text, list } from './iso-xml.ts'

export interface IsoCustomer { idType: string; idValue: string; name: string; balance: string }
interface Account { balance: Decimal; held: Decimal; incoming: Decimal }

export class IsoBankCore {
  readonly accounts = new Map<string, Account>()
  readonly received: { type: IsoMessageType; xml: string }[] = []
  /** UETR (or MsgId) of every pacs.008 the connector sent this core. */
  readonly creditRequests: string[] = []
  /** While set, a pacs.008 in waits for it (a payee core slow to answer). */
  creditGate: Promise<void> | undefined
  private readonly holds = new Map<string, { customer: string; amount: Decimal }>()
  private readonly credits = new Map<string, { customer: string; amount: Decimal }>()
  private readonly booked = new Set<string>()
  private readonly app = Fastify()
  url = ''

  constructor(readonly fspId: string, customers: IsoCustomer[]) {
    const names = new Map(customers.map((c) => [c.idValue, c.name]))
    for (const c of customers) this.accounts.set(c.idValue, { balance: new Decimal(c.balance), held: new Decimal(0), incoming: new Decimal(0) })
    this.app.addContentTypeParser('application/xml', { parseAs: 'string' }, (_r, body, done) => done(null, body))
    this.app.post('/', async (req, reply) => {
      const xml = req.body as string
      const check = validateIso(xml)
      if (!check.ok) return reply.code(400).send(`invalid: ${check.message}`)
      this.received.push({ type: check.type, xml })
      const message = readDocument(xml)
      reply.type('application/xml')
      if (check.type === 'acmt.023') {
        const r = readAcmt023(message)!
        const name = names.get(r.party.idValue)
        const base = { msgId: `C${Date.now()}`, createdAt: new Date().toISOString(), originalMsgId: r.msgId, originalId: r.id, assigner: fspId, assignee: 'Hub', asked: r.party }
        return writeAcmt024(name ? { ...base, found: { party: { ...r.party, name }, fspId } } : { ...base, reason: 'AC01' })
      }
      if (check.type === 'pacs.008') return this.takeCredit(message)
      if (check.type === 'camt.054') this.book(message)
      if (check.type === 'pacs.002') this.release(message)
      return ''
    })
  }

  private async takeCredit(message: ReturnType<typeof readDocument>): Promise<string> {
    const t = (readPacs008(message) as { ok: true; transfer: CreditTransfer }).transfer
    const key = t.uetr ?? t.msgId
    this.creditRequests.push(key)
    if (this.creditGate) await this.creditGate
    const account = this.accounts.get(t.creditor.idValue)
    const report = { msgId: `C${Date.now()}`, createdAt: new Date().toISOString(), originalMsgId: t.msgId, originalMsgType: 'pacs.008.001.09', endToEndId: t.endToEndId, txId: t.txId, uetr: t.uetr }
    if (!account) return writePacs002({ ...report, status: 'RJCT', reason: 'AC04', info: 'account closed' })
    if (!this.credits.has(key) && !this.booked.has(key)) {
      const amount = new Decimal(t.amount)
      this.credits.set(key, { customer: t.creditor.idValue, amount })
      account.incoming = account.incoming.plus(amount)
    }
    return writePacs002({ ...report, status: 'ACSC' })
  }

  private book(message: ReturnType<typeof readDocument>): void {
    const entry = list(message, 'Ntfctn')[0]
    if (text(entry, 'Ntry', 'CdtDbtInd') !== 'CRDT') return
    const key = text(entry, 'Ntry', 'NtryDtls', 'TxDtls', 'Refs', 'UETR') ?? text(entry, 'Ntry', 'NtryDtls', 'TxDtls', 'Refs', 'MsgId')!
    const credit = this.credits.get(key)
    if (!credit) return
    this.credits.delete(key)
    const account = this.accounts.get(credit.customer)!
    account.incoming = account.incoming.minus(credit.amount)
    account.balance = account.balance.plus(credit.amount)
    this.booked.add(key)
  }

  private release(message: ReturnType<typeof readDocument>): void {
    const status = readPacs002(message)
    const key = status.uetr ?? status.originalMsgId!
    const credit = this.credits.get(key)
    if (credit && status.status === 'RJCT') {
      this.credits.delete(key)
      const account = this.accounts.get(credit.customer)!
      account.incoming = account.incoming.minus(credit.amount)
    }
    this.apply(key, status.status)
  }

  async start(): Promise<void> {
    await this.app.listen({ host: '127.0.0.1', port: 0 })
    this.url = `http://127.0.0.1:${(this.app.server.address() as { port: number }).port}/`
  }

  /** The pacs.008 this core writes to pay; `uetr` is its key for the hold. */
  creditTransfer(o: { msgId: string; uetr: string; from: string; to: string; toType?: string; amount: string; currency?: string; toName?: string; endToEndId?: string }): CreditTransfer {
    return {
      msgId: o.msgId, createdAt: new Date().toISOString(), endToEndId: o.endToEndId ?? `E2E-${o.msgId}`, txId: `TX-${o.msgId}`, uetr: o.uetr, amount: o.amount, currency: o.currency ?? 'USD',
      debtor: { idType: 'MSISDN', idValue: o.from, name: `Customer ${o.from}` }, creditor: { idType: o.toType ?? 'MSISDN', idValue: o.to, name: o.toName ?? `Customer ${o.to}` },
      debtorAgent: this.fspId, remittance: `payment ${o.msgId}`,
    }
  }

  /** Holds the amount, sends the pacs.008 (or the XML given), books what the pacs.002 says. */
  async pay(connectorUrl: string, t: CreditTransfer, xml = writePacs008(t)): Promise<{ status?: string; reason?: string; info?: string; xml: string }> {
    const account = this.accounts.get(t.debtor.idValue)!
    const amount = new Decimal(/^\d+(\.\d+)?$/.test(t.amount) ? t.amount : '0')
    account.held = account.held.plus(amount)
    this.holds.set(t.uetr!, { customer: t.debtor.idValue, amount })
    const response = await request(connectorUrl, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml })
    const reply = await response.body.text()
    const check = validateIso(reply)
    if (!check.ok || check.type !== 'pacs.002') throw new Error(`the connector answered no valid pacs.002: ${reply.slice(0, 300)}`)
    const status = readPacs002(readDocument(reply))
    this.apply(t.uetr!, status.status)
    return { ...status, xml: reply }
  }

  private apply(key: string, status: string | undefined): void {
    const hold = this.holds.get(key)
    if (!hold || (status !== 'ACSC' && status !== 'RJCT')) return
    this.holds.delete(key)
    const account = this.accounts.get(hold.customer)!
    account.held = account.held.minus(hold.amount)
    if (status === 'ACSC') account.balance = account.balance.minus(hold.amount)
  }

  balance(customer: string): string {
    return this.accounts.get(customer)!.balance.toFixed()
  }

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
