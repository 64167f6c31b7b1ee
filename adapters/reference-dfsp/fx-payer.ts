// A reference DFSP paying across currencies, with the conversion on the payer's side (FSPIOP v2.0, as
// Mojaloop's SDK does it for amountType SEND): GET /services/FXP/{source}/{target} for the FXPs of the
// pair, POST /fxQuotes to one of them, POST /quotes to the payee in the target currency (converter PAYER,
// currencyConversion), POST /fxTransfers with the FXP's condition (the conversion reserved), then POST
// /transfers with transferId = the conversion's determiningTransferId for the target amount. The payer's
// customer is held the source amount under that transfer id when the conversion is sent: it is debited when
// the dependent transfer is COMMITTED (which commits the conversion with it), released when either fails.
// Each step is a call of its own, as the single-currency lookup, quote and transfer are, so tests and the
// load tester can drive them one by one.
import { randomUUID } from 'node:crypto'
import { FspiopCallbackError, type Timed } from './payer-calls.ts'
import { type ConversionLeg, type FxMoney, type FxQuoteAnswer, type FxQuoteRequest, type FxTransferRequest, type FxTransferState, legOfQuote, type Money } from './fx-terms.ts'

export interface IlpTerms {
  ilpPacket: string
  condition: string
}

export interface QuoteAnswer extends IlpTerms {
  transferAmount: Money
}

/** What the reference DFSP lends its payer side: its calls, its books' holds and its prepare. */
export interface FxPayerPort {
  readonly name: string
  /** How long from now a conversion and its transfer may take. */
  expiry_ms(): number
  call<T>(id: string, key: string, method: 'GET' | 'POST', path: string, resource: string, body: unknown, destination: string | undefined): Promise<Timed<T>>
  /** Holds the amount on the customer for the transfer (and resolves it if its outcome is not heard); false when the customer cannot pay it. */
  hold(transferId: string, customer: string, amount: string, expiration_ms: number): boolean
  /** The transfer will not happen: releases its hold. */
  release(transferId: string, error: FspiopCallbackError): void
  /** Sends the prepare of a transfer already held; settles with its final callback. */
  prepareHeld(transferId: string, payeeFsp: string, amount: Money, ilp: IlpTerms, expiration_ms: number): Promise<Timed<unknown>>
  payerIdType(customer: string): string
}

export interface ConvertedPayment {
  fxp: string
  fxQuote: Timed<FxQuoteAnswer>
  quote: Timed<QuoteAnswer>
  fxTransfer: Timed<FxTransferState>
  transfer: Timed<unknown>
}

/** Conversions reserved and not yet followed by their transfer, at most this many remembered. */
export const RESERVED_CONVERSIONS_MAX = 100_000

export class FxPayer {
  /** The expiration of each reserved conversion, by its determining transfer id, until its transfer is sent. */
  private readonly reserved = new Map<string, number>()

  constructor(private readonly port: FxPayerPort) {}

  /** GET /services/FXP/{source}/{target}: the FXPs that convert the pair. */
  providers(source: string, target: string): Promise<Timed<{ providers: string[] }>> {
    const pair = `${source}/${target}`
    return this.port.call(pair, `fxp:${pair}`, 'GET', `/services/FXP/${pair}`, 'services', undefined, undefined)
  }

  /** POST /fxQuotes: the FXP's terms for converting (SEND: the source amount given, the target to be filled). */
  fxQuote(fxp: string, sourceAmount: FxMoney, targetAmount: FxMoney, opts: { amountType?: 'SEND' | 'RECEIVE'; transferId?: string } = {}): Promise<Timed<FxQuoteAnswer>> {
    const body: FxQuoteRequest = {
      conversionRequestId: randomUUID(),
      conversionTerms: {
        conversionId: randomUUID(), determiningTransferId: opts.transferId ?? randomUUID(), initiatingFsp: this.port.name, counterPartyFsp: fxp,
        amountType: opts.amountType ?? 'SEND', sourceAmount, targetAmount, expiration: new Date(Date.now() + this.port.expiry_ms()).toISOString(),
      },
    }
    return this.port.call(body.conversionRequestId, `fxQuote:${body.conversionRequestId}`, 'POST', '/fxQuotes', 'fxQuotes', body, fxp)
  }

  /** POST /quotes to the payee for the converted amount, the conversion shared (converter PAYER, currencyConversion). */
  quoteConverted(payee: { fspId: string; idType: string; id: string }, payerCustomer: string, fx: FxQuoteAnswer): Promise<Timed<QuoteAnswer>> {
    const { sourceAmount, targetAmount, determiningTransferId } = fx.conversionTerms
    const quoteId = randomUUID()
    const body = {
      quoteId, transactionId: determiningTransferId ?? randomUUID(), amountType: 'SEND', amount: targetAmount,
      converter: 'PAYER', currencyConversion: { sourceAmount, targetAmount },
      payee: { partyIdInfo: { partyIdType: payee.idType, partyIdentifier: payee.id, fspId: payee.fspId } },
      payer: { partyIdInfo: { partyIdType: this.port.payerIdType(payerCustomer), partyIdentifier: payerCustomer, fspId: this.port.name } },
      transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
    }
    return this.port.call(quoteId, `quote:${quoteId}`, 'POST', '/quotes', 'quotes', body, payee.fspId)
  }

  /**
   * Holds the source amount on the customer (under the determining transfer's id) and sends POST
   * /fxTransfers; settles when the FXP's answer comes back RESERVED. Any other answer, an error or no answer
   * releases the hold: without its dependent transfer the switch never commits the conversion.
   */
  async fxTransfer(payerCustomer: string, leg: ConversionLeg, condition: string): Promise<Timed<FxTransferState>> {
    const transferId = leg.determiningTransferId
    if (!transferId) throw new Error('a conversion for a payment needs its determiningTransferId')
    const expiration_ms = Date.now() + this.port.expiry_ms()
    if (!this.port.hold(transferId, payerCustomer, leg.sourceAmount.amount, expiration_ms)) {
      throw new FspiopCallbackError('4001', `${payerCustomer} cannot pay ${leg.sourceAmount.amount} ${leg.sourceAmount.currency}`)
    }
    const body: FxTransferRequest = {
      commitRequestId: leg.conversionId, determiningTransferId: transferId, initiatingFsp: this.port.name, counterPartyFsp: leg.counterPartyFsp,
      sourceAmount: leg.sourceAmount, targetAmount: leg.targetAmount, condition, expiration: new Date(expiration_ms).toISOString(),
    }
    let answer: Timed<FxTransferState>
    try {
      answer = await this.port.call(body.commitRequestId, `fxTransfer:${body.commitRequestId}`, 'POST', '/fxTransfers', 'fxTransfers', body, leg.counterPartyFsp)
    } catch (error) {
      this.port.release(transferId, error instanceof FspiopCallbackError ? error : new FspiopCallbackError('2004', (error as Error).message))
      throw error
    }
    if (answer.value?.conversionState !== 'RESERVED') {
      const refused = new FspiopCallbackError('5105', `conversion ${body.commitRequestId} answered ${answer.value?.conversionState}, not RESERVED`)
      this.port.release(transferId, refused)
      throw refused
    }
    if (this.reserved.size >= RESERVED_CONVERSIONS_MAX) this.reserved.clear()
    this.reserved.set(transferId, expiration_ms)
    return answer
  }

  /** POST /transfers for a reserved conversion: its determining transfer, for the target amount, with the payee's ILP terms. */
  transferConverted(transferId: string, payeeFsp: string, amount: Money, ilp: IlpTerms): Promise<Timed<unknown>> {
    const expiration_ms = this.reserved.get(transferId)
    if (expiration_ms === undefined) throw new Error(`no conversion reserved for transfer ${transferId}`)
    this.reserved.delete(transferId)
    return this.port.prepareHeld(transferId, payeeFsp, amount, ilp, expiration_ms)
  }

  /** The whole payment: FXP of the pair, fxQuote, quote, fxTransfer, transfer. */
  async pay(payerCustomer: string, payee: { fspId: string; idType: string; id: string }, source: Money, targetCurrency: string): Promise<ConvertedPayment> {
    const providers = await this.providers(source.currency, targetCurrency)
    const fxp = providers.value?.providers?.[0]
    if (!fxp) throw new FspiopCallbackError('3200', `no FXP converts ${source.currency} to ${targetCurrency}`)
    const fxQuote = await this.fxQuote(fxp, source, { currency: targetCurrency })
    const terms = fxQuote.value.conversionTerms
    const quote = await this.quoteConverted(payee, payerCustomer, fxQuote.value)
    const paid = quote.value.transferAmount
    if (paid.currency !== terms.targetAmount.currency || paid.amount !== terms.targetAmount.amount) {
      throw new FspiopCallbackError('5101', `the payee quoted ${paid.amount} ${paid.currency}, the FXP converts to ${terms.targetAmount.amount} ${terms.targetAmount.currency}`)
    }
    const leg = legOfQuote(terms)
    const fxTransfer = await this.fxTransfer(payerCustomer, leg, fxQuote.value.condition)
    const transfer = await this.transferConverted(leg.determiningTransferId!, payee.fspId, terms.targetAmount, quote.value)
    return { fxp, fxQuote, quote, fxTransfer, transfer }
  }
}
