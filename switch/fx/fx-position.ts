// Currency conversions in the position batch (payer-side FX, FSPIOP v2.0). A conversion is a transfer
// row of the initiating DFSP to the FXP in the source currency, reserved against the DFSP's headroom
// like any prepare. The FXP's PUT /fxTransfers confirms it (its fulfilment is checked and kept; the
// reservation stays). The dependent transfer (transferId = determiningTransferId) is then reserved
// against the FXP's POSITION in the target currency, and from then on the two live and die together:
// the payee's fulfil commits both, any abort or expiry of the dependent releases both. Every message of
// both is keyed by the conversion's owner (the DFSP's source POSITION account), so one consumer decides
// them in one batch; the accounts of the FXP and the payee are locked with the batch's others.
import { answerVersion, type PrepareMessage } from '../pipeline/messages.ts'
import type { PipelineTx } from '../store/pipeline-store.ts'
import type { FxTransferRow } from '../store/fx-transfers.ts'
import type { TransferRow } from '../../ledger/ledger-port.ts'
import { isFinal, type TransferState } from '../../ledger/domain/transfer-state.ts'
import { fulfilmentMatches } from '../../ledger/domain/fulfilment.ts'
import { Decimal, toDbDecimal } from '../../ledger/domain/money.ts'
import type { FspiopErrorCode } from '../fspiop/errors.ts'
import type { FspiopVersion } from '../fspiop/headers.ts'
import type { Notification } from '../pipeline/messages.ts'
import type { FxAnswerMessage, FxPositionMessage, FxPrepareMessage } from './fx-transfer-messages.ts'
import { forwardFxPrepare, fxErrorCallback, fxStateBody, fxStateCallback, hubFxError, patchFxp } from './fx-transfer-notifications.ts'

/** What the FX side uses of the position batch (switch/transfers/position-handler.ts): the single transfers' own steps. */
export interface FxBatchCore {
  readonly now: Date
  readonly deps: { hubName: string }
  readonly transfers: Map<string, TransferRow>
  reserveNew(m: PrepareMessage): { code: FspiopErrorCode; description: string; detail?: string } | undefined
  commit(row: TransferRow, fulfilment: string, payeeWantsPatch: boolean): void
  release(row: TransferRow): void
  finish(row: TransferRow, state: TransferState, code: string | null, description: string | null): void
  notify(n: Notification): void
  /** Marks a row changed without a state change (a conversion's fulfilment kept). */
  touch(row: TransferRow): void
}

/** A message of the batch that names a conversion. */
export type FxNamingMessage = FxPositionMessage | (PrepareMessage & { conversion: { commitRequestId: string } }) | { kind: 'fulfil' | 'error' | 'expire'; transferId: string; commitRequestId?: string }

const V2: FspiopVersion = '2.0'

export class FxPositions {
  private rows = new Map<string, FxTransferRow>()
  private readonly changed = new Map<string, FxTransferRow>()
  /** Dependent transfer id → its conversion's id, for the dependents of this batch. */
  private readonly dependents = new Map<string, string>()
  /** Conversions of each determining transfer, for the duplicate rule of new ones. */
  private byDetermining = new Map<string, FxTransferRow[]>()

  constructor(private readonly core: FxBatchCore, private readonly pipeline: PipelineTx) {}

  /** Reads the conversions the batch names and says which transfers (the conversions' rows) it must lock. */
  async load(messages: readonly FxNamingMessage[]): Promise<string[]> {
    const ids = new Set<string>()
    const determining: string[] = []
    for (const m of messages) {
      if (m.kind === 'fx-prepare') {
        ids.add(m.commitRequestId)
        if (m.body.determiningTransferId) determining.push(m.body.determiningTransferId)
      } else if (m.kind === 'fx-fulfil' || m.kind === 'fx-error') ids.add(m.commitRequestId)
      else if (m.kind === 'prepare') ids.add(m.conversion.commitRequestId)
      else if (m.commitRequestId) ids.add(m.commitRequestId)
    }
    if (ids.size === 0) return []
    this.rows = await this.pipeline.fxTransfersById([...ids])
    for (const row of await this.pipeline.fxTransfersByDetermining(determining)) {
      this.byDetermining.set(row.determining_transfer_id, [...(this.byDetermining.get(row.determining_transfer_id) ?? []), row])
      ids.add(row.commit_request_id)
    }
    for (const m of messages) {
      if (m.kind !== 'fulfil' && m.kind !== 'error' && m.kind !== 'expire') continue
      const fx = m.commitRequestId ? this.rows.get(m.commitRequestId) : undefined
      if (fx?.dependent_linked && fx.determining_transfer_id === m.transferId) this.dependents.set(m.transferId, fx.commit_request_id)
    }
    return [...ids]
  }

  /** Conversions whose accounts the batch must lock: those still RESERVED that a message may end. */
  accountsToLock(): number[] {
    const out: number[] = []
    for (const id of this.rows.keys()) {
      const row = this.core.transfers.get(id)
      if (row?.state === 'RESERVED') out.push(row.payer_account_id, row.payee_account_id)
    }
    return out
  }

  /** The RESERVED conversions of the batch (they may commit with a dependent: immediate gross needs their settlement accounts). */
  reservedConversions(): TransferRow[] {
    return [...this.rows.keys()].map((id) => this.core.transfers.get(id)).filter((r): r is TransferRow => r?.state === 'RESERVED')
  }

  isConversion(transferId: string): boolean {
    return this.rows.has(transferId)
  }

  /** The participant whose position a transfer reserved against: the FXP for a dependent transfer. */
  payerParticipant(row: TransferRow): string {
    const fx = this.rows.get(this.dependents.get(row.id) ?? '')
    return fx ? fx.counter_party_fsp : row.payer_fsp
  }

  /** POST /fxTransfers: duplicates as for transfers; otherwise a new conversion reserved against the DFSP's source headroom. */
  prepare(m: FxPrepareMessage): void {
    const hub = this.core.deps.hubName
    const to = m.body.initiatingFsp
    const version = answerVersion(m)
    const existing = this.core.transfers.get(m.commitRequestId)
    if (existing) {
      if (existing.prepare_hash !== m.hash || !this.rows.has(existing.id)) this.core.notify(hubFxError(hub, to, m.commitRequestId, version, '3106'))
      else if (isFinal(existing.state)) this.core.notify(fxStateCallback(hub, to, existing.id, version, fxStateBody(existing), true))
      return
    }
    const b = m.body
    const refusal = m.refusal ?? this.refusalOf(m)
    const single: PrepareMessage = {
      kind: 'prepare', transferId: b.commitRequestId, version: m.version, acceptVersion: version, hash: m.hash,
      body: { transferId: b.commitRequestId, payerFsp: b.initiatingFsp, payeeFsp: b.counterPartyFsp, amount: b.sourceAmount, ilpPacket: '', condition: b.condition, expiration: b.expiration ?? this.core.now.toISOString(), ...(b.extensionList ? { extensionList: b.extensionList } : {}) },
      payerAccountId: m.payerAccountId, payeeAccountId: m.payeeAccountId, payerSettlementAccountId: m.payerSettlementAccountId, ...(refusal !== undefined ? { refusal } : {}),
    }
    const row: FxTransferRow = {
      commit_request_id: b.commitRequestId, determining_transfer_id: b.determiningTransferId ?? '', initiating_fsp: b.initiatingFsp, counter_party_fsp: b.counterPartyFsp,
      owner_account_id: m.payerAccountId, source_amount: toDbDecimal(b.sourceAmount.amount), source_currency: b.sourceAmount.currency,
      target_amount: toDbDecimal(b.targetAmount.amount), target_currency: b.targetAmount.currency, dependent_linked: false, fxp_version: null,
    }
    this.rows.set(row.commit_request_id, row)
    this.changed.set(row.commit_request_id, row)
    if (b.determiningTransferId) this.byDetermining.set(b.determiningTransferId, [...(this.byDetermining.get(b.determiningTransferId) ?? []), row])
    const refused = this.core.reserveNew(single)
    if (refused) this.core.notify(hubFxError(hub, to, b.commitRequestId, version, refused.code, refused.detail ?? refused.description))
    else this.core.notify(forwardFxPrepare(b, m.version, version, m.passHeaders))
  }

  /** What the scheme refuses in a conversion request that the API definition allows. */
  private refusalOf(m: FxPrepareMessage): string | undefined {
    const b = m.body
    if (!b.determiningTransferId) return 'determiningTransferId is required: conversions are for a transfer (payer-side FX)'
    if (!b.expiration) return 'expiration is required'
    if (b.sourceAmount.currency === b.targetAmount.currency) return 'source and target currencies are the same'
    const open = (this.byDetermining.get(b.determiningTransferId) ?? []).filter((r) => r.owner_account_id === m.payerAccountId && !isFinal(this.core.transfers.get(r.commit_request_id)?.state ?? 'ABORTED'))
    if (open.length > 0) return `conversion ${open[0]!.commit_request_id} for transfer ${b.determiningTransferId} is still in progress`
    return undefined
  }

  /** PUT /fxTransfers/{id} or its /error from the FXP. */
  answer(m: FxAnswerMessage): void {
    const hub = this.core.deps.hubName
    const row = this.core.transfers.get(m.commitRequestId)
    const fx = this.rows.get(m.commitRequestId)
    if (!row || !fx) return this.core.notify(hubFxError(hub, m.source, m.commitRequestId, m.version, '3208', 'Provided Commit Request ID was not found on the server.'))
    if (m.source !== fx.counter_party_fsp) return this.core.notify(hubFxError(hub, m.source, row.id, m.version, '3100', 'FSPIOP-Source of a conversion answer must be the FXP'))
    if (row.fulfil_hash) {
      if (row.fulfil_hash !== m.hash) this.core.notify(hubFxError(hub, m.source, row.id, m.version, '3106'))
      else if (isFinal(row.state)) this.core.notify(fxStateCallback(hub, m.source, row.id, m.version, fxStateBody(row), true))
      return
    }
    if (row.state !== 'RESERVED') {
      if (isFinal(row.state)) this.core.notify(fxErrorCallback(hub, m.source, row.id, m.version, { errorCode: row.error_code ?? '3100', errorDescription: row.error_description ?? row.state }, true))
      return
    }
    row.fulfil_hash = m.hash
    fx.fxp_version = m.version
    this.changed.set(fx.commit_request_id, fx)
    this.core.touch(row)
    if (this.core.now.getTime() > row.expiration.getTime()) return this.expireConversion(row, fx)
    const initiating = fx.initiating_fsp
    if (m.kind === 'fx-error' || m.body.conversionState === 'ABORTED') {
      const info = m.kind === 'fx-error' ? m.body.errorInformation : { errorCode: '5104', errorDescription: 'FXP rejected the conversion' }
      this.core.release(row)
      this.core.finish(row, 'ABORTED', info.errorCode.slice(0, 4), info.errorDescription)
      this.core.notify(m.kind === 'fx-error'
        ? fxErrorCallback(fx.counter_party_fsp, initiating, row.id, m.version, info, false, m.passHeaders)
        : fxStateCallback(fx.counter_party_fsp, initiating, row.id, m.version, { ...m.body, completedTimestamp: this.core.now.toISOString() }, false, m.passHeaders))
      return
    }
    if (m.body.conversionState === 'RECEIVED' || !m.body.fulfilment || !fulfilmentMatches(m.body.fulfilment, row.ilp_condition)) {
      const detail = m.body.conversionState === 'RECEIVED' ? 'an FXP answers RESERVED, COMMITTED or ABORTED' : m.body.fulfilment ? 'invalid fulfilment' : 'missing fulfilment'
      this.core.release(row)
      this.core.finish(row, 'ABORTED', '3100', detail)
      this.core.notify(hubFxError(hub, initiating, row.id, (row.payer_accept_version ?? V2) as FspiopVersion, '3100', detail))
      this.core.notify(hubFxError(hub, fx.counter_party_fsp, row.id, m.version, '3100', detail))
      return
    }
    // Confirmed: the terms are locked in and the fulfilment kept; the money moves with the dependent transfer.
    row.fulfilment = m.body.fulfilment
    this.core.notify(fxStateCallback(fx.counter_party_fsp, initiating, row.id, m.version, m.body, false, m.passHeaders))
  }

  /** The dependent transfer's prepare, before it is reserved: the reason it is refused, if any. A refused
   *  dependent also ends its conversion (finished() releases it): the determining id is spent. */
  checkDependent(m: PrepareMessage & { conversion: { commitRequestId: string } }): PrepareMessage {
    const fx = this.rows.get(m.conversion.commitRequestId)
    const conversion = this.core.transfers.get(m.conversion.commitRequestId)
    if (!fx || !conversion || fx.determining_transfer_id !== m.transferId) return { ...m, refusal: m.refusal ?? `no conversion ${m.conversion.commitRequestId} for this transfer` }
    if (conversion.state !== 'RESERVED') return { ...m, refusal: m.refusal ?? `conversion ${conversion.id} is ${conversion.state}` }
    if (fx.dependent_linked) return { ...m, refusal: m.refusal ?? `conversion ${conversion.id} already has a dependent transfer` }
    this.dependents.set(m.transferId, conversion.id)
    if (m.refusal !== undefined) return m
    if (fx.initiating_fsp !== m.body.payerFsp) return { ...m, refusal: `conversion ${conversion.id} was requested by ${fx.initiating_fsp}` }
    if (!conversion.fulfilment) return { ...m, refusal: `conversion ${conversion.id} has not been confirmed by the FXP` }
    if (m.body.amount.currency !== fx.target_currency || !new Decimal(m.body.amount.amount).eq(fx.target_amount)) {
      return { ...m, refusal: `transfer amount ${m.body.amount.amount} ${m.body.amount.currency} is not the conversion's target amount ${new Decimal(fx.target_amount).toString()} ${fx.target_currency}` }
    }
    if (conversion.expiration.getTime() <= this.core.now.getTime()) return { ...m, refusal: `conversion ${conversion.id} has expired` }
    return m
  }

  /** The dependent transfer was reserved: from now on the conversion lives and dies with it. */
  linked(transferId: string): void {
    const fx = this.rows.get(this.dependents.get(transferId) ?? '')
    if (!fx) return
    fx.dependent_linked = true
    this.changed.set(fx.commit_request_id, fx)
  }

  /** A dependent transfer became final: its conversion commits with it or is released. */
  finished(row: TransferRow, state: TransferState, code: string | null, description: string | null): void {
    const id = this.dependents.get(row.id)
    const conversion = id ? this.core.transfers.get(id) : undefined
    const fx = id ? this.rows.get(id) : undefined
    if (!conversion || !fx || conversion.state !== 'RESERVED') return
    const version = (fx.fxp_version ?? V2) as FspiopVersion
    const hub = this.core.deps.hubName
    if (state === 'COMMITTED') {
      this.core.commit(conversion, conversion.fulfilment!, false)
      this.core.notify(patchFxp(hub, fx.counter_party_fsp, conversion.id, version, conversion.completed_at!.toISOString()))
      return
    }
    this.core.release(conversion)
    this.core.finish(conversion, 'ABORTED', code, description)
    this.core.notify(fxErrorCallback(hub, fx.counter_party_fsp, conversion.id, version, { errorCode: code ?? '3100', errorDescription: `dependent transfer ${row.id} ${state}: ${description ?? ''}`.slice(0, 128) }, true))
  }

  /** The timeout scan's expiry of a conversion: ignored while a dependent transfer holds it (that one's expiry ends both). */
  expire(row: TransferRow): void {
    const fx = this.rows.get(row.id)
    if (!fx || fx.dependent_linked) return
    this.expireConversion(row, fx)
  }

  private expireConversion(row: TransferRow, fx: FxTransferRow): void {
    const hub = this.core.deps.hubName
    this.core.release(row)
    this.core.finish(row, 'EXPIRED', '3303', 'Conversion expired')
    this.core.notify(hubFxError(hub, fx.initiating_fsp, row.id, (row.payer_accept_version ?? V2) as FspiopVersion, '3303'))
    this.core.notify(hubFxError(hub, fx.counter_party_fsp, row.id, (fx.fxp_version ?? V2) as FspiopVersion, '3303'))
  }

  async write(): Promise<void> {
    await this.pipeline.saveFxTransfers([...this.changed.values()])
  }
}
