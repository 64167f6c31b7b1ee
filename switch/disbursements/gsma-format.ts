// application/json submissions in the GSMA Mobile Money API v1.2 batch shape (the body of
// POST /batchtransactions): batchTitle, batchDescription, transactions[] with amount, currency,
// creditParty [{key, value}] and requestingOrganisationTransactionReference. The id is the Disbursement-Id header.
import { checkBeneficiaries, refuse, type Beneficiary, type Parsed } from './submission.ts'

/** GSMA creditParty keys → FSPIOP party id types. */
export const GSMA_PARTY_KEYS: Readonly<Record<string, string>> = {
  msisdn: 'MSISDN', accountid: 'ACCOUNT_ID', walletid: 'ALIAS', emailaddress: 'EMAIL', bankaccountno: 'ACCOUNT_ID', iban: 'IBAN', consumerno: 'PERSONAL_ID',
}

interface GsmaTransaction {
  amount?: unknown
  currency?: unknown
  creditParty?: unknown
  requestingOrganisationTransactionReference?: unknown
  descriptionText?: unknown
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown) => (typeof v === 'string' ? v : '')

export function parseGsmaSubmission(body: string, disbursementId: string): Parsed {
  let batch: unknown
  try {
    batch = JSON.parse(body)
  } catch {
    return refuse('malformed', 'the body is not valid JSON')
  }
  if (!isObject(batch) || !Array.isArray(batch.transactions)) return refuse('malformed', 'the body must be a GSMA batch: an object with transactions[]')
  const rows: { row: number; currency: string; beneficiary: Beneficiary }[] = []
  const bad: number[] = []
  for (const [i, t] of (batch.transactions as unknown[]).entries()) {
    const party = isObject(t) ? creditPartyOf((t as GsmaTransaction).creditParty) : undefined
    if (!isObject(t) || !party || typeof t.amount !== 'string' || typeof t.currency !== 'string') { bad.push(i + 1); continue }
    const tx = t as GsmaTransaction
    rows.push({ row: i + 1, currency: str(tx.currency), beneficiary: { ...party, amount: str(tx.amount), name: str(tx.descriptionText), reference: str(tx.requestingOrganisationTransactionReference) } })
  }
  if (bad.length > 0) return refuse('malformed', `transaction(s) ${bad.slice(0, 20).join(', ')}${bad.length > 20 ? ' …' : ''}: need amount and currency as strings and a creditParty [{key, value}] with one of ${Object.keys(GSMA_PARTY_KEYS).join(', ')}; nothing was accepted`, bad)
  const checked = checkBeneficiaries(rows)
  if (!checked.ok) return { ok: false, refusal: checked.refusal }
  const meta = { batchTitle: str(batch.batchTitle), batchDescription: str(batch.batchDescription) }
  return { ok: true, submission: { format: 'gsma', disbursementId, currency: checked.currency, beneficiaries: checked.beneficiaries, meta } }
}

function creditPartyOf(value: unknown): { idType: string; idValue: string } | undefined {
  if (!Array.isArray(value)) return undefined
  for (const entry of value) {
    if (!isObject(entry) || typeof entry.key !== 'string' || typeof entry.value !== 'string') return undefined
    const idType = GSMA_PARTY_KEYS[entry.key.toLowerCase()]
    if (idType) return { idType, idValue: entry.value }
  }
  return undefined
}
