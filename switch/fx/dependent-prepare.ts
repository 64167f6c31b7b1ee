// POST /transfers of a conversion's dependent transfer (FSPIOP v2.0, payer-side FX): the transfer whose
// id a RESERVED conversion of the same payer names as its determiningTransferId. It is reserved against
// the FXP's POSITION in the transfer's (target) currency, not the payer's, and keyed by the conversion's
// owner so that one consumer decides both (fx-position.ts). Found with one shared query per burst.
import type { Db } from '../../ledger/store/db.ts'
import { batchedLookup } from '../store/batched-lookup.ts'
import type { DirectoryParticipant, ParticipantDirectory } from '../fspiop/directory.ts'
import { prepareParties, type PrepareParties } from '../fspiop/prepare-parties.ts'
import { NO_ACCOUNT } from '../../ledger/store/transfers.ts'

export interface OpenConversion {
  commitRequestId: string
  initiatingFsp: string
  counterPartyFsp: string
  ownerAccountId: number
}

export interface Conversions {
  /** The RESERVED conversions naming this transfer as their determining transfer, oldest first. */
  determining(transferId: string): Promise<OpenConversion[]>
}

export function createConversions(db: Db): Conversions {
  const determining = batchedLookup<OpenConversion[]>(async (ids) => {
    const rows: { determining_transfer_id: string; commit_request_id: string; initiating_fsp: string; counter_party_fsp: string; owner_account_id: number }[] = await db('fx_transfer as f')
      .join('transfer as c', 'c.id', 'f.commit_request_id').whereIn('f.determining_transfer_id', ids).andWhere('c.state', 'RESERVED')
      .orderBy('f.created_at').select('f.determining_transfer_id', 'f.commit_request_id', 'f.initiating_fsp', 'f.counter_party_fsp', 'f.owner_account_id')
    const out = new Map<string, OpenConversion[]>()
    for (const r of rows) {
      const list = out.get(r.determining_transfer_id) ?? []
      list.push({ commitRequestId: r.commit_request_id, initiatingFsp: r.initiating_fsp, counterPartyFsp: r.counter_party_fsp, ownerAccountId: Number(r.owner_account_id) })
      out.set(r.determining_transfer_id, list)
    }
    return out
  })
  return { determining: async (id) => (await determining(id)) ?? [] }
}

export interface DependentPrepare {
  parties: PrepareParties
  conversion: { commitRequestId: string; ownerAccountId: number }
}

/** The accounts and conversion of a dependent transfer, or undefined for a transfer no open conversion of this payer names. */
export async function dependentPrepare(conversions: Conversions, directory: ParticipantDirectory, payer: DirectoryParticipant,
  body: { transferId: string; payeeFsp: string; amount: { currency: string } }): Promise<DependentPrepare | undefined> {
  const open = (await conversions.determining(body.transferId)).find((c) => c.initiatingFsp === payer.name)
  if (!open) return undefined
  const fxp = await directory.get(open.counterPartyFsp)
  const payee = await directory.get(body.payeeFsp)
  const parties: PrepareParties = fxp
    ? prepareParties(fxp, body.payeeFsp, payee, body.amount.currency)
    : { payerAccountId: NO_ACCOUNT, payeeAccountId: NO_ACCOUNT, payerSettlementAccountId: NO_ACCOUNT, refusal: `FXP ${open.counterPartyFsp} not found` }
  if (!payer.isActive) parties.refusal = `Participant ${payer.name} is inactive`
  return { parties, conversion: { commitRequestId: open.commitRequestId, ownerAccountId: open.ownerAccountId } }
}
