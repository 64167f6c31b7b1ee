// The rows behind the connector's idempotency and recovery. Every state change is a conditional UPDATE
// (from the states it may leave), so a repeated callback, a recovery run and the original flow racing
// each other move a payment once.
import type { Db } from '../../ledger/store/db.ts'

/** Payer side, in the order a payment passes them (sdk-scheme-adapter's currentState names where it has them). */
export const PAYMENT_STATES = ['PAYEE_LOOKUP', 'WAITING_FOR_PARTY_ACCEPTANCE', 'QUOTE_REQUESTED', 'WAITING_FOR_QUOTE_ACCEPTANCE', 'TRANSFER_SENT', 'COMPLETED', 'ERROR_OCCURRED', 'ABORTED'] as const
export type PaymentState = (typeof PAYMENT_STATES)[number]
export const FINAL_PAYMENT_STATES: readonly PaymentState[] = ['COMPLETED', 'ERROR_OCCURRED', 'ABORTED']

export interface PaymentRow {
  transferId: string
  homeTransactionId: string | null
  state: PaymentState
  request: any
  payeeFsp: string | null
  party: any
  quoteId: string | null
  quote: any
  prepare: any
  fulfilment: string | null
  completedTimestamp: string | null
  errorCode: string | null
  errorDescription: string | null
}

export type PaymentPatch = Partial<Omit<PaymentRow, 'transferId' | 'request' | 'homeTransactionId'>>

/** Rows one recovery or sweep pass takes at most; the next pass takes the rest. */
export const SWEEP_ROWS_MAX = 1_000

const JSON_COLUMNS = new Set(['request', 'party', 'quote', 'prepare'])
const COLUMN: Record<string, string> = {
  transferId: 'transfer_id', homeTransactionId: 'home_transaction_id', state: 'state', request: 'request', payeeFsp: 'payee_fsp', party: 'party',
  quoteId: 'quote_id', quote: 'quote', prepare: 'prepare', fulfilment: 'fulfilment', completedTimestamp: 'completed_timestamp',
  errorCode: 'error_code', errorDescription: 'error_description',
}

function toRow(patch: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue
    row[COLUMN[key]!] = JSON_COLUMNS.has(key) && value !== null ? JSON.stringify(value) : value
  }
  return row
}

function fromRow(row: any): PaymentRow {
  const parse = (v: string | null) => (v === null ? null : JSON.parse(v))
  return {
    transferId: row.transfer_id, homeTransactionId: row.home_transaction_id, state: row.state, request: parse(row.request), payeeFsp: row.payee_fsp,
    party: parse(row.party), quoteId: row.quote_id, quote: parse(row.quote), prepare: parse(row.prepare), fulfilment: row.fulfilment,
    completedTimestamp: row.completed_timestamp, errorCode: row.error_code, errorDescription: row.error_description,
  }
}

const isDuplicateKey = (error: unknown) => (error as { code?: string }).code === 'ER_DUP_ENTRY'

export function createPaymentStore(db: Db) {
  return {
    /** False when a payment with this transfer id exists already (the core repeated its request). */
    async create(p: { transferId: string; homeTransactionId?: string; request: unknown; state: PaymentState }): Promise<boolean> {
      try {
        await db('outbound_payments').insert(toRow({ ...p, homeTransactionId: p.homeTransactionId ?? null }))
        return true
      } catch (error) {
        if (isDuplicateKey(error)) return false
        throw error
      }
    },

    async get(transferId: string): Promise<PaymentRow | undefined> {
      const row = await db('outbound_payments').where({ transfer_id: transferId }).first()
      return row ? fromRow(row) : undefined
    },

    /** Moves a payment that is in one of `from`; false when it is not (someone else moved it first). */
    async move(transferId: string, from: readonly PaymentState[], patch: PaymentPatch): Promise<boolean> {
      const updated = await db('outbound_payments').where({ transfer_id: transferId }).whereIn('state', from)
        .update({ ...toRow(patch), updated_at: db.raw('CURRENT_TIMESTAMP(3)') })
      return updated === 1
    },

    /** Payments in these states, optionally only those unchanged since `updatedBefore`. */
    async inState(states: readonly PaymentState[], updatedBefore?: Date): Promise<PaymentRow[]> {
      const query = db('outbound_payments').whereIn('state', states).orderBy('created_at').limit(SWEEP_ROWS_MAX)
      if (updatedBefore) query.where('updated_at', '<', updatedBefore)
      return (await query).map(fromRow)
    },
  }
}
export type PaymentStore = ReturnType<typeof createPaymentStore>

// ---- payee side ----

export type InboundKind = 'quote' | 'transfer' | 'bulkQuote' | 'bulkTransfer'
/** RECEIVED: being worked on; ANSWERED: the callback went out (a transfer: fulfilled RESERVED, waiting for the
 *  switch's final state); then COMMITTED, ABORTED or REJECTED (answered with an error). */
export type InboundState = 'RECEIVED' | 'ANSWERED' | 'COMMITTED' | 'ABORTED' | 'REJECTED'

export interface InboundRow {
  kind: InboundKind
  messageId: string
  source: string
  state: InboundState
  request: any
  answer: { path: string; body: unknown } | null
}

function fromInbound(row: any): InboundRow {
  return { kind: row.kind, messageId: row.message_id, source: row.source, state: row.state, request: JSON.parse(row.request), answer: row.answer ? JSON.parse(row.answer) : null }
}

export function createInboundStore(db: Db) {
  return {
    /** Records a request the first time its id is seen; a repeat gets the row recorded the first time. */
    async claim(kind: InboundKind, messageId: string, source: string, request: unknown): Promise<{ first: true } | { first: false; row: InboundRow }> {
      try {
        await db('inbound_messages').insert({ kind, message_id: messageId, source, state: 'RECEIVED', request: JSON.stringify(request) })
        return { first: true }
      } catch (error) {
        if (!isDuplicateKey(error)) throw error
        return { first: false, row: (await this.get(kind, messageId))! }
      }
    },

    async get(kind: InboundKind, messageId: string): Promise<InboundRow | undefined> {
      const row = await db('inbound_messages').where({ kind, message_id: messageId }).first()
      return row ? fromInbound(row) : undefined
    },

    async move(kind: InboundKind, messageId: string, from: readonly InboundState[], state: InboundState, answer?: { path: string; body: unknown }): Promise<boolean> {
      const patch: Record<string, unknown> = { state, updated_at: db.raw('CURRENT_TIMESTAMP(3)') }
      if (answer) patch.answer = JSON.stringify(answer)
      return (await db('inbound_messages').where({ kind, message_id: messageId }).whereIn('state', from).update(patch)) === 1
    },

    async inState(kind: InboundKind, states: readonly InboundState[], updatedBefore?: Date): Promise<InboundRow[]> {
      const query = db('inbound_messages').where({ kind }).whereIn('state', states).orderBy('created_at').limit(SWEEP_ROWS_MAX)
      if (updatedBefore) query.where('updated_at', '<', updatedBefore)
      return (await query).map(fromInbound)
    },
  }
}
export type InboundStore = ReturnType<typeof createInboundStore>
