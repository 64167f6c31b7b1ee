// The load tester's cross-currency flows (FSPIOP v2.0, conversion on the payer's side). The simulated DFSPs
// split in two: the first half hold their customers in the source currency and pay, the second half in the
// target currency and are paid; one more simulated DFSP is the FXP, with accounts in both. Flow "fx": each
// payment is an fxTransfer (terms and condition as the FXP's fxQuote would give them, computed here as the
// transfer flow computes the payee's condition) and its dependent transfer. Flow "fx-full": GET
// /services/FXP, POST /fxQuotes, POST /quotes, then the same pair. A payment completes when its dependent
// transfer is COMMITTED (which commits the conversion with it).
import { randomBytes, randomUUID } from 'node:crypto'
import type { AdminClient } from '../admin-client/admin-client.ts'
import { demoSetup } from '../admin-client/demo-setup.ts'
import { ReferenceDfsp, type Timed } from '../../adapters/reference-dfsp/reference-dfsp.ts'
import { ilpPacketFor } from '../../adapters/reference-dfsp/ilp.ts'
import { priceConversion, type FxpPricing } from '../../adapters/reference-dfsp/fx-pricing.ts'
import { type ConversionLeg, legOfQuote, type Money } from '../../adapters/reference-dfsp/fx-terms.ts'
import { toUnits } from '../../ledger/domain/money.ts'
import type { Stats } from './stats.ts'

export const FX_FLOWS = ['fx', 'fx-full'] as const
export type FxFlow = (typeof FX_FLOWS)[number]
export const TARGET_CURRENCY_DEFAULT = 'TZS'
/** Target units for one source unit at the simulated FXP. */
export const FX_RATE_DEFAULT = '2500'
/** The simulated FXP's own money in the target currency (its books): never the limit. */
export const FXP_LIQUIDITY = '1000000000000000'

export function isFxFlow(flow: string): flow is FxFlow {
  return (FX_FLOWS as readonly string[]).includes(flow)
}

export interface FxPlan {
  source: string
  target: string
  pricing: FxpPricing
  /** Which DFSPs pay (source currency) and which are paid (target currency), by index. */
  payers: number[]
  payees: number[]
}

export function fxPlan(dfsps: number, source: string, target = TARGET_CURRENCY_DEFAULT, rate = FX_RATE_DEFAULT): FxPlan {
  if (dfsps < 2) throw new Error('a cross-currency load test needs at least two DFSPs (payers and payees)')
  if (source === target) throw new Error(`a cross-currency load test needs two currencies, not ${source} twice`)
  const half = Math.ceil(dfsps / 2)
  const all = Array.from({ length: dfsps }, (_, d) => d)
  return { source, target, pricing: { rates: { [`${source}/${target}`]: rate } }, payers: all.slice(0, half), payees: all.slice(half) }
}

export const currencyOf = (plan: FxPlan, d: number) => (plan.payers.includes(d) ? plan.source : plan.target)

/** Payer and payee indexes: a payer DFSP (the first sends `skew` of the payments) and a payee DFSP. */
export function fxPicker(plan: FxPlan, skew: number | undefined, random = Math.random): () => [number, number] {
  return () => {
    const from = skew !== undefined && random() < skew ? plan.payers[0]! : plan.payers[Math.floor(random() * plan.payers.length)]!
    return [from, plan.payees[Math.floor(random() * plan.payees.length)]!]
  }
}

export function simulatedFxp(name: string, switchUrl: string, plan: FxPlan): ReferenceDfsp {
  return new ReferenceDfsp({
    name, secret: randomBytes(16).toString('hex'), switchUrl, customers: [], version: '2.0',
    fxp: { ...plan.pricing, liquidity: { [plan.source]: '0', [plan.target]: FXP_LIQUIDITY } },
  })
}

/** Hub, settlement models and DFSPs in each currency; the FXP with accounts, NDC and funds in both (POST /participants once per currency). */
export async function fxSetup(admin: AdminClient, o: { plan: FxPlan; names: string[]; fxp: string; dfspUrl: string; funds: string; hub: string }): Promise<void> {
  const { plan } = o
  const common = { dfspUrl: o.dfspUrl, ndc: o.funds, funds: o.funds, hub: o.hub }
  await demoSetup(admin, { ...common, currency: plan.source, names: [...plan.payers.map((d) => o.names[d]!), o.fxp] })
  await demoSetup(admin, { ...common, currency: plan.target, names: plan.payees.map((d) => o.names[d]!) })
  const created = (await admin.request('POST', '/participants', { name: o.fxp, currency: plan.target })) as { accounts: { id: number; ledgerAccountType: string; currency: string }[] }
  await admin.request('POST', `/participants/${o.fxp}/initialPositionAndLimits`, { currency: plan.target, limit: { type: 'NET_DEBIT_CAP', value: o.funds }, initialPosition: 0 })
  const settlement = created.accounts.find((a) => a.ledgerAccountType === 'SETTLEMENT' && a.currency === plan.target)
  if (!settlement) throw new Error(`${o.fxp} got no SETTLEMENT account in ${plan.target}`)
  await admin.request('POST', `/participants/${o.fxp}/accounts/${settlement.id}`, {
    transferId: randomUUID(), externalReference: 'loadtest', action: 'recordFundsIn', reason: 'FXP liquidity', amount: { amount: o.funds, currency: plan.target },
  })
}

export interface FxPaymentParties {
  payer: ReferenceDfsp
  payee: ReferenceDfsp
  fxp: ReferenceDfsp
  payerCustomer: string
  payeeCustomer: string
}

/** One cross-currency payment; its latencies by phase into `stats`. Answers its dependent transfer's call. */
export async function fxPayment(flow: FxFlow, plan: FxPlan, p: FxPaymentParties, amount: string, stats: Stats): Promise<Timed<unknown>> {
  const source: Money = { currency: plan.source, amount }
  const t0 = performance.now()
  let leg: ConversionLeg
  let condition: string
  let ilp: { ilpPacket: string; condition: string }
  if (flow === 'fx-full') {
    const providers = await p.payer.fx.providers(plan.source, plan.target)
    stats.latency('services/FXP', providers.finished_ms - providers.started_ms)
    // Other FXPs may serve the pair (an earlier run's, on the same switch): this run's is the one it funds and reconciles.
    if (!providers.value.providers?.includes(p.fxp.name)) throw new Error(`GET /services/FXP/${plan.source}/${plan.target} does not list ${p.fxp.name}: ${providers.value.providers}`)
    const fxp = p.fxp.name
    const fxQuote = await p.payer.fx.fxQuote(fxp, source, { currency: plan.target })
    stats.latency('fxQuote', fxQuote.finished_ms - fxQuote.started_ms)
    const terms = fxQuote.value.conversionTerms
    const quote = await p.payer.fx.quoteConverted({ fspId: p.payee.name, idType: 'MSISDN', id: p.payeeCustomer }, p.payerCustomer, fxQuote.value)
    stats.latency('quote', quote.finished_ms - quote.started_ms)
    leg = legOfQuote(terms)
    condition = fxQuote.value.condition
    ilp = quote.value
  } else {
    // What the FXP's fxQuote and the payee's quote would have given.
    const priced = priceConversion(plan.pricing, 'SEND', source, { currency: plan.target })
    if (!priced.ok) throw new Error(`the simulated FXP cannot price ${amount} ${plan.source}: ${priced.description}`)
    const targetAmount = { currency: plan.target, amount: priced.targetAmount }
    leg = { conversionId: randomUUID(), determiningTransferId: randomUUID(), initiatingFsp: p.payer.name, counterPartyFsp: p.fxp.name, sourceAmount: source, targetAmount }
    condition = p.fxp.fxProvider!.conditionFor(leg)
    const ilpPacket = ilpPacketFor({ transactionId: leg.determiningTransferId, payee: p.payeeCustomer, amount: targetAmount })
    ilp = { ilpPacket, condition: p.payee.conditionFor(ilpPacket) }
  }
  const fxTransfer = await p.payer.fx.fxTransfer(p.payerCustomer, leg, condition)
  stats.latency('fxTransfer', fxTransfer.finished_ms - fxTransfer.started_ms)
  const transfer = await p.payer.fx.transferConverted(leg.determiningTransferId!, p.payee.name, leg.targetAmount, ilp)
  stats.latency('transfer', transfer.finished_ms - transfer.started_ms)
  stats.latency('payment', transfer.finished_ms - t0)
  return transfer
}

/** The FXP's books against its positions, currency by currency: what it paid out net is its position in each. */
export async function reconcileFxp(admin: AdminClient, fxp: ReferenceDfsp, initial: ReadonlyMap<string, bigint>): Promise<string[]> {
  const books = fxp.fxProvider!.books
  const problems: string[] = []
  for (const [currency, start] of initial) {
    const position = (await admin.request('GET', `/participants/${fxp.name}/positions?currency=${currency}`)) as { value: number }
    const paidOut = start - books.accounts.get(currency)!.balance
    if (toUnits(String(position.value)) !== paidOut) problems.push(`${fxp.name} (FXP): position in ${currency} at the switch ${position.value}, its books show ${paidOut} units (1/10000) paid out net`)
  }
  if (books.pendingCount > 0) problems.push(`${fxp.name} (FXP): ${books.pendingCount} conversion sides still pending in its books`)
  for (const c of books.conflicts) problems.push(`${fxp.name} (FXP): ${c.transferId} reported ${c.reported} after its books had it ${c.booked}`)
  return problems
}

export function fxpBooksTotals(fxp: ReferenceDfsp): Map<string, bigint> {
  return new Map([...fxp.fxProvider!.books.accounts].map(([currency, account]) => [currency, account.balance]))
}
