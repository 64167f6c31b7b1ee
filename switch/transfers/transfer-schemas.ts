// JSON schemas of the FSPIOP transfer bodies (API definition v1.1 §6.7, v2.0 the same fields).
const uuid = { type: 'string', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' } as const
const fspId = { type: 'string', minLength: 1, maxLength: 32 } as const
const dateTime = { type: 'string', pattern: '^(?:[1-9]\\d{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:[1-9]\\d(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)-02-29)T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:(\\.\\d{3}))(?:Z|[+-][01]\\d:[0-5]\\d)$' } as const
const ilpCondition = { type: 'string', pattern: '^[A-Za-z0-9-_]{43}$', maxLength: 48 } as const
const extensionList = {
  type: 'object', required: ['extension'], additionalProperties: false,
  properties: { extension: { type: 'array', minItems: 1, maxItems: 16, items: { type: 'object', required: ['key', 'value'], additionalProperties: false, properties: { key: { type: 'string', minLength: 1, maxLength: 32 }, value: { type: 'string', minLength: 1, maxLength: 128 } } } } },
} as const

export const transferIdParams = { type: 'object', required: ['id'], properties: { id: uuid } } as const

export const prepareBody = {
  type: 'object', additionalProperties: false,
  required: ['transferId', 'payeeFsp', 'payerFsp', 'amount', 'ilpPacket', 'condition', 'expiration'],
  properties: {
    transferId: uuid,
    payeeFsp: fspId,
    payerFsp: fspId,
    amount: { type: 'object', additionalProperties: false, required: ['currency', 'amount'], properties: { currency: { type: 'string', pattern: '^[A-Z]{3}$' }, amount: { type: 'string' } } },
    ilpPacket: { type: 'string', minLength: 1, maxLength: 32768, pattern: '^[A-Za-z0-9-_]+[=]{0,2}$' },
    condition: ilpCondition,
    expiration: dateTime,
    extensionList,
  },
} as const

export const fulfilBody = {
  type: 'object', additionalProperties: false, required: ['transferState'],
  properties: {
    fulfilment: { type: 'string', pattern: '^[A-Za-z0-9-_]{43}$', maxLength: 48 },
    completedTimestamp: dateTime,
    transferState: { type: 'string', enum: ['RECEIVED', 'RESERVED', 'COMMITTED', 'ABORTED'] },
    extensionList,
  },
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
