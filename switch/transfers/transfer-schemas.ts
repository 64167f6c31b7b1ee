// JSON schemas of the FSPIOP transfer bodies (API definition v1.1 §6.7, v2.0 the same fields).
import { dateTime, extensionList, fspId, money, uuid } from '../fspiop/common-schemas.ts'
export { errorBody } from '../fspiop/common-schemas.ts'
const ilpCondition = { type: 'string', pattern: '^[A-Za-z0-9-_]{43}$', maxLength: 48 } as const

export const transferIdParams = { type: 'object', required: ['id'], properties: { id: uuid } } as const

export const prepareBody = {
  type: 'object', additionalProperties: false,
  required: ['transferId', 'payeeFsp', 'payerFsp', 'amount', 'ilpPacket', 'condition', 'expiration'],
  properties: {
    transferId: uuid,
    payeeFsp: fspId,
    payerFsp: fspId,
    amount: money,
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
