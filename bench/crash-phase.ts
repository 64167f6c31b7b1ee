// Crash to serving: transfers at a fixed rate, the switch SIGKILLed KILL_AFTER_S in and started again.
// Measured from the restart: the HTTP port answering, the first 202 (of a transfer that then completed),
// the first transfer completed; and whether transfers expired because of the crash (the ledger's EXPIRED
// transfers of the phase's DFSPs, counted once their expiry has passed).
import type { Knex } from 'knex'
import type { LoadTestOptions } from '../switch/loadtest/loadtest.ts'
import type { PhaseOutcome } from './phase-outcome.ts'
import { CALLBACK_TIMEOUT_MS } from '../adapters/reference-dfsp/reference-dfsp.ts'

/** Long enough for a restarted switch to serve again: its Kafka consumers wait for the killed process's
 *  group members to be dropped (their session timeout, 30 s) before they get partitions. */
export const CRASH_PHASE_S_MIN = 90
/** When in the phase the switch is killed (s). */
export const KILL_AFTER_S = 15
/** After the transfers' expiry, how long the timeout scanner may take to mark them. */
export const EXPIRY_SCAN_GRACE_MS = 10_000

export interface CrashOutcome {
  killAfter_s: number
  phase: PhaseOutcome
  /** From the restart (the new process spawned), ms. */
  portAnswered_ms: number
  first202_ms: number | undefined
  firstCompleted_ms: number | undefined
  /** From the kill to the new process being spawned (the old one reaped), ms. */
  killToRestart_ms: number
  expired: number
}

type Phase = (name: string, o: Partial<LoadTestOptions>) => Promise<PhaseOutcome>
type Restart = () => Promise<{ killed_ms: number; restarted_ms: number; portAnswered_ms: number }>

export async function crashPhase(phase: Phase, db: Knex, o: { rate: number; duration_s: number; restart: Restart }): Promise<CrashOutcome> {
  const expiredBefore = await expiredCount(db)
  let restart: Promise<Awaited<ReturnType<Restart>>> | undefined
  let restarted_ms = Infinity
  let first202_ms = Infinity
  let firstCompleted_ms = Infinity
  const outcome = await phase('crash and restart', {
    rate: o.rate, duration_s: o.duration_s,
    observer: {
      started: () => { setTimeout(() => { restart = o.restart().then((r) => { restarted_ms = r.restarted_ms; return r }) }, KILL_AFTER_S * 1000) },
      transferDone: (accepted_ms, finished_ms) => {
        if (finished_ms > restarted_ms) firstCompleted_ms = Math.min(firstCompleted_ms, finished_ms)
        if (accepted_ms > restarted_ms) first202_ms = Math.min(first202_ms, accepted_ms)
      },
    },
  })
  const r = await restart!
  // Transfers in flight at the kill expire CALLBACK_TIMEOUT_MS after they were sent, if nothing completed them.
  const wait_ms = r.killed_ms + CALLBACK_TIMEOUT_MS + EXPIRY_SCAN_GRACE_MS - performance.now()
  if (wait_ms > 0) await new Promise((res) => setTimeout(res, wait_ms))
  const since = (t: number) => (Number.isFinite(t) ? Math.round(t - r.restarted_ms) : undefined)
  return {
    // CPU per payment would mix the killed process and the new one: not reported for this phase.
    killAfter_s: KILL_AFTER_S, phase: { ...outcome, cpu_ms: {} }, portAnswered_ms: Math.round(r.portAnswered_ms - r.restarted_ms), first202_ms: since(first202_ms), firstCompleted_ms: since(firstCompleted_ms),
    killToRestart_ms: Math.round(r.restarted_ms - r.killed_ms), expired: (await expiredCount(db)) - expiredBefore,
  }
}

async function expiredCount(db: Knex): Promise<number> {
  const [row] = await db('transfer').where({ state: 'EXPIRED' }).where('payer_fsp', 'like', 'lt%').count({ n: '*' })
  return Number((row as { n: number | string }).n)
}
