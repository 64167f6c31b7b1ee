// Which participants are foreign exchange providers (FXPs), for GET /services/FXP. Mojaloop has no FXP flag:
// central-ledger keeps an FXP as an ordinary participant, quoting-service accepts any active participant
// with POSITION accounts in both currencies as an fxQuote's counter-party, and account-lookup-service has no
// /services/FXP at all (mojaloop/project#3783, #4091). Agora's rule, the one the fxQuote route applies too:
//
//   an FXP is an active participant (not the hub) that registered an FSPIOP_CALLBACK_URL_FX_QUOTES endpoint
//   and holds active POSITION accounts in at least two currencies; it serves a pair SOURCE/TARGET when it
//   holds active POSITION accounts in both.
//
// The requester itself is not listed (it cannot be its own FXP). At most PROVIDERS_MAX names, by name.
import type { Db } from '../../ledger/store/db.ts'
import { FX_QUOTES_ENDPOINT } from './fx-quote-messages.ts'

/** ServicesFXPPutResponse.providers has maxItems 16. */
export const PROVIDERS_MAX = 16

export interface FxpCandidate {
  name: string
  isActive: boolean
  isHub: boolean
  hasFxQuotesEndpoint: boolean
  /** Currencies of its active POSITION accounts. */
  positionCurrencies: ReadonlySet<string>
}

export interface CurrencyPair { source: string; target: string }

export function servesAsFxp(p: FxpCandidate, pair?: CurrencyPair): boolean {
  if (!p.isActive || p.isHub || !p.hasFxQuotesEndpoint || p.positionCurrencies.size < 2) return false
  return pair === undefined || (pair.source !== pair.target && p.positionCurrencies.has(pair.source) && p.positionCurrencies.has(pair.target))
}

/** The FXPs (for the pair, if named) the requester may ask, sorted by name. */
export function fxpProviders(candidates: readonly FxpCandidate[], requester: string, pair?: CurrencyPair): string[] {
  return candidates.filter((p) => p.name !== requester && servesAsFxp(p, pair)).map((p) => p.name).sort().slice(0, PROVIDERS_MAX)
}

/** Participants with an FSPIOP_CALLBACK_URL_FX_QUOTES endpoint, with their active POSITION currencies. */
export async function loadFxpCandidates(db: Db): Promise<FxpCandidate[]> {
  const rows: { name: string; is_active: number; is_hub: number; currency: string | null }[] = await db('participant as p')
    .join('participant_endpoint as e', function () { this.on('e.participant_id', 'p.id').andOnVal('e.type', FX_QUOTES_ENDPOINT) })
    .leftJoin('account as a', function () { this.on('a.participant_id', 'p.id').andOnVal('a.type', 'POSITION').andOnVal('a.is_active', true) })
    .select('p.name', 'p.is_active', 'p.is_hub', 'a.currency')
  const byName = new Map<string, FxpCandidate & { positionCurrencies: Set<string> }>()
  for (const r of rows) {
    let p = byName.get(r.name)
    if (!p) byName.set(r.name, (p = { name: r.name, isActive: Boolean(r.is_active), isHub: Boolean(r.is_hub), hasFxQuotesEndpoint: true, positionCurrencies: new Set() }))
    if (r.currency) p.positionCurrencies.add(r.currency)
  }
  return [...byName.values()]
}
