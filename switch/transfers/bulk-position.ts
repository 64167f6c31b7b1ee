// Bulk transfers in the position batch: a bulk prepare is N prepares against the payer's position in one
// batch (each checked like a single prepare, the headroom shrinking with each; one refused item does not
// refuse the others), the accepted items forwarded to the payee as ONE POST /bulkTransfers. The payee's
// PUT /bulkTransfers/{id} is checked item by item (the fulfilment against the item's condition) and
// commits or releases each in the same batch. A bulk is COMPLETED once every item is final (committed,
// aborted, or expired by the timeout scan): its per-item result is stored and sent to the payer (unless
// the switch itself asked, BulkPayments), and to the payee if it was asked.
import { answerVersion, type Notification, type PrepareMessage } from '../pipeline/messages.ts'
import type { PipelineTx } from '../store/pipeline-store.ts'
import type { BulkTransferRow } from '../store/bulk.ts'
import type { TransferRow } from '../../ledger/ledger-port.ts'
import { isFinal, type TransferState } from '../../ledger/domain/transfer-state.ts'
import { fulfilmentMatches } from '../../ledger/domain/fulfilment.ts'
import { requestHash } from '../../ledger/domain/request-hash.ts'
import type { FspiopErrorCode } from '../fspiop/errors.ts'
import type { FspiopVersion } from '../fspiop/headers.ts'
import {
  bulkHubError, bulkStateCallback, forwardBulkPrepare,
  type BulkAnswerMessage, type BulkPositionMessage, type BulkPrepareMessage, type BulkTransferAnswerBody, type IndividualTransferResult,
} from './bulk-messages.ts'

/** Why a new transfer was not reserved: its code, the reason recorded and the detail the payer hears. */
export type ReserveRefusal = { code: FspiopErrorCode; description: string; detail?: string }

/** The accounts a bulk prepare reserves against, locked by the batch with the others. */
export interface BulkPrepareAccounts {
  payerAccountId: number
  payeeAccountId: number
  payerSettlementAccountId: number
  currency: string
}

/** What the bulk side uses of the position batch (position-handler.ts): the single transfers' own steps. */
export interface PositionBatchCore {
  readonly now: Date
  readonly deps: { hubName: string }
  readonly transfers: Map<string, TransferRow>
  reserveNew(m: PrepareMessage): ReserveRefusal | undefined
  commit(row: TransferRow, fulfilment: string, payeeWantsPatch: boolean): void
  release(row: TransferRow): void
  finish(row: TransferRow, state: TransferState, code: string | null, description: string | null): void
  notify(n: Notification): void
}

type Refused = { transferId: string; errorCode: string; errorDescription: string }

export class BulkPositions {
  private bulks = new Map<string, BulkTransferRow>()
  private itemBulk = new Map<string, string>()
  /** Items of a bulk answered by PUT /transfers/{id}: refused, a bulk's items are answered together. */
  private answeredAlone = new Set<string>()
  private readonly changed = new Map<string, BulkTransferRow>()
  private readonly newItems: { transfer_id: string; bulk_transfer_id: string }[] = []
  private readonly touched = new Set<string>()
  /** Bulks prepared in this batch: a bulk completed in the batch of its prepare never reached the payee. */
  private readonly preparedNow = new Set<string>()

  constructor(private readonly core: PositionBatchCore, private readonly pipeline: PipelineTx) {}

  /** Locks the bulks the batch touches (those of expiring items too) and says which transfers and accounts the batch must lock. */
  async load(messages: BulkPositionMessage[], expiringIds: string[], answeredIds: string[]): Promise<{ transferIds: string[]; prepares: BulkPrepareAccounts[]; commits: boolean }> {
    if (messages.length === 0 && expiringIds.length === 0 && answeredIds.length === 0) return { transferIds: [], prepares: [], commits: false }
    const membership = await this.pipeline.bulkIdsOfTransfers([...expiringIds, ...answeredIds])
    this.answeredAlone = new Set(answeredIds.filter((id) => membership.has(id)))
    this.itemBulk = new Map(expiringIds.flatMap((id) => { const bulk = membership.get(id); return bulk ? [[id, bulk] as const] : [] }))
    this.bulks = await this.pipeline.lockBulkTransfers([...new Set([...messages.map((m) => m.bulkTransferId), ...this.itemBulk.values()])])
    const transferIds: string[] = []
    for (const bulk of this.bulks.values()) {
      for (const id of itemsOf(bulk)) {
        this.itemBulk.set(id, bulk.id)
        transferIds.push(id)
      }
    }
    const prepares: BulkPrepareAccounts[] = []
    for (const m of messages) {
      if (m.kind !== 'bulk-prepare' || this.bulks.has(m.bulkTransferId)) continue
      transferIds.push(...m.body.individualTransfers.map((t) => t.transferId))
      const currency = m.body.individualTransfers[0]?.transferAmount.currency
      if (m.refusal === undefined && currency) prepares.push({ payerAccountId: m.payerAccountId, payeeAccountId: m.payeeAccountId, payerSettlementAccountId: m.payerSettlementAccountId, currency })
    }
    return { transferIds, prepares, commits: messages.some((m) => m.kind === 'bulk-fulfil') }
  }

  prepare(m: BulkPrepareMessage): void {
    const hub = this.core.deps.hubName
    const payer = m.body.payerFsp
    const payerVersion = answerVersion(m)
    const existing = this.bulks.get(m.bulkTransferId)
    if (existing) {
      // Mojaloop's duplicate rules: modified → 3106; same and final → the final state again; same in progress → ignored.
      if (existing.prepare_hash !== m.hash) this.tellPayer(existing.origin, bulkHubError(hub, payer, m.bulkTransferId, payerVersion, '3106'))
      else if (existing.state === 'COMPLETED' && existing.result) this.tellPayer(existing.origin, bulkStateCallback(hub, payer, existing.id, payerVersion, JSON.parse(existing.result) as BulkTransferAnswerBody, true))
      return
    }
    const refused: Refused[] = []
    const accepted = []
    for (const item of m.body.individualTransfers) {
      if (this.core.transfers.has(item.transferId)) {
        refused.push({ transferId: item.transferId, errorCode: '3100', errorDescription: 'Transfer ID already used' })
        continue
      }
      const single: PrepareMessage = {
        kind: 'prepare', transferId: item.transferId, version: m.version, acceptVersion: payerVersion, hash: requestHash(item),
        body: { transferId: item.transferId, payerFsp: payer, payeeFsp: m.body.payeeFsp, amount: item.transferAmount, ilpPacket: item.ilpPacket, condition: item.condition, expiration: m.body.expiration, ...(item.extensionList ? { extensionList: item.extensionList } : {}) },
        payerAccountId: m.payerAccountId, payeeAccountId: m.payeeAccountId, payerSettlementAccountId: m.payerSettlementAccountId, ...(m.refusal !== undefined ? { refusal: m.refusal } : {}),
      }
      this.itemBulk.set(item.transferId, m.bulkTransferId)
      this.newItems.push({ transfer_id: item.transferId, bulk_transfer_id: m.bulkTransferId })
      if (!this.core.reserveNew(single)) accepted.push(item)
    }
    const row: BulkTransferRow = {
      id: m.bulkTransferId, payer_fsp: payer, payee_fsp: m.body.payeeFsp, payer_account_id: m.payerAccountId, state: 'ACCEPTED', origin: m.origin,
      expiration: new Date(m.body.expiration), prepare_hash: m.hash, fulfil_hash: null, transfer_ids: JSON.stringify(m.body.individualTransfers.map((t) => t.transferId)),
      refused: JSON.stringify(refused), result: null, fspiop_version: m.version, payer_accept_version: payerVersion, completed_at: null,
    }
    this.bulks.set(row.id, row)
    this.changed.set(row.id, row)
    this.preparedNow.add(row.id)
    if (accepted.length === 0) {
      this.touched.add(row.id)
      return
    }
    // The payer's signature covers the body it sent: passed on only when every item goes on unchanged.
    const unchanged = m.origin === 'fspiop' && accepted.length === m.body.individualTransfers.length
    this.core.notify(forwardBulkPrepare({ ...m.body, individualTransfers: accepted }, m.version, payerVersion, unchanged ? m.passHeaders : undefined, !unchanged))
  }

  answer(m: BulkAnswerMessage): void {
    const hub = this.core.deps.hubName
    const bulk = this.bulks.get(m.bulkTransferId)
    if (!bulk) return this.core.notify(bulkHubError(hub, m.source, m.bulkTransferId, m.version, '3210'))
    if (m.source !== bulk.payee_fsp) return this.core.notify(bulkHubError(hub, m.source, bulk.id, m.version, '3100', 'FSPIOP-Source of a bulk fulfil must be the payee'))
    if (bulk.fulfil_hash || bulk.state === 'COMPLETED') {
      if (bulk.fulfil_hash && bulk.fulfil_hash !== m.hash) this.core.notify(bulkHubError(hub, m.source, bulk.id, m.version, '3106'))
      else if (bulk.state === 'COMPLETED' && bulk.result) this.core.notify(bulkStateCallback(hub, m.source, bulk.id, m.version, JSON.parse(bulk.result) as BulkTransferAnswerBody, true))
      return
    }
    bulk.fulfil_hash = m.hash
    this.changed.set(bulk.id, bulk)
    this.touched.add(bulk.id)
    const expired = this.core.now.getTime() > bulk.expiration.getTime()
    const results = new Map((m.kind === 'bulk-fulfil' ? m.body.individualTransferResults ?? [] : []).map((r) => [r.transferId, r]))
    for (const id of itemsOf(bulk)) {
      const row = this.core.transfers.get(id)
      if (row?.state !== 'RESERVED' || this.itemBulk.get(id) !== bulk.id) continue
      if (expired) { this.expireItem(row); continue }
      if (m.kind === 'bulk-error') { this.abort(row, m.body.errorInformation.errorCode, m.body.errorInformation.errorDescription); continue }
      const result = results.get(id)
      if (result?.errorInformation) this.abort(row, result.errorInformation.errorCode, result.errorInformation.errorDescription)
      else if (m.body.bulkTransferState === 'REJECTED') this.abort(row, '5104', 'Payee rejected transaction')
      else if (result?.fulfilment && fulfilmentMatches(result.fulfilment, row.ilp_condition)) this.core.commit(row, result.fulfilment, false)
      else {
        // central-ledger's validateFulfilment, per item: aborted, and the payee hears it with the result.
        this.abort(row, '3100', result ? 'invalid fulfilment' : 'missing from the payee\'s answer')
      }
    }
  }

  /** Whether this transfer is an item of a bulk (so a single fulfil of it is refused). */
  isAnsweredAlone(transferId: string): boolean {
    return this.answeredAlone.has(transferId)
  }

  /** An item of a bulk past its expiration: released and EXPIRED; its bulk is reported once every item is final. */
  expireItem(row: TransferRow): boolean {
    const bulkId = this.itemBulk.get(row.id)
    if (bulkId === undefined) return false
    this.core.release(row)
    this.core.finish(row, 'EXPIRED', '3303', 'Transfer expired')
    this.touched.add(bulkId)
    return true
  }

  /** Bulks whose items are all final: COMPLETED with their per-item result, stored and sent. */
  completeFinished(): void {
    const hub = this.core.deps.hubName
    for (const id of this.touched) {
      const bulk = this.bulks.get(id)
      if (!bulk || bulk.state === 'COMPLETED') continue
      const ids = itemsOf(bulk)
      if (!ids.every((t) => this.isSettledItem(t, bulk))) continue
      const refused = new Map((JSON.parse(bulk.refused) as Refused[]).map((r) => [r.transferId, r]))
      const result: BulkTransferAnswerBody = {
        bulkTransferState: 'COMPLETED', completedTimestamp: this.core.now.toISOString(),
        individualTransferResults: ids.map((t) => itemResult(t, refused.get(t), this.core.transfers.get(t))),
      }
      bulk.state = 'COMPLETED'
      bulk.result = JSON.stringify(result)
      bulk.completed_at = this.core.now
      this.changed.set(bulk.id, bulk)
      this.tellPayer(bulk.origin, bulkStateCallback(hub, bulk.payer_fsp, bulk.id, bulk.payer_accept_version as FspiopVersion, result, true))
      // The payee that was asked hears every item's outcome (the hub's own decisions too: expiries, refused fulfilments).
      if (!this.preparedNow.has(bulk.id)) this.core.notify(bulkStateCallback(hub, bulk.payee_fsp, bulk.id, bulk.fspiop_version as FspiopVersion, result, true))
    }
  }

  async write(): Promise<void> {
    if (this.changed.size > 0 || this.newItems.length > 0) await this.pipeline.saveBulkTransfers([...this.changed.values()], this.newItems)
  }

  private isSettledItem(transferId: string, bulk: BulkTransferRow): boolean {
    if (this.itemBulk.get(transferId) !== bulk.id) return true // refused before it became an item
    const row = this.core.transfers.get(transferId)
    return row !== undefined && isFinal(row.state)
  }

  private abort(row: TransferRow, code: string, description: string): void {
    this.core.release(row)
    this.core.finish(row, 'ABORTED', code.slice(0, 4), description)
  }

  /** A bulk the switch sent for the payer (BulkPayments) is answered in the database only. */
  private tellPayer(origin: BulkTransferRow['origin'], n: Notification): void {
    if (origin === 'fspiop') this.core.notify(n)
  }
}

function itemsOf(bulk: BulkTransferRow): string[] {
  return JSON.parse(bulk.transfer_ids) as string[]
}

function itemResult(transferId: string, refused: Refused | undefined, row: TransferRow | undefined): IndividualTransferResult {
  if (row?.state === 'COMMITTED' && row.fulfilment && !refused) return { transferId, fulfilment: row.fulfilment }
  const errorCode = refused?.errorCode ?? row?.error_code ?? '2001'
  const errorDescription = refused?.errorDescription ?? row?.error_description ?? 'Transfer not final'
  return { transferId, errorInformation: { errorCode, errorDescription } }
}
