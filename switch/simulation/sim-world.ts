// The simulated world's durable side and its participants: the memory store (ledger and switch tables in
// one database), onboarded DFSPs with NDCs and funds in, the directory the API reads, and the view the
// invariants read.
import { toUnits } from '../../ledger/domain/money.ts'
import { memoryLedgerTx } from '../../ledger/memory/memory-ledger.ts'
import type { DirectoryParticipant } from '../fspiop/directory.ts'
import { DEFAULT_API_MODE } from '../fspiop/api-mode.ts'
import { createMemoryPipelineStore, type MemoryPipelineStore } from '../store/memory-pipeline-store.ts'
import type { SimulationView } from './invariants.ts'
import type { MemoryBus } from '../bus/memory-bus.ts'
import { HUB_NAME, POSITION_GROUP, topic } from './sim-process.ts'
import { TOPICS } from '../pipeline/messages.ts'
import type { SimClock } from './sim-clock.ts'

export const CURRENCY = 'USD'
export const PARTITIONS_PER_TOPIC = 3
/** The memory store's key of a stored next offset. */
export const offsetKey = (group: string, topic: string, partition: number): string => JSON.stringify([group, topic, partition])

export interface OnboardedDfsp {
  name: string
  participantId: number
  position: number
  settlement: number
}

export interface World {
  store: MemoryPipelineStore
  dfsps: OnboardedDfsp[]
  directory: Map<string, DirectoryParticipant>
}

export async function createWorld(clock: SimClock, dfsps: readonly { name: string; ndc: string; fundsIn: string }[]): Promise<World> {
  const store = createMemoryPipelineStore({ clock: () => clock.now() })
  const t = store.ledger
  const onboarded = await store.db.transaction(async () => {
    const account = (participantId: number, type: string) => {
      const id = Number(t.ids.account.next())
      t.accounts.set(id, { id, participant_id: participantId, currency: CURRENCY, type, value: 0n, reserved: 0n })
      return id
    }
    const hubId = Number(t.ids.participant.next())
    t.participants.set(hubId, { id: hubId, name: HUB_NAME, isHub: true })
    const hub = account(hubId, 'HUB_RECONCILIATION')
    const out = dfsps.map((d) => {
      const participantId = Number(t.ids.participant.next())
      t.participants.set(participantId, { id: participantId, name: d.name, isHub: false })
      const o = { name: d.name, participantId, position: account(participantId, 'POSITION'), settlement: account(participantId, 'SETTLEMENT') }
      t.netDebitCaps.set(o.position, toUnits(d.ndc))
      return o
    })
    await memoryLedgerTx(t).postJournalEntries(dfsps.map((d, i) => ({
      kind: 'FUNDS_IN', reference: `funds-in-${d.name}`, currency: CURRENCY, createdBy: 'simulation',
      lines: [{ accountId: out[i]!.settlement, amount: `-${d.fundsIn}` }, { accountId: hub, amount: d.fundsIn }],
    })))
    return out
  })
  const directory = new Map<string, DirectoryParticipant>(onboarded.map((d) => [d.name, {
    id: d.participantId, name: d.name, isActive: true, isHub: false, endpoints: new Map(), publicKey: undefined, apiMode: DEFAULT_API_MODE,
    accounts: new Map([[`${CURRENCY}:POSITION`, { id: d.position, isActive: true }], [`${CURRENCY}:SETTLEMENT`, { id: d.settlement, isActive: true }]]),
  }]))
  return { store, dfsps: onboarded, directory }
}

/** The groups whose effects store their offsets (the notification group's only effects are callbacks, at least once). */
const GROUP_TOPICS: [string, string][] = [[POSITION_GROUP, topic(TOPICS.prepare)], [POSITION_GROUP, topic(TOPICS.position)]]

/** The durable state, as the invariants read it. */
export async function viewOf(world: World, bus: MemoryBus): Promise<SimulationView> {
  const t = world.store.ledger
  const stored = new Map<string, bigint>()
  const committed = new Map<string, bigint>()
  for (const [group, name] of GROUP_TOPICS) {
    for (const c of await bus.committedOffsets(group, [name])) committed.set(offsetKey(group, c.topic, c.partition), c.offset)
    for (let p = 0; p < PARTITIONS_PER_TOPIC; p++) {
      const key = offsetKey(group, name, p)
      const s = world.store.tables.offsets.get(key)
      if (s !== undefined) stored.set(key, s)
    }
  }
  const caps = new Map<number, bigint>()
  for (const d of world.dfsps) {
    const cap = t.netDebitCaps.get(d.position)
    if (cap !== undefined) caps.set(d.position, cap)
  }
  return {
    transfers: t.transfers.peek(),
    stateChanges: t.stateChanges.peek(),
    accounts: t.accounts.peek(),
    journal: t.journal.peek(),
    netDebitCaps: caps,
    liquidityChecked: () => true,
    deadLetters: world.store.tables.callbacks.deadLetters.peek(),
    storedOffsets: stored,
    busCommittedOffsets: committed,
  }
}
