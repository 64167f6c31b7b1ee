// What must never reach a log line or a trace: party identifiers (they sit in FSPIOP paths such as
// /parties/MSISDN/255123456), passwords, tokens, cookies, signatures, keys, ILP packets, conditions and
// fulfilments, names, and the values inside SQL (a failed INSERT's message quotes what it inserted).
import pino from 'pino'

/** FSPIOP party id types (API definition, PartyIdType): a path segment after one of them is an identifier. */
const PARTY_ID_TYPES = 'MSISDN|EMAIL|PERSONAL_ID|BUSINESS|DEVICE|ACCOUNT_ID|IBAN|ALIAS|CONSENT|THIRD_PARTY_LINK'
const PARTY_PATH = new RegExp(`/(parties|participants)/(${PARTY_ID_TYPES})/([^/?#\\s"]+)(/(?!error\\b)[^/?#\\s"]+)?`, 'g')

/** /parties/MSISDN/255123456/sub → /parties/MSISDN/{ID}/{SubId}: the route is kept, the party is not. */
export function redactPartyPaths(text: string): string {
  return text.replace(PARTY_PATH, (_m, resource: string, type: string, _id: string, sub: string | undefined) => `/${resource}/${type}/{ID}${sub ? '/{SubId}' : ''}`)
}

const SQL_LITERAL = /'(?:[^'\\]|\\.|'')*'/g
/** An INSERT's values, up to knex's " - " before the database's own message, or the end of the line. */
const SQL_VALUES = /\bvalues\s*\(.*?(?= - |$)/gim

/** A database error's text without the values it quotes (knex puts the whole statement in the message). */
export function redactSqlText(text: string): string {
  return text.replace(SQL_VALUES, 'values (…)').replace(SQL_LITERAL, "'…'")
}

/** Log fields pino replaces with "[redacted]" wherever a caller put them (top level or one level down). */
const SECRET_FIELDS = [
  'password', 'token', 'accessToken', 'authorization', 'cookie', 'set-cookie', 'fspiop-signature', 'signature', 'privateKey', 'secret',
  'ilpPacket', 'condition', 'fulfilment', 'body', 'payload', 'party', 'payer', 'payee', 'partyIdentifier', 'firstName', 'lastName',
]
const pathOf = (field: string, nested: boolean) => (/^\w+$/.test(field) ? `${nested ? '*.' : ''}${field}` : `${nested ? '*' : ''}["${field}"]`)
export const LOG_REDACT_PATHS = [
  ...SECRET_FIELDS.flatMap((f) => [pathOf(f, false), pathOf(f, true)]),
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["fspiop-signature"]', 'res.headers["set-cookie"]', 'headers.authorization', 'headers.cookie',
  'err.sql', 'err.bindings', 'err.parameters',
]

interface SerializedError {
  message?: string
  stack?: string
  sqlMessage?: string
  [key: string]: unknown
}

/** pino's error serializer, then without SQL values, party paths or a request body the error carries. */
export function serializeError(error: unknown): unknown {
  const out = pino.stdSerializers.err(error as Error) as unknown as SerializedError
  if (!out || typeof out !== 'object') return out
  for (const key of ['message', 'stack', 'sqlMessage'] as const) {
    const value = out[key]
    if (typeof value === 'string') out[key] = redactPartyPaths(out.sqlMessage !== undefined || 'sql' in out ? redactSqlText(value) : value)
  }
  delete out.sql
  return out
}

export function redactUrl(url: string): string {
  return redactPartyPaths(url)
}
