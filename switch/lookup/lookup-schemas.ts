// The party identifier types of FSPIOP (API definition PartyIdType). Bodies and path parameters are
// checked against the official API definition (switch/fspiop/request-validation.ts); this list is for
// the switch's own APIs (oracle administration).
export const PARTY_ID_TYPES = ['MSISDN', 'EMAIL', 'PERSONAL_ID', 'BUSINESS', 'DEVICE', 'ACCOUNT_ID', 'IBAN', 'ALIAS', 'CONSENT', 'THIRD_PARTY_LINK'] as const
