// JSON schemas of the lookup bodies (FSPIOP API v1.1 §6.2, §6.3; v2.0 the same fields).
import { currencyCode, extensionList, fspId } from '../fspiop/common-schemas.ts'
export { errorBody } from '../fspiop/common-schemas.ts'
export const PARTY_ID_TYPES = ['MSISDN', 'EMAIL', 'PERSONAL_ID', 'BUSINESS', 'DEVICE', 'ACCOUNT_ID', 'IBAN', 'ALIAS', 'CONSENT', 'THIRD_PARTY_LINK'] as const
const currency = currencyCode
const partyIdentifier = { type: 'string', minLength: 1, maxLength: 128 } as const

export const partyParams = {
  type: 'object', required: ['Type', 'ID'],
  properties: { Type: { type: 'string', enum: [...PARTY_ID_TYPES] }, ID: partyIdentifier, SubId: { type: 'string', minLength: 1, maxLength: 128 } },
} as const

export const participantBody = { type: 'object', required: ['fspId'], properties: { fspId, currency, extensionList } } as const

export const batchParticipantsBody = {
  type: 'object', required: ['requestId', 'partyList'],
  properties: {
    requestId: { type: 'string', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' },
    partyList: { type: 'array', minItems: 1, items: { type: 'object', required: ['partyIdType', 'partyIdentifier'], properties: { partyIdType: { type: 'string', enum: [...PARTY_ID_TYPES] }, partyIdentifier, partySubIdOrType: { type: 'string' }, fspId } } },
    currency,
  },
} as const

export const partiesPutBody = {
  type: 'object', required: ['party'],
  properties: {
    party: {
      type: 'object', required: ['partyIdInfo'],
      properties: { partyIdInfo: { type: 'object', required: ['partyIdType', 'partyIdentifier'], properties: { partyIdType: { type: 'string', enum: [...PARTY_ID_TYPES] }, partyIdentifier, fspId } } },
    },
  },
} as const
