// What the in-memory position handler tests share: a memory pipeline store at a fixed clock, DFSPs
// onboarded into it (POSITION + SETTLEMENT accounts, an NDC, funds in), the position handler run on a
// batch through the real merged transactions, and what it published.
import { fromUnits, toUnits } from '../../ledger/domain/money.ts'
import { memoryLedgerTx } from '../../ledger/memory/memory-ledger.ts'
import { createMemoryPipelineStore, type MemoryPipelineStore } from '../store/memory-pipeline-store.ts'
import type { BusProducer } from '../bus/message-bus.ts'
import { silentLogger } from '../observability/logger.ts'
import { createMergedTransactions, type BatchHandler } from '../pipeline/merged-transactions.ts'
import { createPublishedMarks } from '../pipeline/published-marks.ts'
import { positionHandler, type PositionHandlerMessage } from './position-handler.ts'
import type { Notification } from '../pipeline/messages.ts'

export const NOW = new Date('2026-12-01T12:00:00Z')

export interface Dfsp { name: string; position: number; settlement: number }

export function memoryPositionWorld() {
  const store = createMemoryPipelineStore({ clock: () => NOW })
  const sent: string[] = []
  const producer: BusProducer = {
    send: async (messages) => { sent.push(...messages.map((m) => String(m.value))) },
    status: () => ({ connected: true, queued: 0, inFlight: 0, inFlightSince: undefined }),
    connected: Promise.resolve(),
    close: async () => {},
  }
  let offset = 0n
  const defaultHandler = positionHandler({ hubName: 'Hub', topic: (n) => n, now: () => NOW })
  /** One fetch of `messages` through the handler; answers the notifications it published. */
  const run = async <T extends PositionHandlerMessage>(messages: T[], handler: BatchHandler<T> = defaultHandler) => {
    const merged = createMergedTransactions({ store, log: silentLogger(), producer, published: createPublishedMarks(store, silentLogger()), groupId: 'position', handler })
    const first = sent.length
    const decoded = messages.map((value) => ({ offset: offset++, key: 'k', value }))
    await merged.apply([{ topic: 'prepare', partition: 0, last: decoded.at(-1)!.offset, messages: decoded }])
    return sent.slice(first).map((s) => JSON.parse(s) as Notification)
  }
  return { store, run, sent }
}

export async function onboard(store: MemoryPipelineStore, names: string[], ndc: string, fundsIn: string): Promise<Dfsp[]> {
  const t = store.ledger
  return store.db.transaction(async () => {
    const account = (participantId: number, type: string) => {
      const id = Number(t.ids.account.next())
      t.accounts.set(id, { id, participant_id: participantId, currency: 'USD', type, value: 0n, reserved: 0n })
      return id
    }
    const hubId = Number(t.ids.participant.next())
    t.participants.set(hubId, { id: hubId, name: 'Hub', isHub: true })
    const hub = account(hubId, 'HUB_RECONCILIATION')
    const dfsps = names.map((name) => {
      const id = Number(t.ids.participant.next())
      t.participants.set(id, { id, name, isHub: false })
      const dfsp = { name, position: account(id, 'POSITION'), settlement: account(id, 'SETTLEMENT') }
      t.netDebitCaps.set(dfsp.position, toUnits(ndc))
      return dfsp
    })
    await memoryLedgerTx(t).postJournalEntries(dfsps.map((d) => ({
      kind: 'FUNDS_IN', reference: `in-${d.name}`, currency: 'USD', createdBy: 'test', lines: [{ accountId: d.settlement, amount: `-${fundsIn}` }, { accountId: hub, amount: fundsIn }],
    })))
    return dfsps
  })
}

/** A position account's value and reservation as decimal strings. */
export function positionOf(store: MemoryPipelineStore, id: number): { value: string; reserved: string } {
  const a = store.ledger.account(id)
  return { value: fromUnits(a.value).toString(), reserved: fromUnits(a.reserved).toString() }
}
