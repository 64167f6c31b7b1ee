// JSON schemas of the admin API bodies (Mojaloop central-ledger admin API shapes).
import { LEDGER_ACCOUNT_TYPES } from '../../ledger/store/participants.ts'

const currency = { type: 'string', pattern: '^[A-Z]{3}$' } as const
/** Limits and positions arrive as JSON numbers from Mojaloop tooling, or as strings. */
const decimalInput = { anyOf: [{ type: 'number' }, { type: 'string', pattern: '^-?[0-9]{1,34}([.][0-9]{1,4})?$' }] } as const
const amount = { type: 'string' } as const // checked by ledger/domain/money.ts checkAmount for precise errors
const extensionList = {
  type: 'object',
  required: ['extension'],
  properties: { extension: { type: 'array', minItems: 1, maxItems: 16, items: { type: 'object', required: ['key', 'value'], properties: { key: { type: 'string', minLength: 1, maxLength: 32 }, value: { type: 'string', minLength: 1, maxLength: 128 } } } } },
} as const
export const nameParam = { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 2, maxLength: 30, pattern: '^[A-Za-z0-9_.-]+$' } } } as const

export const createParticipantBody = {
  type: 'object', required: ['name', 'currency'], additionalProperties: false,
  properties: { name: nameParam.properties.name, currency, isProxy: { type: 'boolean' } },
} as const

export const updateParticipantBody = { type: 'object', required: ['isActive'], properties: { isActive: { type: 'boolean' } } } as const

export const hubAccountBody = {
  type: 'object', required: ['type', 'currency'],
  properties: { type: { type: 'string', enum: [...LEDGER_ACCOUNT_TYPES] }, currency },
} as const

export const endpointBody = {
  type: 'object', required: ['type', 'value'],
  properties: { type: { type: 'string', minLength: 1, maxLength: 80, pattern: '^[A-Z0-9_]+$' }, value: { type: 'string', minLength: 1, maxLength: 512 } },
} as const

const limit = {
  type: 'object', required: ['type', 'value'],
  properties: { type: { type: 'string', enum: ['NET_DEBIT_CAP'] }, value: decimalInput, alarmPercentage: { type: 'integer', minimum: 0, maximum: 100 } },
} as const

export const initialPositionAndLimitsBody = {
  type: 'object', required: ['currency', 'limit'], // initialPosition is optional, as in central-ledger
  properties: { currency, limit, initialPosition: decimalInput },
} as const

export const limitBody = { type: 'object', required: ['currency', 'limit'], properties: { currency, limit } } as const

export const accountStateBody = { type: 'object', required: ['isActive'], properties: { isActive: { type: 'boolean' } } } as const

export const fundsBody = {
  type: 'object', required: ['transferId', 'action', 'amount'],
  properties: {
    transferId: { type: 'string', minLength: 1, maxLength: 36 },
    externalReference: { type: 'string', maxLength: 256 },
    action: { type: 'string', enum: ['recordFundsIn', 'recordFundsOutPrepareReserve'] },
    reason: { type: 'string', maxLength: 512 },
    amount: { type: 'object', required: ['amount', 'currency'], properties: { amount, currency } },
    extensionList,
  },
} as const

export const fundsCompletionBody = {
  type: 'object', required: ['action'],
  properties: { action: { type: 'string', enum: ['recordFundsOutCommit', 'recordFundsOutAbort'] }, reason: { type: 'string', maxLength: 512 }, extensionList },
} as const

export const settlementModelBody = {
  type: 'object',
  required: ['name', 'settlementGranularity', 'settlementInterchange', 'settlementDelay', 'requireLiquidityCheck', 'ledgerAccountType', 'autoPositionReset', 'settlementAccountType'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 50 },
    settlementGranularity: { type: 'string', enum: ['GROSS', 'NET'] },
    settlementInterchange: { type: 'string', enum: ['BILATERAL', 'MULTILATERAL'] },
    settlementDelay: { type: 'string', enum: ['IMMEDIATE', 'DEFERRED'] },
    currency: { anyOf: [currency, { type: 'null' }] },
    requireLiquidityCheck: { type: 'boolean' },
    ledgerAccountType: { type: 'string', enum: [...LEDGER_ACCOUNT_TYPES] },
    settlementAccountType: { type: 'string', enum: [...LEDGER_ACCOUNT_TYPES] },
    autoPositionReset: { type: 'boolean' },
  },
} as const
