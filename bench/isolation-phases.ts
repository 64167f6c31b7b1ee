// Healthy DFSPs at one fixed rate, without and then with one DFSP answering 500 and one black-holed
// (failing-dfsps.ts), in the same run: healthy transfers' p50/p95/p99 both ways and their ratio.
import { startFailingDfsps } from './failing-dfsps.ts'
import type { LoadTestOptions } from '../switch/loadtest/loadtest.ts'
import type { PhaseOutcome } from './phase-outcome.ts'

/** Transfers a second to the failing DFSPs, as a share of the healthy rate. */
export const FAILING_SHARE = 0.1

export interface IsolationOutcome {
  rate: number
  failingRate: number
  without: PhaseOutcome
  with: PhaseOutcome
  failingSent: number
  blackHoleHeld: number
}

type Phase = (name: string, o: Partial<LoadTestOptions>) => Promise<PhaseOutcome>

export async function isolationPhases(phase: Phase, o: { apiUrl: string; adminUrl: string; hubName: string; rate: number }): Promise<IsolationOutcome> {
  const without = await phase('healthy only', { rate: o.rate })
  const failingRate = Math.max(2, Math.round(o.rate * FAILING_SHARE))
  // They start sending before the phase's pause, so the switch is already trying them when it starts.
  const failing = await startFailingDfsps({ ...o, rate: failingRate })
  const withFailing = await phase('healthy, one DFSP 500, one black-holed', { rate: o.rate })
  const stopped = await failing.stop()
  return { rate: o.rate, failingRate, without, with: withFailing, failingSent: stopped.sent, blackHoleHeld: stopped.held }
}
