// A new transfer's ledger row made of its prepare, and the version its payer is answered in.
import { answerVersion, type PrepareMessage } from '../pipeline/messages.ts'
import { toDbDecimal } from '../../ledger/domain/money.ts'
import type { TransferRow } from '../../ledger/ledger-port.ts'
import type { FspiopVersion } from '../fspiop/headers.ts'

export function newTransferRow(m: PrepareMessage): TransferRow {
  const b = m.body
  return {
    id: b.transferId, payer_fsp: b.payerFsp, payee_fsp: b.payeeFsp, payer_account_id: m.payerAccountId, payee_account_id: m.payeeAccountId,
    amount: toDbDecimal(b.amount.amount), currency: b.amount.currency, ilp_condition: b.condition, ilp_packet: b.ilpPacket,
    expiration: new Date(b.expiration), state: 'RECEIVED', prepare_hash: m.hash, fulfil_hash: null, fulfilment: null, error_code: null,
    error_description: null, extension_list: b.extensionList ? JSON.stringify(b.extensionList) : null, settlement_window_id: null,
    completed_at: null, fspiop_version: m.version, payer_accept_version: answerVersion(m), payee_wants_patch: false,
  }
}

/** The version the payer asked for in Accept (transfers stored before it was kept: its Content-Type's). */
export function payerVersionOf(row: TransferRow): FspiopVersion {
  return (row.payer_accept_version ?? row.fspiop_version) as FspiopVersion
}
