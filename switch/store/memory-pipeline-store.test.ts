// The pipeline store contract in memory, on a clock that moves only when told.
import { runPipelineStoreContract } from './pipeline-store.contract.ts'
import { createMemoryPipelineStore } from './memory-pipeline-store.ts'

runPipelineStoreContract('in memory', async () => {
  let now_ms = Date.parse('2026-12-01T12:00:00Z')
  return { store: createMemoryPipelineStore({ clock: () => new Date(now_ms) }), pass: async (ms) => { now_ms += ms } }
})
