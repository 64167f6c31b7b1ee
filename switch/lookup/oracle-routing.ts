// Which registered oracle serves a lookup, as Mojaloop's ALS chooses (models/oracle/facade.js): the
// oracles of the party id type (and, for a lookup that names a currency, of that currency); of several,
// the default one. A party id type without any registered oracle is served by the built-in one.
import { FspiopError } from '../fspiop/errors.ts'

export interface OracleRoute<T> {
  id: number
  partyIdType: string
  currency: string | undefined
  isDefault: boolean
  target: T
}

/** The route for the type (and currency), 'built-in' if no oracle serves the type; FspiopError 3003 otherwise. */
export function chooseOracle<T>(routes: readonly OracleRoute<T>[], partyIdType: string, currency?: string): T | 'built-in' {
  const ofType = routes.filter((r) => r.partyIdType === partyIdType)
  if (ofType.length === 0) return 'built-in'
  const candidates = currency ? ofType.filter((r) => r.currency === currency) : ofType
  if (candidates.length === 0) throw new FspiopError('3003', `Oracle type:${partyIdType} and currency:${currency} not found`)
  if (candidates.length === 1) return candidates[0]!.target
  // ALS takes the last default of the list (ordered by id); with none it has no URL to call.
  const byId = [...candidates].sort((a, b) => a.id - b.id)
  const chosen = byId.filter((r) => r.isDefault).at(-1)
  if (!chosen) throw new FspiopError('3003', `Oracle type:${partyIdType}${currency ? ` and currency:${currency}` : ''} has several oracles and none is the default`)
  return chosen.target
}
