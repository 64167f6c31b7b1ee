// The MMP platform's payments out, as the GSMA API starts them: each request is checked whole, recorded by
// its X-CorrelationID (a second request with it is a duplicateRequest and pays nothing), answered 202 with a
// pending request state, and run by the connector core afterwards; its callback follows when it is final.
// A quotation is a payment that stops at its quote; a transfer naming its quotationReference pays that quote.
import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import type { Connector } from '../connector-core/connector.ts'
import type { PaymentRow } from '../connector-core/payment-store.ts'
import type { CallbackDelivery } from './callback-delivery.ts'
import { GsmaError } from './gsma-errors.ts'
import { callbackUrlOf, checkXDate, correlationIdOf, type Headers } from './gsma-headers.ts'
import { quotationPaymentOf, transferCommandOf } from './gsma-requests.ts'
import type { GsmaRequestRow, RequestKind, RequestStore } from './gsma-store.ts'
import { requestStateOf } from './gsma-views.ts'

export interface GsmaPaymentsDeps {
  connector: Connector
  requests: RequestStore
  callbacks: CallbackDelivery
  logger: Logger
}

export function createGsmaPayments(deps: GsmaPaymentsDeps) {
  const { connector, requests, callbacks, logger } = deps
  const { payer } = connector

  function asynchronous(headers: Headers): { clientCorrelationId: string; callbackUrl: string } {
    checkXDate(headers)
    return { clientCorrelationId: correlationIdOf(headers), callbackUrl: callbackUrlOf(headers) }
  }

  async function record(kind: RequestKind, headers: Headers, body: unknown, transferId: string, objectReference: string): Promise<GsmaRequestRow> {
    const { clientCorrelationId, callbackUrl } = asynchronous(headers)
    const row = { serverCorrelationId: randomUUID(), clientCorrelationId, kind, objectReference, transferId, callbackUrl, request: body as Record<string, unknown> }
    if (!(await requests.create(row))) throw new GsmaError('businessRule/duplicateRequest', `X-CorrelationID ${clientCorrelationId} was supplied before`, [{ key: 'X-CorrelationID', value: clientCorrelationId }])
    return (await requests.byServerCorrelationId(row.serverCorrelationId))!
  }

  /** POST /transactions/type/transfer */
  async function startTransfer(headers: Headers, body: unknown): Promise<Record<string, unknown>> {
    asynchronous(headers)
    const command = transferCommandOf(body, randomUUID())
    let transferId = command.payment.transferId!
    if (command.quotationReference) transferId = await quotedPaymentFor(command.quotationReference, command.payment.amount, command.payment.currency)
    const row = await record('transfer', headers, body, transferId, transferId)
    later(row, () => (command.quotationReference ? payer.accept(transferId, { acceptQuote: true }) : payer.pay(command.payment)))
    return requestStateOf(row, undefined)
  }

  /** POST /quotations */
  async function startQuotation(headers: Headers, body: unknown): Promise<Record<string, unknown>> {
    asynchronous(headers)
    const payment = quotationPaymentOf(body, randomUUID())
    const row = await record('quotation', headers, body, payment.transferId!, randomUUID())
    later(row, () => payer.pay(payment))
    return requestStateOf(row, undefined)
  }

  async function quotedPaymentFor(quotationReference: string, amount: string, currency: string): Promise<string> {
    const quotation = await requests.byObjectReference('quotation', quotationReference)
    const payment = quotation && (await payer.get(quotation.transferId))
    if (!quotation || !payment) throw new GsmaError('identification/identifierError', `no quotation ${quotationReference}`, [{ key: 'quotationReference', value: quotationReference }])
    if (payment.state !== 'WAITING_FOR_QUOTE_ACCEPTANCE') throw new GsmaError('businessRule/incorrectState', `quotation ${quotationReference} is not open for a transfer`, [{ key: 'quotationReference', value: quotationReference }])
    const requested = payment.request as { amount: string; currency: string }
    if (requested.amount !== amount || requested.currency !== currency) throw new GsmaError('validation/genericError', `the transfer's amount is not the quotation's (${requested.amount} ${requested.currency})`, [{ key: 'quotationReference', value: quotationReference }])
    return payment.transferId
  }

  /** Runs a request's payment after the 202, then tries its callback at once (the sweep retries). */
  function later(row: GsmaRequestRow, work: () => Promise<PaymentRow | undefined>): void {
    setImmediate(() => {
      work().catch((error) => logger.error({ err: error, transferId: row.transferId }, 'gsma: payment failed to run'))
        .then(() => callbacks.deliver(row)).catch((error) => logger.warn({ err: error }, 'gsma: callback try failed'))
    })
  }

  /** After a restart: a request recorded whose payment never started is started now (its id makes it one). */
  async function resume(): Promise<number> {
    const orphans = await requests.withoutPayment()
    for (const row of orphans) {
      if (row.kind === 'quotation') later(row, () => payer.pay(quotationPaymentOf(row.request, row.transferId)))
      else later(row, () => payer.pay(transferCommandOf(row.request, row.transferId).payment))
    }
    return orphans.length
  }

  return { startTransfer, startQuotation, resume }
}
export type GsmaPayments = ReturnType<typeof createGsmaPayments>
