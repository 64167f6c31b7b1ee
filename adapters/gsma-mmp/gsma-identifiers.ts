// Account identifiers (the Account Identifier Object and its enumeration) ⇄ FSPIOP party id types. An
// account is named by one identifier in the path (/accounts/{identifierType}/{identifier}), by several
// (/accounts/{key}@{value}${key}@{value}), or by debitParty/creditParty key/value arrays. The connector
// routes on the first identifier FSPIOP can look up; an MSISDN is sent as FSPIOP writes it (digits only).
import { GsmaError } from './gsma-errors.ts'

/** One to one, so an FSPIOP party comes back with the key it was asked by. */
export const FSPIOP_PARTY_TYPE_OF_KEY = {
  msisdn: 'MSISDN',
  emailaddress: 'EMAIL',
  accountid: 'ACCOUNT_ID',
  iban: 'IBAN',
  identityalias: 'ALIAS',
  organisationid: 'BUSINESS',
} as const

export type RoutableKey = keyof typeof FSPIOP_PARTY_TYPE_OF_KEY

/** Every key of the specification's Account Identifiers enumeration. */
export const ACCOUNT_IDENTIFIER_KEYS = [
  'accountcategory', 'bankaccountno', 'accountrank', 'identityalias', 'iban', 'accountid', 'msisdn', 'swiftbic', 'sortcode',
  'organisationid', 'username', 'walletid', 'linkref', 'consumerno', 'serviceprovider', 'storeid', 'bankname', 'bankaccounttitle',
  'emailaddress', 'mandatereference',
] as const

export interface AccountIdentifier {
  key: string
  value: string
}

/** Between one and ten identifiers (the UML class diagrams' 1..10). */
export const IDENTIFIERS_MAX = 10
const MSISDN = /^\+?[0-9 ]{6,20}$/

export interface FspiopParty {
  idType: string
  idValue: string
}

/** The FSPIOP party for a set of identifiers: the first routable one, or the GsmaError that refuses them. */
export function fspiopPartyOf(identifiers: readonly AccountIdentifier[], field: string): FspiopParty {
  if (identifiers.length === 0) throw new GsmaError('validation/mandatoryValueNotSupplied', `${field} names no account`, [{ key: field, value: '[]' }])
  if (identifiers.length > IDENTIFIERS_MAX) throw new GsmaError('validation/lengthError', `${field} has more than ${IDENTIFIERS_MAX} identifiers`, [{ key: field, value: String(identifiers.length) }])
  for (const id of identifiers) {
    if (!(ACCOUNT_IDENTIFIER_KEYS as readonly string[]).includes(id.key)) throw new GsmaError('validation/formatError', `${id.key} is not an account identifier`, [{ key: field, value: id.key }])
  }
  const routable = identifiers.find((id) => id.key in FSPIOP_PARTY_TYPE_OF_KEY)
  if (!routable) throw new GsmaError('identification/identifierError', `${field} has no identifier the scheme can look up (${Object.keys(FSPIOP_PARTY_TYPE_OF_KEY).join(', ')})`, identifiers.map((id) => ({ key: field, value: id.key })))
  const key = routable.key as RoutableKey
  if (key === 'msisdn') {
    if (!MSISDN.test(routable.value)) throw new GsmaError('validation/formatError', 'an msisdn has 6 to 15 digits, may start with + and contain spaces', [{ key: field, value: routable.value }])
    return { idType: 'MSISDN', idValue: routable.value.replace(/[+ ]/g, '') }
  }
  return { idType: FSPIOP_PARTY_TYPE_OF_KEY[key], idValue: routable.value }
}

/** The GSMA identifier for an FSPIOP party (the payee side asks the MMP by it). */
export function identifierOf(idType: string, idValue: string): AccountIdentifier {
  const entry = Object.entries(FSPIOP_PARTY_TYPE_OF_KEY).find(([, type]) => type === idType)
  if (!entry) throw new GsmaError('identification/identifierError', `party id type ${idType} has no GSMA account identifier`)
  return { key: entry[0], value: idValue }
}

/** The multiple-identifier path segment: key@value$key@value (values URL-decoded by the router). */
export function identifiersOfPath(segment: string): AccountIdentifier[] {
  return segment.split('$').map((pair) => {
    const at = pair.indexOf('@')
    if (at <= 0 || at === pair.length - 1) throw new GsmaError('validation/formatError', `account identifiers are key@value pairs joined by $: ${segment}`, [{ key: 'accountIdentifiers', value: segment }])
    return { key: pair.slice(0, at), value: pair.slice(at + 1) }
  })
}
