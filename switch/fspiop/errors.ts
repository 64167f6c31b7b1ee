// FSPIOP error codes (API definition v1.1 §7.6) and the one mapping from a code to an HTTP status and a
// body. Errors a DFSP or an operator can cause are FspiopError values; anything else is a bug. The
// descriptions are Mojaloop's own (central-services-error-handling's FSPIOPErrorCodes, from
// sdk-standard-components): DFSPs match on them, so errors.test.ts compares the two lists.
export const ERRORS = {
  '1000': 'Communication error',
  '1001': 'Destination communication error',
  '2000': 'Generic server error',
  '2001': 'Internal server error',
  '2002': 'Not implemented',
  '2003': 'Service currently unavailable',
  '2004': 'Server timed out',
  '2005': 'Server busy',
  '3000': 'Generic client error',
  '3001': 'Unacceptable version requested',
  '3002': 'Unknown URI',
  '3003': 'Add Party information error',
  '3040': 'Delete Party information error',
  '3100': 'Generic validation error',
  '3101': 'Malformed syntax',
  '3102': 'Missing mandatory element',
  '3103': 'Too many elements',
  '3104': 'Too large payload',
  '3105': 'Invalid signature',
  '3106': 'Modified request',
  '3107': 'Missing mandatory extension parameter',
  '3200': 'Generic ID not found',
  '3201': 'Destination FSP Error',
  '3202': 'Payer FSP ID not found',
  '3203': 'Payee FSP ID not found',
  '3204': 'Party not found',
  '3205': 'Quote ID not found',
  '3206': 'Transaction request ID not found',
  '3207': 'Transaction ID not found',
  '3208': 'Transfer ID not found',
  '3209': 'Bulk quote ID not found',
  '3210': 'Bulk transfer ID not found',
  '3300': 'Generic expired error',
  '3301': 'Transaction request expired',
  '3302': 'Quote expired',
  '3303': 'Transfer expired',
  '4000': 'Generic Payer error',
  '4001': 'Payer FSP insufficient liquidity',
  '4100': 'Generic Payer rejection',
  '4101': 'Payer rejected transaction request',
  '4102': 'Payer FSP unsupported transaction type',
  '4103': 'Payer unsupported currency',
  '4200': 'Payer limit error',
  '4300': 'Payer permission error',
  '4400': 'Generic Payer blocked error',
  '5000': 'Generic Payee error',
  '5001': 'Payee FSP insufficient liquidity',
  '5100': 'Generic Payee rejection',
  '5101': 'Payee rejected quote',
  '5102': 'Payee FSP unsupported transaction type',
  '5103': 'Payee FSP rejected quote',
  '5104': 'Payee rejected transaction',
  '5105': 'Payee FSP rejected transaction',
  '5106': 'Payee unsupported currency',
  '5107': 'Payee identifier no-longer valid',
  '5200': 'Payee limit error',
  '5300': 'Payee permission error',
  '5400': 'Generic Payee blocked error',
  // Third-party (PISP) API
  '7000': 'Generic Thirdparty error',
  '7100': 'Generic Thirdparty transaction error',
  '7101': 'Transaction request failed DFSP validation',
  '7102': 'Transaction request PUT update send to PISP failed',
  '7103': 'Transaction request quote send to payee DFSP failed',
  '7104': 'Transaction request for user authorization send to PISP failed',
  '7105': 'Authorization received from PISP failed DFSP validation',
  '7106': 'DFSP received reject by user authorization, so transaction cancelled',
  '7107': 'DFSP received unexpected authorization responseType',
  '7108': 'Transaction request transfer failed',
  '7109': 'Transaction request notification failed',
  '7200': 'Generic Thirdparty account linking error',
  '7201': 'No thirdparty enabled FSP found',
  '7202': 'No accounts found for generic ID',
  '7203': 'FSP does not support any requested authentication channels',
  '7204': 'FSP does not support any requested scope actions',
  '7205': 'OTP failed validation',
  '7206': 'FSP failed to validate OTP',
  '7207': 'FSP failed retrieve scopes for consent request',
  '7208': 'FSP failed to validate consent request',
  '7209': 'FSP does not find scopes suitable',
  '7210': 'FSP does not trust PISP callback URI',
  '7211': 'FSP does not allow consent requests for specified username',
  '7212': 'Signed challenge does not match derived challenge',
  '7213': 'Consent is invalid',
  '7214': 'Failed to register account links with oracle',
  '7300': 'Generic Thirdparty auth service error',
} as const

export type FspiopErrorCode = keyof typeof ERRORS

export interface ExtensionList {
  extension: { key: string; value: string }[]
}

export interface ErrorInformation {
  errorCode: string
  errorDescription: string
  extensionList?: ExtensionList
}

export class FspiopError extends Error {
  readonly code: FspiopErrorCode
  readonly detail: string | undefined
  readonly extensionList: ExtensionList | undefined

  constructor(code: FspiopErrorCode, detail?: string, extensionList?: ExtensionList) {
    super(detail ? `${ERRORS[code]} - ${detail}` : ERRORS[code])
    this.name = 'FspiopError'
    this.code = code
    this.detail = detail
    this.extensionList = extensionList
  }

  /** "Description - detail", cut to the 128 characters FSPIOP allows. */
  get description(): string {
    return this.message.slice(0, 128)
  }

  get httpStatus(): number {
    return httpStatusFor(this.code)
  }

  toBody(): { errorInformation: ErrorInformation } {
    const errorInformation: ErrorInformation = { errorCode: this.code, errorDescription: this.description }
    if (this.extensionList) errorInformation.extensionList = this.extensionList
    return { errorInformation }
  }
}

export function httpStatusFor(code: string): number {
  if (code === '3001') return 406
  if (code === '3002') return 404
  if (code === '3104') return 413 // too large payload: the body limit
  if (code === '3105') return 401 // invalid signature: authentication failed
  if (code >= '3200' && code <= '3210') return 404
  if (code === '2002') return 501
  if (code === '2003' || code === '2005' || code.startsWith('1')) return 503
  if (code.startsWith('2')) return 500
  return 400
}

export function isFspiopErrorCode(code: string): code is FspiopErrorCode {
  return Object.hasOwn(ERRORS, code)
}
