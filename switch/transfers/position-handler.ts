// The position handler: prepares, fulfils, rejects and expiries of transfers whose payer's POSITION
// account this consumer owns (messages are keyed by it). One DB transaction per batch: transfers and
// accounts locked once, every decision made in memory in message order (ledger/domain/position-batch.ts),
// one write per table, callbacks to the outbox (each in the trace of the message that caused it). Once the
// batch is committed, its state changes are told to `stateChanged` (one log line and metrics each).
import type { Context } from '@opentelemetry/api'
import type { BatchHandler, Decoded } from '../pipeline/merged-transactions.ts'
import { answerVersion, type Notification, type PositionTopicMessage, type PrepareMessage, type PositionMessage } from '../pipeline/messages.ts'
import { applyPositionBatch, type PositionAccount, type PositionOp } from '../../ledger/domain/position-batch.ts'
import { isFinal, type TransferState } from '../../ledger/domain/transfer-state.ts'
import { fulfilmentMatches } from '../../ledger/domain/fulfilment.ts'
import { fromUnits, toUnits } from '../../ledger/domain/money.ts'
import type { JournalEntryInput, PositionLedgerTx, TransferRow } from '../../ledger/ledger-port.ts'
import type { OutboxMessage } from '../store/outbox.ts'
import type { FspiopVersion } from '../fspiop/headers.ts'
import { asOutbox, errorCallback, forwardPrepare, hubError, patchPayee, stateCallback } from './transfer-notifications.ts'
import { transferStateBody } from './transfer-state-body.ts'
import { newTransferRow, payerVersionOf } from './transfer-row.ts'
import { FspiopError } from '../fspiop/errors.ts'
import type { PipelineTx } from '../store/pipeline-store.ts'
import { BulkPositions, type BulkPrepareAccounts, type PositionBatchCore, type ReserveRefusal } from './bulk-position.ts'
import type { BulkPositionMessage } from './bulk-messages.ts'
import type { TransferStateChanged } from '../observability/transfer-state-log.ts'
import { FxPositions, type FxBatchCore, type FxNamingMessage } from '../fx/fx-position.ts'
import type { FxPositionMessage } from '../fx/fx-transfer-messages.ts'

/** What the position handler consumes: single transfers' messages, bulk transfers' and currency conversions'. */
export type PositionHandlerMessage = PositionTopicMessage | BulkPositionMessage | FxPositionMessage

export interface PositionHandlerDeps {
  hubName: string
  topic: (name: string) => string
  now?: () => Date
  /** Told a committed batch's transfer state changes, in order. */
  stateChanged?: (changes: readonly TransferStateChanged[]) => void
}

export function positionHandler(deps: PositionHandlerDeps): BatchHandler<PositionHandlerMessage> {
  return {
    async apply(uow, messages) {
      const batch = new PositionBatch(uow.ledger, uow.pipeline, deps)
      const out = await batch.run(messages)
      const told = deps.stateChanged
      if (told) uow.afterCommit?.(() => told(batch.changes()))
      return out
    },
  }
}

class PositionBatch implements PositionBatchCore, FxBatchCore {
  readonly now: Date
  transfers = new Map<string, TransferRow>()
  private readonly changed = new Map<string, TransferRow>()
  private readonly stateChanges: { transfer_id: string; state: TransferState; reason: string | null }[] = []
  private readonly journal: JournalEntryInput[] = []
  private readonly notifications: Notification[] = []
  /** The trace of the message each notification answers (index for index). */
  private readonly traces: (Context | undefined)[] = []
  private current: Context | undefined
  private accounts = new Map<number, PositionAccount>()
  private readonly initial = new Map<number, string>()
  private windowId: string | undefined
  private gross = new Set<string>()
  private settlementIds = new Map<string, number>()
  private readonly bulks: BulkPositions
  private readonly fx: FxPositions

  constructor(private readonly ledger: PositionLedgerTx, pipeline: PipelineTx, readonly deps: PositionHandlerDeps) {
    this.now = deps.now?.() ?? new Date()
    this.bulks = new BulkPositions(this, pipeline)
    this.fx = new FxPositions(this, pipeline)
  }

  async run(all: Decoded<PositionHandlerMessage>[]): Promise<OutboxMessage[]> {
    const values = all.map((m) => m.value)
    const singles = values.filter((m): m is PositionTopicMessage => !m.kind.startsWith('bulk-') && !m.kind.startsWith('fx-'))
    const bulk = values.filter((m): m is BulkPositionMessage => m.kind.startsWith('bulk-'))
    const fx = values.filter((m): m is FxPositionMessage => m.kind.startsWith('fx-'))
    const idsOf = (kinds: string[]) => singles.filter((m) => kinds.includes(m.kind)).map((m) => m.transferId)
    const load = await this.bulks.load(bulk, idsOf(['expire']), idsOf(['fulfil', 'error']))
    const naming = [...fx, ...singles.filter((m) => (m.kind === 'prepare' ? m.conversion : m.commitRequestId) !== undefined)] as FxNamingMessage[]
    const conversionIds = await this.fx.load(naming)
    await this.load(singles, { ...load, transferIds: [...load.transferIds, ...conversionIds] }, fx)
    for (const { value: m, trace } of all) {
      this.current = trace
      if (m.kind === 'prepare') this.prepare(m)
      else if (m.kind === 'expire') this.expire(m.transferId)
      else if (m.kind === 'bulk-prepare') this.bulks.prepare(m)
      else if (m.kind === 'bulk-fulfil' || m.kind === 'bulk-error') this.bulks.answer(m)
      else if (m.kind === 'fx-prepare') this.fx.prepare(m)
      else if (m.kind === 'fx-fulfil' || m.kind === 'fx-error') this.fx.answer(m)
      else this.fulfil(m)
    }
    this.bulks.completeFinished()
    await this.write()
    await this.bulks.write()
    await this.fx.write()
    return this.notifications.map((n, i) => ({ ...asOutbox(this.deps.topic, n), trace: this.traces[i] }))
  }

  changes(): TransferStateChanged[] {
    return this.stateChanges.map((c) => {
      const row = this.transfers.get(c.transfer_id)!
      return { transferId: c.transfer_id, state: c.state, final: isFinal(c.state), errorCode: isFinal(c.state) ? row.error_code : null, payerFsp: row.payer_fsp, payeeFsp: row.payee_fsp, currency: row.currency }
    })
  }

  private async load(messages: PositionTopicMessage[], bulk: { transferIds: string[]; prepares: BulkPrepareAccounts[]; commits: boolean }, fx: FxPositionMessage[]): Promise<void> {
    this.transfers = await this.ledger.lockTransfers([...messages.map((m) => m.transferId), ...bulk.transferIds])
    const positionIds = new Set<number>()
    const settlementOf = new Map<number, number>()
    const currencies = new Set<string>()
    // Only what can move money locks accounts: a prepare not refused, a fulfil or expiry of a RESERVED
    // transfer (a refused transfer names accounts the ledger may not hold).
    for (const m of messages) {
      if (m.kind === 'prepare') {
        if (m.refusal !== undefined) continue
        positionIds.add(m.payerAccountId)
        positionIds.add(m.payeeAccountId)
        settlementOf.set(m.payerAccountId, m.payerSettlementAccountId)
        currencies.add(m.body.amount.currency)
      } else {
        const row = this.transfers.get(m.transferId)
        if (row?.state === 'RESERVED') positionIds.add(row.payer_account_id).add(row.payee_account_id)
      }
    }
    for (const m of fx) {
      if (m.kind !== 'fx-prepare' || m.refusal !== undefined) continue
      positionIds.add(m.payerAccountId).add(m.payeeAccountId)
      settlementOf.set(m.payerAccountId, m.payerSettlementAccountId)
      currencies.add(m.body.sourceAmount.currency)
    }
    for (const id of this.fx.accountsToLock()) positionIds.add(id)
    for (const p of bulk.prepares) {
      positionIds.add(p.payerAccountId).add(p.payeeAccountId)
      settlementOf.set(p.payerAccountId, p.payerSettlementAccountId)
      currencies.add(p.currency)
    }
    const bulkItems = bulk.transferIds.map((id) => this.transfers.get(id)).filter((r): r is TransferRow => r?.state === 'RESERVED')
    for (const row of bulkItems) positionIds.add(row.payer_account_id).add(row.payee_account_id)
    // Immediate gross settlement: commits also move funds between the two settlement accounts.
    const commitRows = messages.filter((m) => m.kind === 'fulfil').map((m) => this.transfers.get(m.transferId)).filter((r): r is TransferRow => Boolean(r))
    if (bulk.commits) commitRows.push(...bulkItems)
    if (commitRows.length > 0) commitRows.push(...this.fx.reservedConversions())
    this.gross = await this.ledger.grossCurrencies(commitRows.map((r) => r.currency))
    const grossRows = commitRows.filter((r) => this.gross.has(r.currency))
    this.settlementIds = await this.ledger.settlementAccountIds(grossRows.flatMap((r) => [{ name: this.fx.payerParticipant(r), currency: r.currency }, { name: r.payee_fsp, currency: r.currency }]))
    // Everything that needs no account lock is read first: the accounts are locked last, and held only
    // while the batch decides and writes (other partitions' batches wait for the payees they credit).
    const ndcs = await this.ledger.netDebitCaps([...settlementOf.keys()])
    const checked = await this.ledger.liquidityChecked([...currencies])
    if (bulk.commits || messages.some((m) => m.kind === 'fulfil')) this.windowId = await this.ledger.lockOpenWindowId()
    const locked = await this.ledger.lockAccounts([...positionIds, ...settlementOf.values(), ...this.settlementIds.values()])
    for (const id of positionIds) {
      const a = locked.get(id)
      if (!a) throw new Error(`position: account ${id} does not exist`)
      const settlement = locked.get(settlementOf.get(id) ?? -1)
      const liquidity = settlement && checked.get(a.currency) ? -(settlement.value + settlement.reserved) : undefined
      this.accounts.set(id, { id, value: a.value, reserved: a.reserved, ndc: ndcs.get(id), liquidity })
      this.initial.set(id, `${a.value}/${a.reserved}`)
    }
    for (const id of this.settlementIds.values()) {
      const a = locked.get(id)!
      this.accounts.set(id, { id, value: a.value, reserved: a.reserved, ndc: undefined, liquidity: undefined })
      this.initial.set(id, `${a.value}/${a.reserved}`)
    }
  }

  private prepare(m: PrepareMessage): void {
    const existing = this.transfers.get(m.transferId)
    const payer = m.body.payerFsp
    const payerVersion = answerVersion(m)
    if (existing) {
      if (existing.prepare_hash !== m.hash) this.notify(hubError(this.deps.hubName, payer, m.transferId, payerVersion, '3106'))
      else if (isFinal(existing.state)) this.resendFinal(existing, payer, payerVersion)
      return // same prepare still in progress: its callback is coming
    }
    const refusal = this.reserveNew(m.conversion ? this.fx.checkDependent({ ...m, conversion: m.conversion }) : m)
    if (refusal) return this.notify(hubError(this.deps.hubName, payer, m.transferId, payerVersion, refusal.code, refusal.detail))
    if (m.conversion) this.fx.linked(m.transferId)
    this.notify(forwardPrepare(m.body, m.version, payerVersion, m.passHeaders))
  }

  /** A new transfer recorded and, unless refused, RESERVED against the payer's headroom (which shrinks with it). */
  reserveNew(m: PrepareMessage): ReserveRefusal | undefined {
    const row = newTransferRow(m)
    this.transfers.set(row.id, row)
    this.move(row, 'RECEIVED', null)
    if (m.refusal !== undefined) {
      const error = new FspiopError('3100', m.refusal)
      this.finish(row, 'ABORTED', error.code, error.description)
      return { code: '3100', description: error.description, detail: m.refusal }
    }
    if (row.expiration.getTime() <= this.now.getTime()) {
      this.finish(row, 'EXPIRED', '3303', 'Transfer expired before it could be reserved')
      return { code: '3303', description: 'Transfer expired before it could be reserved', detail: 'expired before it could be reserved' }
    }
    const [result] = applyPositionBatch(this.accounts, [{ kind: 'reserve', payer: m.payerAccountId, amount: toUnits(row.amount) }])
    if (result!.ok) {
      this.move(row, 'RESERVED', null)
      return undefined
    }
    const description = result!.code === '4001' ? 'Payer FSP insufficient liquidity' : 'Payer limit error'
    this.finish(row, 'ABORTED', result!.code, description)
    return { code: result!.code, description }
  }

  private fulfil(m: Extract<PositionMessage, { kind: 'fulfil' | 'error' }>): void {
    // central-ledger fails silently on RESERVED from a v1.0 client (no PATCH in v1.0): the transfer
    // stays RESERVED until it expires.
    if (m.kind === 'fulfil' && m.body.transferState === 'RESERVED' && m.version === '1.0') return
    const row = this.transfers.get(m.transferId)
    if (!row) return this.notify(hubError(this.deps.hubName, m.source, m.transferId, m.version, '3208'))
    if (this.bulks.isAnsweredAlone(row.id)) return this.notify(hubError(this.deps.hubName, m.source, row.id, m.version, '3100', 'a transfer of a bulk is answered with PUT /bulkTransfers/{ID}'))
    if (m.source !== row.payee_fsp) return this.notify(hubError(this.deps.hubName, m.source, row.id, m.version, '3100', 'FSPIOP-Source of a fulfil must be the payee'))
    if (row.fulfil_hash) {
      if (row.fulfil_hash !== m.hash) this.notify(hubError(this.deps.hubName, m.source, row.id, m.version, '3106'))
      else if (isFinal(row.state)) this.resendFinal(row, m.source, m.version)
      return
    }
    if (row.state !== 'RESERVED') return this.refuseNotReserved(row, m.source, m.version)
    row.fulfil_hash = m.hash
    if (this.now.getTime() > row.expiration.getTime()) return this.expireRow(row, m.version)
    // Mojaloop passes the payee's answer on with the payee's own headers, so its Content-Type too; the
    // hub's own callbacks go to the payer in its Accept version and to the payee in the payee's version.
    const version = m.version
    if (m.kind === 'error' || m.body.transferState === 'ABORTED') {
      this.release(row)
      const info = m.kind === 'error' ? m.body.errorInformation : { errorCode: '5104', errorDescription: 'Payee rejected transaction' }
      this.finish(row, 'ABORTED', info.errorCode.slice(0, 4), info.errorDescription)
      this.notify(m.kind === 'error'
        ? errorCallback(row.payee_fsp, row.payer_fsp, row.id, version, info, false, m.passHeaders)
        : stateCallback(row.payee_fsp, row.payer_fsp, row.id, version, { ...m.body, completedTimestamp: this.now.toISOString() }, false))
      return
    }
    if (!m.body.fulfilment || !fulfilmentMatches(m.body.fulfilment, row.ilp_condition)) {
      // central-ledger's FulfilService.validateFulfilment: aborted, both sides told.
      const error = new FspiopError('3100', m.body.fulfilment ? 'invalid fulfilment' : 'missing fulfilment')
      this.release(row)
      this.finish(row, 'ABORTED', error.code, error.description)
      this.notify(hubError(this.deps.hubName, row.payer_fsp, row.id, payerVersionOf(row), error.code, error.detail))
      this.notify(hubError(this.deps.hubName, row.payee_fsp, row.id, version, error.code, error.detail))
      return
    }
    this.commit(row, m.body.fulfilment, m.body.transferState === 'RESERVED')
    const completedTimestamp = row.completed_at!.toISOString()
    // A COMMITTED answer reaches the payer as the payee sent it, signature included (Mojaloop forwards the
    // original payload and headers); a RESERVED one is answered COMMITTED, so the hub rewrites it.
    this.notify(m.body.transferState === 'COMMITTED'
      ? stateCallback(row.payee_fsp, row.payer_fsp, row.id, version, m.body, false, m.passHeaders)
      : stateCallback(row.payee_fsp, row.payer_fsp, row.id, version, { transferState: 'COMMITTED', fulfilment: row.fulfilment, completedTimestamp, ...(m.body.extensionList ? { extensionList: m.body.extensionList } : {}) }, false))
    if (row.payee_wants_patch) this.notify(patchPayee(this.deps.hubName, row.payee_fsp, row.id, version, 'COMMITTED', completedTimestamp))
  }

  /** A RESERVED transfer whose fulfilment matched: committed, journaled, settled at once where gross. */
  commit(row: TransferRow, fulfilment: string, payeeWantsPatch: boolean): void {
    this.apply({ kind: 'commit', payer: row.payer_account_id, payee: row.payee_account_id, amount: toUnits(row.amount) })
    if (this.windowId === undefined) throw new Error(`position: no settlement window read for the commit of ${row.id}`)
    row.fulfilment = fulfilment
    row.settlement_window_id = this.windowId
    row.payee_wants_patch = payeeWantsPatch
    this.finish(row, 'COMMITTED', null, null)
    this.journal.push({
      kind: 'TRANSFER_COMMIT', reference: row.id, currency: row.currency, settlementWindowId: this.windowId, createdBy: 'position-handler',
      lines: [{ accountId: row.payer_account_id, amount: row.amount }, { accountId: row.payee_account_id, amount: `-${row.amount}` }],
    })
    if (this.gross.has(row.currency)) this.settleGross(row)
  }

  /** Immediate gross: the payer's funds go to the payee at once and both positions are reset. */
  private settleGross(row: TransferRow): void {
    const amount = toUnits(row.amount)
    const payerSettlement = this.settlementIds.get(`${this.fx.payerParticipant(row)}:${row.currency}`)
    const payeeSettlement = this.settlementIds.get(`${row.payee_fsp}:${row.currency}`)
    if (payerSettlement === undefined || payeeSettlement === undefined) throw new Error(`position: no SETTLEMENT accounts for gross transfer ${row.id}`)
    const lines = [
      { accountId: row.payer_account_id, amount: -amount }, { accountId: row.payee_account_id, amount },
      { accountId: payerSettlement, amount }, { accountId: payeeSettlement, amount: -amount },
    ]
    for (const line of lines) this.accounts.get(line.accountId)!.value += line.amount
    const payer = this.accounts.get(row.payer_account_id)!
    const payee = this.accounts.get(row.payee_account_id)!
    if (payer.liquidity !== undefined) payer.liquidity -= amount
    if (payee.liquidity !== undefined) payee.liquidity += amount
    this.journal.push({
      kind: 'GROSS_SETTLEMENT', reference: row.id, currency: row.currency, settlementWindowId: this.windowId, createdBy: 'position-handler',
      lines: lines.map((l) => ({ accountId: l.accountId, amount: fromUnits(l.amount) })),
    })
  }

  private expire(transferId: string): void {
    const row = this.transfers.get(transferId)
    if (!row || row.state !== 'RESERVED' || row.expiration.getTime() > this.now.getTime()) return
    if (this.bulks.expireItem(row)) return
    if (this.fx.isConversion(row.id)) return this.fx.expire(row)
    this.expireRow(row, row.fspiop_version as FspiopVersion)
  }

  /** The payer hears in its Accept version; the payee in `payeeVersion` (its own answer's, or the prepare's). */
  private expireRow(row: TransferRow, payeeVersion: FspiopVersion): void {
    this.release(row)
    this.finish(row, 'EXPIRED', '3303', 'Transfer expired')
    this.notify(hubError(this.deps.hubName, row.payer_fsp, row.id, payerVersionOf(row), '3303'))
    this.notify(hubError(this.deps.hubName, row.payee_fsp, row.id, payeeVersion, '3303'))
  }

  release(row: TransferRow): void {
    this.apply({ kind: 'release', payer: row.payer_account_id, amount: toUnits(row.amount) })
  }

  private apply(op: PositionOp): void {
    applyPositionBatch(this.accounts, [op])
  }

  /** A duplicate of a request whose transfer is final: its state, as for a GET (central-ledger's *_DUPLICATE),
   *  in the version the sender asked for. */
  private resendFinal(row: TransferRow, to: string, version: FspiopVersion): void {
    this.notify(stateCallback(this.deps.hubName, to, row.id, version, transferStateBody(row), true))
  }

  /** A first fulfil of a transfer no longer RESERVED: the error that ended it (3303 for an expired one). */
  private refuseNotReserved(row: TransferRow, to: string, version: FspiopVersion): void {
    if (!isFinal(row.state)) return
    this.notify(errorCallback(this.deps.hubName, to, row.id, version, { errorCode: row.error_code ?? '3100', errorDescription: row.error_description ?? row.state }, true))
  }

  private move(row: TransferRow, state: TransferState, reason: string | null): void {
    row.state = state
    this.changed.set(row.id, row)
    this.stateChanges.push({ transfer_id: row.id, state, reason })
  }

  finish(row: TransferRow, state: TransferState, code: string | null, description: string | null): void {
    row.error_code = code
    row.error_description = description?.slice(0, 128) ?? null
    row.completed_at = this.now
    this.move(row, state, description)
    this.fx.finished(row, state, code, description)
  }

  touch(row: TransferRow): void {
    this.changed.set(row.id, row)
  }

  notify(n: Notification): void {
    this.notifications.push(n)
    this.traces.push(this.current)
  }

  private async write(): Promise<void> {
    await this.ledger.saveTransfers([...this.changed.values()])
    await this.ledger.addStateChanges(this.stateChanges)
    await this.ledger.insertJournalRows(this.journal)
    await this.ledger.writeAccounts([...this.accounts.values()].filter((a) => this.initial.get(a.id) !== `${a.value}/${a.reserved}`))
  }
}
