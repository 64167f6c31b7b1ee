// The crash suite's load: DFSPs that send transfers to each other at a steady rate through the switch
// and, as payees, fulfil most prepares they are forwarded, reject some and let some expire. The client
// logs every prepare it sent with the answer it got (202, another status, or none), and every DFSP keeps
// every callback it received: the record the suite checks the switch against.
import { randomBytes } from 'node:crypto'
import { startTestDfsp, type ReceivedCallback, type TestDfsp } from '../support/dfsp-server.ts'
import { fspiopHeaders, newTransfer, type SentTransfer } from '../support/fspiop-client.ts'

/** How a payee answers a prepare it is forwarded. */
export type PayeeAnswer = 'fulfil' | 'reject' | 'ignore'

export interface SentPrepare {
  transfer: SentTransfer
  payer: string
  payee: string
  amount: string
  answer: PayeeAnswer
  expiresAt: number
  /** The HTTP status of the prepare, or the error when the switch did not answer. */
  status: number | string
}

export interface LoadClient {
  /** The first of the switch's FSPIOP APIs (the checks' GETs go here). */
  apiUrl: string
  dfsps: TestDfsp[]
  sent: SentPrepare[]
  /** Sends `rate_per_s` prepares a second until stop(). */
  start(rate_per_s: number): void
  stop(): Promise<void>
  /** What `dfsp` received about `transferId` (callbacks, and prepares forwarded to it). */
  heard(dfsp: string, transferId: string): ReceivedCallback[]
  close(): Promise<void>
}

const REQUEST_TIMEOUT_MS = 5_000
const PAYEE_RETRY_MS = 500

/** `apiUrls`: the switch's API processes, each request to the next in turn (`apiUrl` alone: one process). */
export async function startLoadClient(opts: { apiUrl: string; apiUrls?: string[]; names: string[]; expiresIn_ms: number }): Promise<LoadClient> {
  const apiUrls = opts.apiUrls ?? [opts.apiUrl]
  let nextApi = 0
  const dfsps = await Promise.all(opts.names.map((n) => startTestDfsp(n)))
  const sent: SentPrepare[] = []
  const byId = new Map<string, SentPrepare>()
  const inFlight = new Set<Promise<unknown>>()
  const heardBy = new Map<string, ReceivedCallback[]>()
  let timer: NodeJS.Timeout | undefined

  /** Fire-and-forget, but remembered: the run awaits everything in flight before it reports. */
  const track = (p: Promise<unknown>): void => {
    inFlight.add(p)
    void p.finally(() => inFlight.delete(p)).catch(() => {})
  }
  const request = async (method: string, path: string, headers: Record<string, string>, body: unknown): Promise<number | string> => {
    try {
      const apiUrl = apiUrls[nextApi++ % apiUrls.length]!
      const r = await fetch(`${apiUrl}${path}`, { method, headers, body: JSON.stringify(body), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
      await r.arrayBuffer()
      return r.status
    } catch (error) {
      return (error as Error).name === 'TimeoutError' ? 'timeout' : 'no answer'
    }
  }

  for (const dfsp of dfsps) {
    dfsp.onCallback((c) => {
      const id = (c.method === 'POST' ? c.body?.transferId : /^\/transfers\/([^/]+)/.exec(c.path)?.[1]) as string | undefined
      if (!id) return
      const key = `${dfsp.name}|${id}`
      heardBy.set(key, [...(heardBy.get(key) ?? []), c])
      const prepare = byId.get(id)
      if (c.method === 'POST' && c.path === '/transfers' && prepare && prepare.payee === dfsp.name) track(answerAsPayee(prepare))
    })
  }

  /** The payee answers once, the same body every try (a duplicate is recognised by its hash), until the switch takes it or the transfer expired. */
  async function answerAsPayee(p: SentPrepare): Promise<void> {
    if (p.answer === 'ignore') return
    const headers = fspiopHeaders(p.payee, p.payer)
    delete headers.accept
    const id = p.transfer.transferId
    const [path, body] = p.answer === 'fulfil'
      ? [`/transfers/${id}`, { transferState: 'COMMITTED', fulfilment: p.transfer.fulfilment, completedTimestamp: new Date().toISOString() }]
      : [`/transfers/${id}/error`, { errorInformation: { errorCode: '5104', errorDescription: 'Payee rejected transaction' } }]
    while (Date.now() < p.expiresAt) {
      if (await request('PUT', path, { ...headers, date: new Date().toUTCString() }, body) === 200) return
      await new Promise((r) => setTimeout(r, PAYEE_RETRY_MS))
    }
  }

  function sendOne(): void {
    const payer = dfsps[Math.floor(Math.random() * dfsps.length)]!.name
    const others = dfsps.filter((d) => d.name !== payer)
    const payee = others[Math.floor(Math.random() * others.length)]!.name
    const roll = Math.random()
    const amount = `${1 + Math.floor(Math.random() * 99)}.${randomBytes(1)[0]! % 10}5`
    const transfer = newTransfer(payer, payee, amount, { expiresIn_ms: opts.expiresIn_ms })
    const p: SentPrepare = {
      transfer, payer, payee, amount, answer: roll < 0.85 ? 'fulfil' : roll < 0.95 ? 'reject' : 'ignore',
      expiresAt: Date.parse((transfer.body as { expiration: string }).expiration), status: 'not sent',
    }
    sent.push(p)
    byId.set(transfer.transferId, p)
    track(request('POST', '/transfers', fspiopHeaders(payer, payee), transfer.body).then((s) => { p.status = s }))
  }

  return {
    apiUrl: opts.apiUrl, dfsps, sent,
    start(rate_per_s) {
      let due = 0
      const tick_ms = 50
      timer = setInterval(() => {
        due += (rate_per_s * tick_ms) / 1000
        for (; due >= 1; due--) sendOne()
      }, tick_ms)
    },
    async stop() {
      clearInterval(timer)
      while (inFlight.size > 0) await Promise.allSettled([...inFlight])
    },
    heard: (dfsp, transferId) => heardBy.get(`${dfsp}|${transferId}`) ?? [],
    async close() {
      await Promise.all(dfsps.map((d) => d.close()))
    },
  }
}
