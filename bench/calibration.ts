// The machine's single-core speed, measured first in every benchmark run so that its figures can be judged
// against the machine they ran on: the same "2 cores" differ about 2x between the machines here. The
// workload is the in-process position batch (bench/position-batch.ts: deterministic pure JavaScript, one
// core): a warm-up, then CALIBRATION_RUNS short runs of which the fastest counts (other work on a shared
// machine only ever slows a run down). Figures are normalised to CALIBRATION_REFERENCE_OPS_PER_S, the
// speed of the machine of the 574 transfers/s record (issue 18), for which the targets are set.
import { measurePositionBatch } from './position-batch.ts'

export const CALIBRATION_REFERENCE_OPS_PER_S = 10_200_000
export const CALIBRATION_WARMUP_MS = 500
export const CALIBRATION_RUNS = 3
export const CALIBRATION_RUN_MS = 700

export interface Calibration {
  /** Position batch reserve + commit pairs per second on one core, the fastest run. */
  opsPerSecond: number
  runs: number[]
  reference_ops_per_s: number
  /** This machine's core speed against the reference's: below 1 is slower. */
  speed: number
}

export function calibrationOf(runs: readonly number[], reference = CALIBRATION_REFERENCE_OPS_PER_S): Calibration {
  const best = Math.max(0, ...runs)
  return { opsPerSecond: best, runs: [...runs], reference_ops_per_s: reference, speed: Math.round((best / reference) * 1000) / 1000 }
}

export function calibrate(): Calibration {
  measurePositionBatch(CALIBRATION_WARMUP_MS)
  return calibrationOf(Array.from({ length: CALIBRATION_RUNS }, () => measurePositionBatch(CALIBRATION_RUN_MS).opsPerSecond))
}

/** A rate as it would be on the reference machine: a machine half as fast gets twice its rate. */
export function normalisedRate(rate: number, c: Calibration): number {
  return c.speed > 0 ? Math.round(rate / c.speed) : 0
}

/** CPU ms as they would be on the reference machine: a machine half as fast spends twice as long. */
export function normalisedCpuMs(ms: number, c: Calibration): number {
  return Math.round(ms * c.speed * 100) / 100
}

/** The line a report states it with. */
export function calibrationLine(c: Calibration): string {
  return `calibration ${c.opsPerSecond.toLocaleString('en')} position-batch ops/s on one core (fastest of ${c.runs.length}: ${c.runs.map((r) => r.toLocaleString('en')).join(', ')}), ${c.speed}× the reference machine's ${c.reference_ops_per_s.toLocaleString('en')}/s; "normalised" figures are what they would be on the reference`
}
