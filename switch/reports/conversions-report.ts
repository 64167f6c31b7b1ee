// The conversions report: each currency conversion with both sides (what the initiating DFSP paid the
// FXP in the source currency, what the FXP paid out in the target currency through the dependent
// transfer), the rate it implies, its state and the settlement window it landed in. By window, or by
// the time it was requested.
import type { Db } from '../../ledger/store/db.ts'
import { Decimal, formatAmount } from '../../ledger/domain/money.ts'
import { fspiopTransferState } from '../../ledger/domain/transfer-state.ts'
import type { ReportRow } from './reports.ts'

/** Rows at most per report (the newest first). */
export const CONVERSION_ROWS_MAX = 10_000
const RATE_DECIMALS = 8

export interface ConversionFilter {
  window?: string
  from?: string
  to?: string
}

export async function conversionsReport(db: Db, filter: ConversionFilter): Promise<ReportRow[]> {
  let q = db('fx_transfer as f').join('transfer as c', 'c.id', 'f.commit_request_id')
  if (filter.window) q = q.where('c.settlement_window_id', filter.window)
  if (filter.from) q = q.where('f.created_at', '>=', new Date(filter.from))
  if (filter.to) q = q.where('f.created_at', '<', new Date(filter.to))
  const rows: { commit_request_id: string; determining_transfer_id: string; initiating_fsp: string; counter_party_fsp: string; source_amount: string; source_currency: string; target_amount: string; target_currency: string; state: string; error_code: string | null; settlement_window_id: string | null; created_at: Date; completed_at: Date | null }[] = await q
    .orderBy('f.created_at', 'desc').limit(CONVERSION_ROWS_MAX)
    .select('f.commit_request_id', 'f.determining_transfer_id', 'f.initiating_fsp', 'f.counter_party_fsp', 'f.source_amount', 'f.source_currency', 'f.target_amount', 'f.target_currency', 'c.state', 'c.error_code', 'c.settlement_window_id', 'f.created_at', 'c.completed_at')
  return rows.map((r) => ({
    commitRequestId: r.commit_request_id, determiningTransferId: r.determining_transfer_id, initiatingFsp: r.initiating_fsp, fxp: r.counter_party_fsp,
    sourceAmount: formatAmount(r.source_amount), sourceCurrency: r.source_currency, targetAmount: formatAmount(r.target_amount), targetCurrency: r.target_currency,
    rate: rateOf(r.source_amount, r.target_amount), state: fspiopTransferState(r.state as never), internalState: r.state, errorCode: r.error_code,
    settlementWindow: r.settlement_window_id === null ? null : Number(r.settlement_window_id), requestedAt: r.created_at.toISOString(), completedAt: r.completed_at?.toISOString() ?? null,
  }))
}

/** Target units per source unit, to 8 decimals (empty for a zero source). */
function rateOf(source: string, target: string): string {
  const s = new Decimal(source)
  return s.isZero() ? '' : new Decimal(target).div(s).toDecimalPlaces(RATE_DECIMALS).toString()
}
