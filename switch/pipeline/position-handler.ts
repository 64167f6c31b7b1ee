// The position handler: prepares, fulfils, rejects and expiries of transfers whose payer's POSITION
// account this consumer owns (messages are keyed by it). One DB transaction per batch: transfers and
// accounts locked once, every decision made in memory in message order (ledger/domain/position-batch.ts),
// one write per table, callbacks to the outbox.
import type { Knex } from 'knex'
import type { BatchHandler, Decoded } from './merged-transactions.ts'
import type { Notification, PositionTopicMessage, PrepareMessage, PositionMessage } from './messages.ts'
import { applyPositionBatch, type PositionAccount, type PositionOp } from '../../ledger/domain/position-batch.ts'
import { isFinal, type TransferState } from '../../ledger/domain/transfer-state.ts'
import { fulfilmentMatches } from '../../ledger/domain/fulfilment.ts'
import { fromUnits, toDbDecimal, toUnits } from '../../ledger/domain/money.ts'
import { addStateChanges, grossCurrencies, liquidityChecked, lockAccounts, lockTransfers, netDebitCaps, saveTransfers, settlementAccountIds, writeAccounts, type TransferRow } from '../../ledger/store/transfers.ts'
import { insertJournalRows, type JournalEntryInput } from '../../ledger/store/journal.ts'
import { lockOpenWindowId } from '../../ledger/store/settlement-windows.ts'
import type { OutboxMessage } from '../../ledger/store/outbox.ts'
import type { FspiopVersion } from '../fspiop/headers.ts'
import { asOutbox, errorCallback, forwardPrepare, hubError, patchPayee, stateCallback } from '../transfers/transfer-notifications.ts'

export interface PositionHandlerDeps {
  hubName: string
  topic: (name: string) => string
  now?: () => Date
}

export function positionHandler(deps: PositionHandlerDeps): BatchHandler<PositionTopicMessage> {
  return {
    apply: (trx, messages) => new PositionBatch(trx, deps).run(messages),
  }
}

class PositionBatch {
  private readonly now: Date
  private transfers = new Map<string, TransferRow>()
  private readonly changed = new Map<string, TransferRow>()
  private readonly stateChanges: { transfer_id: string; state: TransferState; reason: string | null }[] = []
  private readonly journal: JournalEntryInput[] = []
  private readonly notifications: Notification[] = []
  private accounts = new Map<number, PositionAccount>()
  private readonly initial = new Map<number, string>()
  private windowId: string | undefined
  private gross = new Set<string>()
  private settlementIds = new Map<string, number>()

  constructor(private readonly trx: Knex.Transaction, private readonly deps: PositionHandlerDeps) {
    this.now = deps.now?.() ?? new Date()
  }

  async run(messages: Decoded<PositionTopicMessage>[]): Promise<OutboxMessage[]> {
    await this.load(messages.map((m) => m.value))
    for (const { value: m } of messages) {
      if (m.kind === 'prepare') this.prepare(m)
      else if (m.kind === 'expire') this.expire(m.transferId)
      else this.fulfil(m)
    }
    await this.write()
    return this.notifications.map((n) => asOutbox(this.deps.topic, n))
  }

  private async load(messages: PositionTopicMessage[]): Promise<void> {
    this.transfers = await lockTransfers(this.trx, messages.map((m) => m.transferId))
    const positionIds = new Set<number>()
    const settlementOf = new Map<number, number>()
    const currencies = new Set<string>()
    for (const m of messages) {
      positionIds.add(m.payerAccountId)
      if (m.kind === 'prepare') {
        positionIds.add(m.payeeAccountId)
        settlementOf.set(m.payerAccountId, m.payerSettlementAccountId)
        currencies.add(m.body.amount.currency)
      } else {
        const row = this.transfers.get(m.transferId)
        if (row) positionIds.add(row.payee_account_id)
      }
    }
    // Immediate gross settlement: commits also move funds between the two settlement accounts.
    const commitRows = messages.filter((m) => m.kind === 'fulfil').map((m) => this.transfers.get(m.transferId)).filter((r): r is TransferRow => Boolean(r))
    this.gross = await grossCurrencies(this.trx, commitRows.map((r) => r.currency))
    const grossRows = commitRows.filter((r) => this.gross.has(r.currency))
    this.settlementIds = await settlementAccountIds(this.trx, grossRows.flatMap((r) => [{ name: r.payer_fsp, currency: r.currency }, { name: r.payee_fsp, currency: r.currency }]))
    // Everything that needs no account lock is read first: the accounts are locked last, and held only
    // while the batch decides and writes (other partitions' batches wait for the payees they credit).
    const ndcs = await netDebitCaps(this.trx, [...settlementOf.keys()])
    const checked = await liquidityChecked(this.trx, [...currencies])
    if (messages.some((m) => m.kind === 'fulfil')) this.windowId = await lockOpenWindowId(this.trx)
    const locked = await lockAccounts(this.trx, [...positionIds, ...settlementOf.values(), ...this.settlementIds.values()])
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
    if (existing) {
      if (existing.prepare_hash !== m.hash) this.notify(hubError(this.deps.hubName, payer, m.transferId, m.version, '3106', 'a transfer with this id and different content exists'))
      else if (isFinal(existing.state)) this.resendFinal(existing, payer)
      return // same prepare still in progress: its callback is coming
    }
    const row = newTransferRow(m)
    this.transfers.set(row.id, row)
    this.move(row, 'RECEIVED', null)
    if (row.expiration.getTime() <= this.now.getTime()) {
      this.finish(row, 'EXPIRED', '3303', 'Transfer expired before it could be reserved')
      this.notify(hubError(this.deps.hubName, payer, row.id, m.version, '3303', 'expired before it could be reserved'))
      return
    }
    const [result] = applyPositionBatch(this.accounts, [{ kind: 'reserve', payer: m.payerAccountId, amount: toUnits(row.amount) }])
    if (result!.ok) {
      this.move(row, 'RESERVED', null)
      this.notify(forwardPrepare(m.body, m.version, m.passHeaders))
    } else {
      this.finish(row, 'ABORTED', result!.code, result!.code === '4001' ? 'Payer FSP insufficient liquidity' : 'Payer limit error')
      this.notify(hubError(this.deps.hubName, payer, row.id, m.version, result!.code))
    }
  }

  private fulfil(m: Extract<PositionMessage, { kind: 'fulfil' | 'error' }>): void {
    const row = this.transfers.get(m.transferId)
    if (!row) return this.notify(hubError(this.deps.hubName, m.source, m.transferId, m.version, '3208'))
    if (m.source !== row.payee_fsp) return this.notify(hubError(this.deps.hubName, m.source, row.id, m.version, '3100', 'FSPIOP-Source of a fulfil must be the payee'))
    if (row.fulfil_hash) {
      if (row.fulfil_hash !== m.hash) this.notify(hubError(this.deps.hubName, m.source, row.id, m.version, '3106', 'a different fulfil for this transfer was received'))
      else if (isFinal(row.state)) this.resendFinal(row, m.source)
      return
    }
    if (row.state !== 'RESERVED') return this.resendFinal(row, m.source)
    row.fulfil_hash = m.hash
    if (this.now.getTime() > row.expiration.getTime()) return this.expireRow(row)
    const version = row.fspiop_version as FspiopVersion
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
      this.release(row)
      this.finish(row, 'ABORTED', '3100', 'Invalid fulfilment')
      for (const to of [row.payer_fsp, row.payee_fsp]) this.notify(hubError(this.deps.hubName, to, row.id, version, '3100', 'the fulfilment does not match the condition'))
      return
    }
    this.apply({ kind: 'commit', payer: row.payer_account_id, payee: row.payee_account_id, amount: toUnits(row.amount) })
    if (this.windowId === undefined) throw new Error(`position: no settlement window read for the commit of ${row.id}`)
    row.fulfilment = m.body.fulfilment
    row.settlement_window_id = this.windowId
    row.payee_wants_patch = m.body.transferState === 'RESERVED'
    this.finish(row, 'COMMITTED', null, null)
    this.journal.push({
      kind: 'TRANSFER_COMMIT', reference: row.id, currency: row.currency, settlementWindowId: this.windowId, createdBy: 'position-handler',
      lines: [{ accountId: row.payer_account_id, amount: row.amount }, { accountId: row.payee_account_id, amount: `-${row.amount}` }],
    })
    if (this.gross.has(row.currency)) this.settleGross(row)
    const completedTimestamp = row.completed_at!.toISOString()
    // A COMMITTED fulfil reaches the payer as the payee sent and signed it (as Mojaloop's ml-api-adapter
    // forwards it); a RESERVED one is answered COMMITTED in the switch's words, without the payee's signature.
    this.notify(m.body.transferState === 'COMMITTED'
      ? stateCallback(row.payee_fsp, row.payer_fsp, row.id, version, { ...m.body }, false, m.passHeaders)
      : stateCallback(row.payee_fsp, row.payer_fsp, row.id, version, { transferState: 'COMMITTED', fulfilment: row.fulfilment, completedTimestamp, ...(m.body.extensionList ? { extensionList: m.body.extensionList } : {}) }, false))
    if (row.payee_wants_patch) this.notify(patchPayee(this.deps.hubName, row.payee_fsp, row.id, version, 'COMMITTED', completedTimestamp))
  }

  /** Immediate gross: the payer's funds go to the payee at once and both positions are reset. */
  private settleGross(row: TransferRow): void {
    const amount = toUnits(row.amount)
    const payerSettlement = this.settlementIds.get(`${row.payer_fsp}:${row.currency}`)
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
    this.expireRow(row)
  }

  private expireRow(row: TransferRow): void {
    this.release(row)
    this.finish(row, 'EXPIRED', '3303', 'Transfer expired')
    const version = row.fspiop_version as FspiopVersion
    for (const to of [row.payer_fsp, row.payee_fsp]) this.notify(hubError(this.deps.hubName, to, row.id, version, '3303'))
  }

  private release(row: TransferRow): void {
    this.apply({ kind: 'release', payer: row.payer_account_id, amount: toUnits(row.amount) })
  }

  private apply(op: PositionOp): void {
    applyPositionBatch(this.accounts, [op])
  }

  private resendFinal(row: TransferRow, to: string): void {
    const version = row.fspiop_version as FspiopVersion
    if (row.state === 'COMMITTED') {
      this.notify(stateCallback(this.deps.hubName, to, row.id, version, { transferState: 'COMMITTED', fulfilment: row.fulfilment, completedTimestamp: row.completed_at?.toISOString() }, true))
    } else if (isFinal(row.state)) {
      this.notify(errorCallback(this.deps.hubName, to, row.id, version, { errorCode: row.error_code ?? '3100', errorDescription: row.error_description ?? row.state }, true))
    }
  }

  private move(row: TransferRow, state: TransferState, reason: string | null): void {
    row.state = state
    this.changed.set(row.id, row)
    this.stateChanges.push({ transfer_id: row.id, state, reason })
  }

  private finish(row: TransferRow, state: TransferState, code: string | null, description: string | null): void {
    row.error_code = code
    row.error_description = description?.slice(0, 128) ?? null
    row.completed_at = this.now
    this.move(row, state, description)
  }

  private notify(n: Notification): void {
    this.notifications.push(n)
  }

  private async write(): Promise<void> {
    await saveTransfers(this.trx, [...this.changed.values()])
    await addStateChanges(this.trx, this.stateChanges)
    await insertJournalRows(this.trx, this.journal)
    await writeAccounts(this.trx, [...this.accounts.values()].filter((a) => this.initial.get(a.id) !== `${a.value}/${a.reserved}`))
  }
}

function newTransferRow(m: PrepareMessage): TransferRow {
  const b = m.body
  return {
    id: b.transferId, payer_fsp: b.payerFsp, payee_fsp: b.payeeFsp, payer_account_id: m.payerAccountId, payee_account_id: m.payeeAccountId,
    amount: toDbDecimal(b.amount.amount), currency: b.amount.currency, ilp_condition: b.condition, ilp_packet: b.ilpPacket,
    expiration: new Date(b.expiration), state: 'RECEIVED', prepare_hash: m.hash, fulfil_hash: null, fulfilment: null, error_code: null,
    error_description: null, extension_list: b.extensionList ? JSON.stringify(b.extensionList) : null, settlement_window_id: null,
    completed_at: null, fspiop_version: m.version, payee_wants_patch: false,
  }
}
