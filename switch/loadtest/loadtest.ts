// The operator's load tester: N simulated DFSPs (reference DFSPs in this process) onboarded through the
// admin API, traffic at an open-model arrival rate or a fixed concurrency, for a duration or a count,
// with a skewed DFSP mix, flow "transfer" or "full" (lookup + quote + transfer), or across two currencies
// through a simulated FXP, "fx" (fxTransfer + its dependent transfer) or "fx-full" (services/FXP + fxQuote
// + quote + the pair; fx-flow.ts). Bounded in time and count, loopback only. At the end: a result, an HTML report, and the ledger's invariants.
import { randomBytes, randomUUID } from 'node:crypto'
import { AdminClient } from '../admin-client/admin-client.ts'
import { demoSetup } from '../admin-client/demo-setup.ts'
import { ReferenceDfsp, FspiopCallbackError, type PayeeObserver } from '../../adapters/reference-dfsp/reference-dfsp.ts'
import { startDfspHost } from '../../adapters/reference-dfsp/dfsp-host.ts'
import { ilpPacketFor } from '../../adapters/reference-dfsp/ilp.ts'
import { Stats, type PhaseSummary } from './stats.ts'
import { booksTotals, reconcileBooks } from './reconcile.ts'
import { currencyOf, fxPayment, fxPicker, fxPlan, fxpBooksTotals, fxSetup, isFxFlow, reconcileFxp, simulatedFxp } from './fx-flow.ts'

export const IN_FLIGHT_MAX = 5_000
export const DRAIN_TIMEOUT_MS = 35_000
export const TICK_MS = 5
export const CUSTOMERS_PER_DFSP = 100
/** Net debit cap and funds in of each simulated DFSP: enough never to be the limit. */
export const DFSP_FUNDS = '100000000000'
/** After the last payment, how long the DFSPs' books may take to hear of the final states. */
export const SETTLE_GRACE_MS = 5_000

export interface LoadTestOptions {
  apiUrl: string
  /** A switch with several API processes: simulated DFSP d sends to apiUrls[d % n] (default: apiUrl alone). */
  apiUrls?: readonly string[]
  adminUrl: string
  dfsps: number
  /** Open model: new payments per second. */
  rate?: number
  /** Closed model: payments in flight at all times. */
  concurrency?: number
  duration_s: number
  /** Stop after this many payments (with duration as the upper bound). */
  count?: number
  /** Share of payments sent by the first DFSP (e.g. 0.7); the rest spread evenly. */
  skew?: number
  flow: 'transfer' | 'full' | 'fx' | 'fx-full'
  /** The payers' currency (the source currency of the fx flows). */
  currency?: string
  /** The payees' currency in the fx flows (TZS). */
  targetCurrency?: string
  /** The simulated FXP's rate in the fx flows: target units for one source unit (2500). */
  fxRate?: string
  /** The hub's participant name (AGORA_HUB_NAME). */
  hubName?: string
  amount?: string
  /** Customers of each DFSP (payers and payees are picked among them at random). */
  customers?: number
  progress?: (line: string) => void
  /** Told when payments start and when each transfer completes (performance.now() times), e.g. to time a restart. */
  observer?: { started?(): void; transferDone?(accepted_ms: number, finished_ms: number): void }
  /** Checks the ledger after the run; returns violations. */
  checkInvariants?: () => Promise<string[]>
}

export interface LoadTestResult {
  startedAt: string
  flow: string
  dfsps: number
  rate: number | undefined
  concurrency: number | undefined
  skew: number | undefined
  duration_s: number
  completed: number
  errors: number
  errorsByCode: Record<string, number>
  /** Payments started (their first request sent). */
  sent: number
  /** Offered: requests sent over the time from the first to the last of them. */
  offered_per_s: number
  /** Achieved: completions between the first request and the last completion (a drain past the duration counts). */
  throughput_per_s: number
  /** From the first request to the last completion (s): the time throughput_per_s is over. */
  window_s: number
  perSecond: number[]
  phases: Record<string, PhaseSummary>
  invariantViolations: string[]
  /** Where a DFSP's own books disagree with its position at the switch. */
  booksMismatches: string[]
}

export async function runLoadTest(opts: LoadTestOptions): Promise<{ result: LoadTestResult; latencies: Map<string, number[]> }> {
  const currency = opts.currency ?? 'USD'
  const runId = randomBytes(3).toString('hex')
  const names = Array.from({ length: opts.dfsps }, (_, i) => `lt${runId}d${i}`)
  const customers = opts.customers ?? CUSTOMERS_PER_DFSP
  const customerId = (dfsp: number, n: number) => `${names[dfsp]}c${n}`
  const legs = new TransferLegs()
  const fx = isFxFlow(opts.flow) ? fxPlan(opts.dfsps, currency, opts.targetCurrency, opts.fxRate) : undefined
  const switchUrlOf = (d: number) => (opts.apiUrls?.length ? opts.apiUrls[d % opts.apiUrls.length]! : opts.apiUrl)
  const dfsps = names.map((name, d) => new ReferenceDfsp({
    name, secret: randomBytes(16).toString('hex'), switchUrl: switchUrlOf(d), payeeObserver: legs,
    customers: Array.from({ length: customers }, (_, n) => ({ idType: 'MSISDN', id: customerId(d, n), name: `customer ${n} of ${name}`, balance: '10000000000' })),
    ...(fx ? { version: '2.0' as const, currency: currencyOf(fx, d) } : {}),
  }))
  const fxp = fx ? simulatedFxp(`lt${runId}fxp`, switchUrlOf(names.length), fx) : undefined
  const host = await startDfspHost(fxp ? [...dfsps, fxp] : dfsps)
  const admin = new AdminClient(opts.adminUrl, 'loadtest')
  try {
    const hub = opts.hubName ?? 'Hub'
    if (fx && fxp) await fxSetup(admin, { plan: fx, names, fxp: fxp.name, dfspUrl: host.url, funds: DFSP_FUNDS, hub })
    else await demoSetup(admin, { currency, dfspUrl: host.url, ndc: DFSP_FUNDS, funds: DFSP_FUNDS, hub, names })
    if (opts.flow === 'full') await Promise.all(dfsps.map((d) => d.registerParties()))
    const initialBooks = booksTotals(dfsps)
    const initialFxpBooks = fxp ? fxpBooksTotals(fxp) : undefined
    const started = performance.now()
    opts.observer?.started?.()
    const stats = new Stats(started)
    const pick = fx ? fxPicker(fx, opts.skew) : picker(dfsps.length, opts.skew)
    const payment = async () => {
      const [from, to] = pick()
      const payer = dfsps[from]!
      const payee = dfsps[to]!
      const payerCustomer = customerId(from, Math.floor(Math.random() * customers))
      const payeeCustomer = customerId(to, Math.floor(Math.random() * customers))
      const amount = opts.amount ?? '1'
      const t0 = performance.now()
      stats.sent(t0)
      try {
        if (fx && fxp) {
          const transfer = await fxPayment(opts.flow as 'fx' | 'fx-full', fx, { payer, payee, fxp, payerCustomer, payeeCustomer }, amount, stats)
          stats.done(transfer.finished_ms)
          opts.observer?.transferDone?.(transfer.accepted_ms, transfer.finished_ms)
          return
        }
        let ilp: { ilpPacket: string; condition: string }
        if (opts.flow === 'full') {
          const party = await payer.lookup('MSISDN', payeeCustomer)
          stats.latency('lookup', party.finished_ms - party.started_ms)
          const quote = await payer.quote({ fspId: party.value.party.partyIdInfo.fspId, idType: 'MSISDN', id: payeeCustomer }, payerCustomer, amount, currency)
          stats.latency('quote', quote.finished_ms - quote.started_ms)
          ilp = quote.value
        } else {
          // What the payee's quote would have given: a packet for this transaction and its condition.
          const ilpPacket = ilpPacketFor({ transactionId: randomUUID(), payee: payeeCustomer, amount: { amount, currency } })
          ilp = { ilpPacket, condition: payee.conditionFor(ilpPacket) }
        }
        const transfer = await payer.transfer(payerCustomer, payee.name, amount, currency, ilp)
        stats.latency('transfer', transfer.finished_ms - transfer.started_ms)
        const leg = legs.take(transfer.id)
        if (leg?.prepareReceived_ms !== undefined) stats.latency('prepare leg', leg.prepareReceived_ms - transfer.started_ms)
        if (leg?.fulfilSent_ms !== undefined) stats.latency('fulfil leg', transfer.finished_ms - leg.fulfilSent_ms)
        if (opts.flow === 'full') stats.latency('payment', transfer.finished_ms - t0)
        stats.done(transfer.finished_ms)
        opts.observer?.transferDone?.(transfer.accepted_ms, transfer.finished_ms)
      } catch (error) {
        const message = (error as Error).message
        stats.error(error instanceof FspiopCallbackError ? error.errorCode : message.includes('no callback') ? `timeout-${/for (\w+):/.exec(message)?.[1] ?? 'unknown'}` : 'client')
      }
    }
    await drive(opts, stats, payment, started)
    const elapsed_s = (performance.now() - started) / 1000
    const settleBy = performance.now() + SETTLE_GRACE_MS
    const pending = () => dfsps.some((d) => d.books.pendingCount > 0) || (fxp?.fxProvider?.books.pendingCount ?? 0) > 0
    while (pending() && performance.now() < settleBy) await new Promise((r) => setTimeout(r, 50))
    const result: LoadTestResult = {
      startedAt: new Date(Date.now() - elapsed_s * 1000).toISOString(), flow: opts.flow, dfsps: opts.dfsps, rate: opts.rate, concurrency: opts.concurrency,
      skew: opts.skew, duration_s: Math.round(elapsed_s * 10) / 10, completed: stats.completed, errors: stats.errorCount,
      errorsByCode: Object.fromEntries(stats.errors),
      sent: stats.sentCount, offered_per_s: stats.offered_per_s(), throughput_per_s: stats.throughput_per_s(), window_s: stats.window_s(),
      perSecond: stats.perSecond, phases: Object.fromEntries([...stats.latencies.keys()].map((p) => [p, stats.summary(p)])),
      invariantViolations: opts.checkInvariants ? await opts.checkInvariants() : [],
      booksMismatches: fx && fxp && initialFxpBooks
        ? [
          ...(await reconcileBooks(admin, fx.payers.map((d) => dfsps[d]!), initialBooks, fx.source)),
          ...(await reconcileBooks(admin, fx.payees.map((d) => dfsps[d]!), initialBooks, fx.target)),
          ...(await reconcileFxp(admin, fxp, initialFxpBooks)),
        ]
        : await reconcileBooks(admin, dfsps, initialBooks, currency),
    }
    return { result, latencies: stats.latencies }
  } finally {
    for (const d of dfsps) await d.close()
    await fxp?.close()
    await host.close()
  }
}

/**
 * When each payee got its prepare and sent its fulfil, so a transfer's latency splits into the prepare leg
 * (payer's POST to the payee's prepare) and the fulfil leg (payee's PUT to the payer's callback). Entries
 * are taken when their payment ends; ones whose payment failed are dropped past a bound.
 */
class TransferLegs implements PayeeObserver {
  private readonly legs = new Map<string, { prepareReceived_ms?: number; fulfilSent_ms?: number }>()

  prepareReceived(transferId: string, at_ms: number): void {
    if (this.legs.size >= IN_FLIGHT_MAX * 2) this.legs.clear()
    this.legs.set(transferId, { prepareReceived_ms: at_ms })
  }

  fulfilSent(transferId: string, at_ms: number): void {
    const leg = this.legs.get(transferId)
    if (leg) leg.fulfilSent_ms = at_ms
  }

  take(transferId: string) {
    const leg = this.legs.get(transferId)
    this.legs.delete(transferId)
    return leg
  }
}

async function drive(opts: LoadTestOptions, stats: Stats, payment: () => Promise<void>, started: number): Promise<void> {
  const deadline = started + opts.duration_s * 1000
  const limit = opts.count ?? Number.POSITIVE_INFINITY
  let launched = 0
  const inFlight = new Set<Promise<void>>()
  const launch = () => {
    launched++
    const p = payment().finally(() => inFlight.delete(p))
    inFlight.add(p)
  }
  let lastReport = started
  const report = () => {
    const now = performance.now()
    if (!opts.progress || now - lastReport < 1000) return
    lastReport = now
    const phases = [...stats.takeWindow()].map(([phase, w]) => `${phase} ${w.p50_ms}/${w.p95_ms}/${w.p99_ms}`).join(' ')
    opts.progress(`t=${Math.round((now - started) / 1000)}s done=${stats.completed} rate=${stats.perSecond.at(-2) ?? 0}/s errors=${stats.errorCount} in-flight=${inFlight.size} p50/p95/p99 ms: ${phases}`)
  }
  while (performance.now() < deadline && launched < limit) {
    if (opts.rate) {
      const due = Math.min(limit, Math.floor(((performance.now() - started) / 1000) * opts.rate))
      while (launched < due) {
        if (inFlight.size >= IN_FLIGHT_MAX) { stats.error('generator-saturated'); launched++; continue }
        launch()
      }
      await new Promise((r) => setTimeout(r, TICK_MS))
    } else {
      while (inFlight.size < (opts.concurrency ?? 1) && launched < limit) launch()
      await Promise.race([...inFlight, new Promise((r) => setTimeout(r, 50))])
    }
    report()
  }
  const drained = Promise.allSettled([...inFlight])
  await Promise.race([drained, new Promise((r) => setTimeout(r, DRAIN_TIMEOUT_MS))])
}

/** Payer and payee indexes: the first DFSP sends `skew` of the payments, payees never equal payers. */
export function picker(n: number, skew: number | undefined, random = Math.random): () => [number, number] {
  if (n < 2) throw new Error('a load test needs at least two DFSPs')
  return () => {
    const from = skew !== undefined && random() < skew ? 0 : Math.floor(random() * n)
    const to = (from + 1 + Math.floor(random() * (n - 1))) % n
    return [from, to]
  }
}
