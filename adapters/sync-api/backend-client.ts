// The core's backend API, as Mojaloop's sdk-scheme-adapter calls it (plain JSON, documented in
// openapi.yaml): GET /parties/{idType}/{idValue}, POST /quoterequests, POST /transfers (take a credit),
// and PUT /transfers/{transferId} (the switch's final state). A core built for the SDK answers these
// already. A refusal is a 4xx with {statusCode: "<FSPIOP code>", message}; a 5xx or no answer is retried.
import { request } from 'undici'
import { FspiopFailure } from '../connector-core/fspiop-failure.ts'
import type { BackendParty, CreditRequest, PayeeBackend, QuoteTerms } from '../connector-core/payee-backend.ts'

export const BACKEND_TIMEOUT_MS = 10_000
export const BACKEND_ATTEMPTS_MAX = 3
export const BACKEND_RETRY_FIRST_MS = 100

const FSPIOP_CODE = /^\d{4}$/
/** A core that does not serve PUT /transfers/{id} (the SDK sends it only with RESERVED_NOTIFICATION on)
 *  has booked the credit at POST /transfers: nothing to tell it. */
const NOTIFICATION_NOT_SERVED = [404, 405, 501]

export function createBackendClient(backendUrl: string): PayeeBackend {
  const base = backendUrl.replace(/\/$/, '')

  /** One call; a refusal (4xx) is an FspiopFailure with the core's code or `refusalCode`. */
  async function call(method: 'GET' | 'POST' | 'PUT', path: string, body: unknown, refusalCode: string, tolerated: readonly number[] = []): Promise<any> {
    let lastError: unknown
    for (let attempt = 1; attempt <= BACKEND_ATTEMPTS_MAX; attempt++) {
      try {
        const response = await request(`${base}${path}`, {
          method, headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body), headersTimeout: BACKEND_TIMEOUT_MS, bodyTimeout: BACKEND_TIMEOUT_MS,
        })
        const text = await response.body.text()
        const parsed = text ? JSON.parse(text) : undefined
        if (response.statusCode < 300 || tolerated.includes(response.statusCode)) return parsed
        if (response.statusCode < 500) {
          const code = FSPIOP_CODE.test(String(parsed?.statusCode)) ? String(parsed.statusCode) : refusalCode
          throw FspiopFailure.of(code, String(parsed?.message ?? `the core answered ${response.statusCode}`))
        }
        lastError = new Error(`the core answered ${method} ${path} with ${response.statusCode}`)
      } catch (error) {
        if (error instanceof FspiopFailure) throw error
        lastError = error
      }
      await new Promise((r) => setTimeout(r, BACKEND_RETRY_FIRST_MS * 2 ** (attempt - 1)))
    }
    throw lastError
  }

  const money = (amount: unknown, currency: unknown) => (typeof amount === 'string' && typeof currency === 'string' ? { amount, currency } : undefined)

  return {
    async lookupParty(idType, idValue, subId): Promise<BackendParty> {
      const p = await call('GET', `/parties/${encodeURIComponent(idType)}/${encodeURIComponent(idValue)}${subId ? `/${encodeURIComponent(subId)}` : ''}`, undefined, '3204')
      const complexName = Object.fromEntries(Object.entries({ firstName: p.firstName, middleName: p.middleName, lastName: p.lastName }).filter(([, v]) => typeof v === 'string'))
      const personalInfo = { ...(Object.keys(complexName).length ? { complexName } : {}), ...(p.dateOfBirth ? { dateOfBirth: p.dateOfBirth } : {}) }
      return {
        party: {
          partyIdInfo: { partyIdType: idType, partyIdentifier: idValue, ...(subId ? { partySubIdOrType: subId } : {}) },
          ...(p.displayName ? { name: p.displayName } : {}),
          ...(Object.keys(personalInfo).length ? { personalInfo } : {}),
        },
      }
    },

    async quote(q, payerFsp): Promise<QuoteTerms> {
      const payee = q.payee.partyIdInfo
      const payer = q.payer.partyIdInfo
      const answer = await call('POST', '/quoterequests', {
        quoteId: q.quoteId, transactionId: q.transactionId,
        to: { idType: payee.partyIdType, idValue: payee.partyIdentifier, ...(payee.partySubIdOrType ? { idSubValue: payee.partySubIdOrType } : {}), fspId: payee.fspId },
        from: { idType: payer.partyIdType, idValue: payer.partyIdentifier, fspId: payer.fspId ?? payerFsp, ...(q.payer.name ? { displayName: q.payer.name } : {}) },
        amountType: q.amountType, amount: q.amount.amount, currency: q.amount.currency,
        transactionType: q.transactionType?.scenario, initiator: q.transactionType?.initiator, initiatorType: q.transactionType?.initiatorType,
        ...(q.fees ? { feesAmount: q.fees.amount, feesCurrency: q.fees.currency } : {}), ...(q.note ? { note: q.note } : {}),
      }, '5101')
      const transferAmount = money(answer?.transferAmount, answer?.transferAmountCurrency)
      if (!transferAmount) throw FspiopFailure.of('2001', 'the core quoted no transferAmount (decimal string) with transferAmountCurrency')
      const terms: QuoteTerms = { transferAmount }
      const receive = money(answer.payeeReceiveAmount, answer.payeeReceiveAmountCurrency)
      const fee = money(answer.payeeFspFeeAmount, answer.payeeFspFeeAmountCurrency)
      const commission = money(answer.payeeFspCommissionAmount, answer.payeeFspCommissionAmountCurrency)
      if (receive) terms.payeeReceiveAmount = receive
      if (fee) terms.payeeFspFee = fee
      if (commission) terms.payeeFspCommission = commission
      if (typeof answer.expiration === 'string') terms.expiration = answer.expiration
      return terms
    },

    async credit(c: CreditRequest) {
      const t = c.transaction
      const payee = t.payee.partyIdInfo
      const payer = t.payer.partyIdInfo
      const answer = await call('POST', '/transfers', {
        transferId: c.transferId,
        quote: { quoteId: t.quoteId, transactionId: t.transactionId, transferAmount: t.amount.amount, transferAmountCurrency: t.amount.currency, expiration: t.expiration },
        from: { idType: payer.partyIdType, idValue: payer.partyIdentifier, fspId: c.payerFsp },
        to: { idType: payee.partyIdType, idValue: payee.partyIdentifier, fspId: payee.fspId },
        amountType: 'SEND', currency: c.amount.currency, amount: c.amount.amount,
        transactionType: t.transactionType?.scenario, ...(t.note ? { note: t.note } : {}),
        ilpPacket: { data: t },
      }, '5104')
      return { homeTransactionId: answer?.homeTransactionId }
    },

    async notifyFinal(transferId, state, detail) {
      await call('PUT', `/transfers/${encodeURIComponent(transferId)}`, {
        currentState: state === 'COMMITTED' ? 'COMPLETED' : 'ERROR_OCCURRED',
        finalNotification: { transferState: state, ...(detail.completedTimestamp ? { completedTimestamp: detail.completedTimestamp } : {}) },
        ...(detail.errorCode ? { lastError: { mojaloopError: { errorInformation: { errorCode: detail.errorCode } } } } : {}),
      }, '2001', NOTIFICATION_NOT_SERVED)
    },
  }
}
