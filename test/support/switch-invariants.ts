// The invariants an end-to-end test can check of a whole switch by itself (shared/ARCHITECTURE.md §5):
// the ledger's (I2, I3), the pipeline's (I1, I4, I5, I8) and I7 against the harness's own Kafka, whose
// consumer groups must never have committed an offset ahead of the one the database stored.
import { afterEach } from 'node:test'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { pipelineInvariants } from '../../ledger/invariants/pipeline-invariants.ts'
import type { SwitchHarness } from './switch-harness.ts'

export async function assertSwitchInvariants(sw: SwitchHarness): Promise<void> {
  await assertLedgerInvariants(sw.testDb.db, pipelineInvariants({ bus: sw.bus }))
}

/** After every test of the file, for files whose tests move money through `harness()`'s switch. */
export function assertSwitchInvariantsAfterEach(harness: () => SwitchHarness): void {
  afterEach(() => assertSwitchInvariants(harness()))
}
