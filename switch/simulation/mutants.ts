// Bugs planted on purpose, to show the simulation finds them: each is a decorator of the memory store's
// unit of work (or, for the bus, a flag on the simulated process's consumer, sim-process.ts), never an edit of the
// pipeline's code.
import type { LedgerTx } from '../../ledger/ledger-port.ts'
import { isFinal } from '../../ledger/domain/transfer-state.ts'
import type { MemoryPipelineStore } from '../store/memory-pipeline-store.ts'
import type { PipelineTx, UnitOfWork } from '../store/pipeline-store.ts'

export const MUTANTS = {
  /** The position batch reads each reservation as headroom: exposure = value − reserved (Mojaloop's prepare.js adds instead of subtracting). */
  'ndc-headroom-adds-reserved': 'I4',
  /** A release writes the position back without freeing the reserved amount. */
  'release-keeps-reservation': 'I2',
  /** The outbox rows of a batch are not stored with it (only published after commit, if the process lives). */
  'outbox-rows-lost-on-commit': 'I6',
  /** Stored next offsets survive the rollback of their batch's effects. */
  'offsets-stored-ahead-of-effects': 'I1',
  /** The batch's lookup misses final transfers, so a duplicate prepare starts a final transfer again. */
  'final-transfer-hidden-from-duplicates': 'I8',
  /** The bus commits a fetch's offsets when it hands it out, before its effects are stored. */
  'bus-offset-committed-before-effects': 'I7',
} as const

export type MutantName = keyof typeof MUTANTS

export function applyMutants(store: MemoryPipelineStore, mutants: readonly MutantName[]): MemoryPipelineStore {
  const uowMutants = mutants.filter((m) => m !== 'bus-offset-committed-before-effects')
  if (uowMutants.length === 0) return store
  const wrap = (run: MemoryPipelineStore['batch']): MemoryPipelineStore['batch'] => async (work) => {
    const lateOffsets: [string, string, number, bigint][] = []
    try {
      return await run((uow) => work(uowMutants.reduce((u, m) => decorate(m, u, lateOffsets), uow)))
    } catch (error) {
      // offsets-stored-ahead-of-effects: what the batch stored is written again, outside its unit of work.
      if (lateOffsets.length > 0) await store.batch(async ({ pipeline }) => { for (const o of lateOffsets) await pipeline.storeNextOffset(...o) })
      throw error
    }
  }
  return { ...store, db: store.db, ledger: store.ledger, tables: store.tables, batch: wrap(store.batch), transaction: wrap(store.transaction) }
}

function decorate(mutant: MutantName, uow: UnitOfWork, lateOffsets: [string, string, number, bigint][]): UnitOfWork {
  switch (mutant) {
    case 'ndc-headroom-adds-reserved': {
      // headroom = ndc − (value + reserved) read as ndc − (value − reserved): the cap raised by twice what is reserved.
      const ledger: LedgerTx = {
        ...uow.ledger,
        async netDebitCaps(accountIds) {
          const caps = await uow.ledger.netDebitCaps(accountIds)
          const accounts = await uow.ledger.lockAccounts(accountIds)
          for (const [id, cap] of caps) caps.set(id, cap + 2n * (accounts.get(id)?.reserved ?? 0n))
          return caps
        },
      }
      return { ...uow, ledger }
    }
    case 'release-keeps-reservation': {
      const locked = new Map<number, { value: bigint; reserved: bigint }>()
      const ledger: LedgerTx = {
        ...uow.ledger,
        async lockAccounts(ids) {
          const found = await uow.ledger.lockAccounts(ids)
          for (const [id, a] of found) locked.set(id, { value: a.value, reserved: a.reserved })
          return found
        },
        writeAccounts: (accounts) => uow.ledger.writeAccounts([...accounts].map((a) => {
          const before = locked.get(a.id)
          return before && a.value === before.value && a.reserved < before.reserved ? { ...a, reserved: before.reserved } : a
        })),
      }
      return { ...uow, ledger }
    }
    case 'outbox-rows-lost-on-commit': {
      let lost = 0
      const pipeline: PipelineTx = { ...uow.pipeline, addToOutbox: async (messages) => messages.map((m) => ({ ...m, id: String(1_000_000_000 + ++lost) })) }
      return { ...uow, pipeline }
    }
    case 'offsets-stored-ahead-of-effects': {
      const pipeline: PipelineTx = {
        ...uow.pipeline,
        async storeNextOffset(group, topic, partition, next) {
          lateOffsets.push([group, topic, partition, next])
          await uow.pipeline.storeNextOffset(group, topic, partition, next)
        },
      }
      return { ...uow, pipeline }
    }
    case 'final-transfer-hidden-from-duplicates': {
      const ledger: LedgerTx = {
        ...uow.ledger,
        async lockTransfers(ids) {
          const found = await uow.ledger.lockTransfers(ids)
          for (const [id, t] of found) if (isFinal(t.state)) found.delete(id)
          return found
        },
      }
      return { ...uow, ledger }
    }
    case 'bus-offset-committed-before-effects':
      return uow
  }
}
