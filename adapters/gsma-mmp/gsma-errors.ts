// The GSMA Mobile Money API v1.2 error object ("API Behaviour & Error Handling"): every error a client
// hears is {errorCategory, errorCode, errorDescription, errorDateTime, errorParameters}, the category
// deciding the HTTP status. Enumeration values are camelCase on the wire, as the GSMA simulator and SDKs
// send them ("identification" / "identifierError"). A GsmaError is a value: bad input, a refused payment,
// an unsupported service; exceptions are for bugs and broken infrastructure.

/** Category → HTTP status (the specification's "HTTP Error Response Codes" table). */
export const HTTP_STATUS_OF_CATEGORY = {
  businessRule: 400,
  validation: 400,
  authorisation: 401,
  identification: 404,
  internal: 500,
  serviceUnavailable: 503,
} as const

export type GsmaErrorCategory = keyof typeof HTTP_STATUS_OF_CATEGORY

/** Every harmonised error code, by category ("API Error Codes"), with the specification's meaning. */
export const GSMA_ERROR_CODES = {
  businessRule: {
    genericError: 'A generic error for the business rule category',
    dailyVolumeLimitExceeded: 'The party has exceeded their daily transacting volume limit',
    dailyValueLimitExceeded: 'The party has exceeded their daily transacting value limit',
    weeklyVolumeLimitExceeded: 'The party has exceeded their weekly transacting volume limit',
    weeklyValueLimitExceeded: 'The party has exceeded their weekly transacting value limit',
    monthlyVolumeLimitExceeded: 'The party has exceeded their monthly transacting volume limit',
    monthlyValueLimitExceeded: 'The party has exceeded their monthly transacting value limit',
    accountMaxTotalValueExceeded: 'The party has exceeded their cumulative transacting value limit defined for the account',
    accountMaxTotalVolumeExceeded: 'The party has exceeded their cumulative transacting volume limit defined for the account',
    lessThanTransactionMinValue: 'The amount is less than the defined minimum for the service',
    greaterThanTransactionMaxValue: 'The amount is greater than the defined maximum for the service',
    maxBalanceExceeded: "The amount would make the credit party's balance exceed the rule limit",
    samePartiesError: 'The debit and credit parties are the same',
    duplicateRequest: 'The request has previously been processed, i.e. this request is a duplicate and hence has been rejected',
    insufficientFunds: 'Available funds are not sufficient to enable the party to be debited for the requested transaction',
    incorrectState: 'The account is in a state that does not permit the requested service',
    underPaymentNotAllowed: 'The requested amount is less than the amount that needs to be supplied for this transaction',
    overPaymentNotAllowed: 'The requested amount is greater than the amount that needs to be supplied for this transaction',
    rateLimitError: 'The client has submitted too many requests within a period of time',
    // v1.2 adds these (the errorObject enumeration of the v1.2 OpenAPI); the connector raises the first two.
    transactionTypeError: 'The transaction type is not supported',
    quoteHasExpired: 'The quote has expired',
  },
  validation: {
    genericError: 'A generic error for the validation category',
    lengthError: 'The property contents are longer or shorter than allowed',
    formatError: 'The property contents do not conform to the format required for this property',
    negativeValue: 'The amount supplied is negative and this is not allowed for the given service',
    currencyNotSupported: 'The currency supplied is not supported by the API provider',
    mandatoryValueNotSupplied: 'A mandatory value has not been provided in the header and/or JSON body',
    invalidOffset: 'The offset requested is outside the range of the available records',
  },
  authorisation: {
    clientAuthorisationError: 'General client authentication failure',
    requestDeclined: 'The debit party did not approve the request',
    requestingPartyAuthorisationError: 'The requesting party has not provided the right credentials or may not perform this service',
    servicingPartyAuthorisationError: 'The servicing party has not provided the right credentials or may not perform this service',
  },
  identification: {
    identifierError: 'The requested resource could not be matched on the system with the supplied identifier(s)',
  },
  internal: {
    genericError: 'The request could not be completed due to non-client related issues',
  },
  serviceUnavailable: {
    genericError: 'The service is not currently available',
  },
} as const satisfies Record<GsmaErrorCategory, Record<string, string>>

type Codes = typeof GSMA_ERROR_CODES
/** "category/code", e.g. "identification/identifierError": one key per harmonised error. */
export type GsmaErrorKey = { [C in GsmaErrorCategory]: `${C}/${keyof Codes[C] & string}` }[GsmaErrorCategory]

export const ALL_GSMA_ERROR_KEYS: readonly GsmaErrorKey[] = Object.entries(GSMA_ERROR_CODES)
  .flatMap(([category, codes]) => Object.keys(codes).map((code) => `${category}/${code}` as GsmaErrorKey))

export interface ErrorParameter {
  key: string
  value: string
}

export interface GsmaErrorBody {
  errorCategory: GsmaErrorCategory
  errorCode: string
  errorDescription: string
  errorDateTime: string
  errorParameters?: ErrorParameter[]
}

/** At most 20 error parameters (the Error Parameters Object). */
export const ERROR_PARAMETERS_MAX = 20
const DESCRIPTION_CHARS_MAX = 256

export class GsmaError extends Error {
  readonly category: GsmaErrorCategory
  readonly code: string

  constructor(readonly key: GsmaErrorKey, readonly detail?: string, readonly parameters: readonly ErrorParameter[] = []) {
    super(`${key}${detail ? `: ${detail}` : ''}`)
    this.name = 'GsmaError'
    const [category, code] = key.split('/') as [GsmaErrorCategory, string]
    this.category = category
    this.code = code
  }

  get httpStatus(): number {
    return HTTP_STATUS_OF_CATEGORY[this.category]
  }

  toBody(now: Date = new Date()): GsmaErrorBody {
    const meaning = (GSMA_ERROR_CODES[this.category] as Record<string, string>)[this.code]!
    return {
      errorCategory: this.category, errorCode: this.code,
      errorDescription: (this.detail ?? meaning).slice(0, DESCRIPTION_CHARS_MAX), errorDateTime: now.toISOString(),
      ...(this.parameters.length ? { errorParameters: this.parameters.slice(0, ERROR_PARAMETERS_MAX).map((p) => ({ key: p.key, value: p.value })) } : {}),
    }
  }

  /** An error object as another provider (the MMP's own API) sent it; undefined when it is not one. */
  static fromBody(body: unknown): GsmaError | undefined {
    const b = body as Partial<GsmaErrorBody> | undefined
    if (typeof b?.errorCategory !== 'string' || typeof b.errorCode !== 'string') return undefined
    const key = `${b.errorCategory}/${b.errorCode}`
    if (!(ALL_GSMA_ERROR_KEYS as readonly string[]).includes(key)) return undefined
    const parameters = Array.isArray(b.errorParameters) ? b.errorParameters.filter((p) => typeof p?.key === 'string').map((p) => ({ key: p.key, value: String(p.value) })) : []
    return new GsmaError(key as GsmaErrorKey, typeof b.errorDescription === 'string' ? b.errorDescription : undefined, parameters)
  }
}
