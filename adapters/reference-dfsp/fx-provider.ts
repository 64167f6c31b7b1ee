// A reference DFSP in the role of a foreign exchange provider (FSPIOP v2.0, payer-side conversion). It
// answers POST /fxQuotes with its terms (fx-pricing.ts) and a condition whose fulfilment it can rebuild
// (fx-ilp.ts); answers POST /fxTransfers RESERVED with that fulfilment when the terms are the ones it
// quoted (else PUT /fxTransfers/{id}/error 5105) and it has the target currency to pay out; and keeps its
// own books per currency: the source it receives and the target it pays out are pending at RESERVED, booked
// on the switch's PATCH COMMITTED, dropped on PATCH ABORTED or an error callback.
import { setTimeout as sleep } from 'node:timers/promises'
import { Books, type FinalState } from './books.ts'
import { errorBody } from './payee-answers.ts'
import type { SwitchAnswer, SwitchClient } from './switch-client.ts'
import { conversionCondition, conversionFulfilment } from './fx-ilp.ts'
import { checkPricing, type FxpPricing, priceConversion } from './fx-pricing.ts'
import { type ConversionLeg, type FxQuoteAnswer, type FxQuoteRequest, type FxTransferRequest, type FxTransferState, legOfTransfer } from './fx-terms.ts'

/** An answer the switch could not take (on the way, 5xx) is sent again after this, doubling, until the conversion expires. */
export const FX_ANSWER_RETRY_FIRST_MS = 250
export const FX_ANSWER_RETRY_MAX_MS = 5_000

export interface FxpOptions extends FxpPricing {
  /** The FXP's own money in each currency it converts (its books), e.g. { USD: '0', TZS: '100000000' }; a currency not listed starts at 0. */
  liquidity?: Readonly<Record<string, string>>
  /** Refuse every fxQuote with this FSPIOP error code (tests). */
  rejectFxQuotesWith?: string
  /** Refuse every fxTransfer with this FSPIOP error code (tests). */
  rejectFxTransfersWith?: string
}

interface FxProviderDeps {
  name: string
  secret: string
  client: SwitchClient
  options: FxpOptions
  stopping: AbortSignal
}

/** The books' ids of a conversion's two sides: the source the FXP receives, the target it pays out. */
const sourceSide = (commitRequestId: string) => `${commitRequestId}/source`
const targetSide = (commitRequestId: string) => `${commitRequestId}/target`

export class FxProvider {
  /** One account per currency, named by its code. */
  readonly books = new Books()

  constructor(private readonly deps: FxProviderDeps) {
    checkPricing(deps.options)
    const currencies = new Set(Object.keys(deps.options.rates).flatMap((pair) => pair.split('/')))
    for (const c of Object.keys(deps.options.liquidity ?? {})) currencies.add(c)
    for (const c of currencies) this.books.open(c, deps.options.liquidity?.[c] ?? '0')
  }

  /** The condition this FXP gives (and will fulfil) for a conversion, as its fxQuote would. */
  conditionFor(leg: ConversionLeg): string {
    return conversionCondition(this.deps.secret, leg)
  }

  /** POST /fxQuotes → PUT /fxQuotes/{id} with the terms filled and a condition, or PUT …/error. */
  async answerFxQuote(request: FxQuoteRequest, requester: string): Promise<void> {
    const path = `/fxQuotes/${request.conversionRequestId}`
    const terms = request.conversionTerms
    const refuse = (code: string, description: string) => this.deps.client.send('PUT', `${path}/error`, 'fxQuotes', errorBody(code, description), requester)
    if (this.deps.options.rejectFxQuotesWith) return void (await refuse(this.deps.options.rejectFxQuotesWith, 'FXP rejected the quote'))
    if (!terms?.sourceAmount || !terms.targetAmount) return void (await refuse('3102', 'conversionTerms with sourceAmount and targetAmount are required'))
    const priced = priceConversion(this.deps.options, terms.amountType, terms.sourceAmount, terms.targetAmount)
    if (!priced.ok) return void (await refuse(priced.errorCode, priced.description))
    const conversionTerms: FxQuoteAnswer['conversionTerms'] = {
      ...terms, counterPartyFsp: this.deps.name,
      sourceAmount: { currency: terms.sourceAmount.currency, amount: priced.sourceAmount },
      targetAmount: { currency: terms.targetAmount.currency, amount: priced.targetAmount },
      ...(priced.charges.length ? { charges: priced.charges } : {}),
    }
    const condition = conversionCondition(this.deps.secret, conversionTerms)
    await this.send('PUT', path, { condition, conversionTerms } satisfies FxQuoteAnswer, requester, Date.parse(terms.expiration))
  }

  /** POST /fxTransfers → PUT /fxTransfers/{id} RESERVED with the fulfilment, or PUT …/error (terms not quoted: 5105; no target money: 5001). */
  async answerFxTransfer(request: FxTransferRequest, requester: string): Promise<void> {
    const id = request.commitRequestId
    const path = `/fxTransfers/${id}`
    if (this.books.knows(targetSide(id)) || this.deps.stopping.aborted) return // the same request again (it was answered), or closed
    const refuse = (code: string, description: string) => this.deps.client.send('PUT', `${path}/error`, 'fxTransfers', errorBody(code, description), requester)
    if (this.deps.options.rejectFxTransfersWith) return void (await refuse(this.deps.options.rejectFxTransfersWith, 'FXP rejected the conversion'))
    const leg = legOfTransfer(request)
    if (request.condition !== conversionCondition(this.deps.secret, leg)) return void (await refuse('5105', 'the conversion terms are not the ones this FXP quoted'))
    const { sourceAmount, targetAmount } = request
    if (!this.books.has(sourceAmount.currency) || !this.books.hold(targetSide(id), targetAmount.currency, targetAmount.amount)) {
      return void (await refuse('5001', `FXP cannot pay out ${targetAmount.amount} ${targetAmount.currency}`))
    }
    this.books.expectCredit(sourceSide(id), sourceAmount.currency, sourceAmount.amount)
    const answer: FxTransferState = { conversionState: 'RESERVED', fulfilment: conversionFulfilment(this.deps.secret, leg), completedTimestamp: new Date().toISOString() }
    await this.send('PUT', path, answer, requester, Date.parse(request.expiration))
  }

  /** The switch's final word on a conversion (PATCH /fxTransfers/{id}, or its error callback: ABORTED). Once; repeats change nothing. */
  final(commitRequestId: string, state: FinalState): void {
    if (!this.books.isPending(targetSide(commitRequestId))) return
    this.books.finish(targetSide(commitRequestId), state)
    this.books.finish(sourceSide(commitRequestId), state)
  }

  private async send(method: 'PUT', path: string, body: object, requester: string, expiration_ms: number): Promise<SwitchAnswer | undefined> {
    const resource = path.startsWith('/fxQuotes') ? 'fxQuotes' : 'fxTransfers'
    for (let wait_ms = FX_ANSWER_RETRY_FIRST_MS; ; wait_ms = Math.min(FX_ANSWER_RETRY_MAX_MS, wait_ms * 2)) {
      const answer = await this.deps.client.send(method, path, resource, body, requester).catch(() => undefined)
      if (answer && answer.status < 500) return answer
      if (!(Date.now() + wait_ms < expiration_ms)) return answer
      try {
        await sleep(wait_ms, undefined, { signal: this.deps.stopping })
      } catch {
        return answer
      }
    }
  }
}
