// JSON schema pieces shared by the FSPIOP resources (API definition v1.1 §7.2–7.4).
// A CorrelationId: a UUID, or a ULID (FSPIOP v2.0; the ISO 20022 variant takes only ULIDs).
export const uuid = { type: 'string', pattern: '^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9A-HJKMNP-TV-Z]{26})$' } as const
export const fspId = { type: 'string', minLength: 1, maxLength: 32 } as const
export const currencyCode = { type: 'string', pattern: '^[A-Z]{3}$' } as const
export const money = { type: 'object', additionalProperties: false, required: ['currency', 'amount'], properties: { currency: currencyCode, amount: { type: 'string' } } } as const
export const dateTime = { type: 'string', pattern: '^(?:[1-9]\\d{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:[1-9]\\d(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)-02-29)T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:(\\.\\d{3}))(?:Z|[+-][01]\\d:[0-5]\\d)$' } as const
export const extensionList = {
  type: 'object', required: ['extension'], additionalProperties: false,
  properties: { extension: { type: 'array', minItems: 1, maxItems: 16, items: { type: 'object', required: ['key', 'value'], additionalProperties: false, properties: { key: { type: 'string', minLength: 1, maxLength: 32 }, value: { type: 'string', minLength: 1, maxLength: 128 } } } } },
} as const
export const errorBody = {
  type: 'object', additionalProperties: false, required: ['errorInformation'],
  properties: {
    errorInformation: {
      type: 'object', additionalProperties: false, required: ['errorCode', 'errorDescription'],
      properties: { errorCode: { type: 'string', pattern: '^[1-9]\\d{3}$' }, errorDescription: { type: 'string', minLength: 1, maxLength: 128 }, extensionList },
    },
  },
} as const
