// What a benchmark run does, from the environment: durations, targets, profiling, which phases.
//   BENCH_QUICK=1       every phase 10 s and the soak 30 s (numbers then only indicate)
//   BENCH_PHASE_S=N     length of each measured phase (default 60)
//   BENCH_SOAK_S=N      length of the memory soak at 70% of the maximum (default 600; 0 skips it)
//   BENCH_PROFILE=1     CPU profiles (--cpu-prof) of the switch and of the load generator, in reports/
//   BENCH_POSITION_MS   length of the in-process position batch measurement (default 3000)
//   BENCH_PHASES=a,b    only these phases (default: all), from BENCH_PHASE_NAMES below, e.g. `split,g2p`.
//                       A partial run writes its own dated sections into BENCHMARKS.md and leaves the rest
//                       of the file as it was (bench/write-benchmarks.ts).
//   BENCH_RATE=N        open-loop rate of the phases run at 70% of the maximum (latency, isolation, soak,
//                       split, crash) when neither capacity nor sustained runs to measure it (default 200/s)
//   BENCH_G2P_BENEFICIARIES=N  size of the G2P disbursement (default 100000)
//   BENCH_SWITCH_HEAP_MB=N     the one-process switch's --max-old-space-size (default 256, as `npm start`);
//                       another value is stated in every section the run writes
export const TARGETS = { transfers_per_s: 1000, full_per_s: 400, p99_ms: 250, position_ops_per_s: 500_000, rss_mb: 300, g2p_100k_s: 120 } as const
export type Targets = typeof TARGETS

/** Every phase, in the order a run does them. `crash` is last: it kills the switch the others measured.
 *  `tracing` is capacity without tracing and at 1%, alternately, each on a new switch (bench/tracing-phase.ts). */
export const BENCH_PHASE_NAMES = ['position', 'capacity', 'tracing', 'sustained', 'latency', 'full', 'iso-banks', 'isolation', 'soak', 'split', 'g2p', 'fx', 'crash'] as const
export type BenchPhaseName = (typeof BENCH_PHASE_NAMES)[number]

export interface BenchSettings {
  quick: boolean
  phase_s: number
  soak_s: number
  profile: boolean
  /** Pause before each phase, so each starts from a drained switch (callbacks, Kafka lag). */
  pause_ms: number
  dfsps: number
  skew: number
  /** The phases this run does, in run order. */
  phases: readonly BenchPhaseName[]
  /** Whether every phase runs (then BENCHMARKS.md is written whole). */
  allPhases: boolean
  /** The 70% phases' rate when the maximum is not measured in this run. */
  fixedRate: number
  g2pBeneficiaries: number
  /** The one-process switch's old-space bound in MB. */
  switchHeapMb: number
}

/** BENCH_PHASES: a comma-separated list of phase names; empty or unset means all. Unknown names are an error. */
export function parsePhases(raw: string | undefined): BenchPhaseName[] {
  if (raw === undefined || raw.trim() === '') return [...BENCH_PHASE_NAMES]
  const asked = raw.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '')
  const unknown = asked.filter((s) => !(BENCH_PHASE_NAMES as readonly string[]).includes(s))
  if (unknown.length) throw new Error(`BENCH_PHASES: unknown phase ${unknown.map((u) => `"${u}"`).join(', ')} (known: ${BENCH_PHASE_NAMES.join(', ')})`)
  return BENCH_PHASE_NAMES.filter((name) => asked.includes(name))
}

export function benchSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const quick = env.BENCH_QUICK === '1'
  const whole = (name: string, fallback: number, what: string, min = 0) => {
    const value = env[name]
    if (value === undefined || value === '') return fallback
    const n = Number(value)
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of ${what}${min > 0 ? ` (at least ${min})` : ''}, not "${value}"`)
    return n
  }
  const phases = parsePhases(env.BENCH_PHASES)
  return {
    quick,
    phase_s: whole('BENCH_PHASE_S', quick ? 10 : 60, 'seconds'),
    soak_s: whole('BENCH_SOAK_S', quick ? 30 : 600, 'seconds'),
    profile: env.BENCH_PROFILE === '1',
    pause_ms: 5_000,
    dfsps: 4,
    skew: 0.7,
    phases,
    allPhases: phases.length === BENCH_PHASE_NAMES.length,
    fixedRate: whole('BENCH_RATE', 200, 'transfers a second', 1),
    g2pBeneficiaries: whole('BENCH_G2P_BENEFICIARIES', 100_000, 'beneficiaries', 1),
    switchHeapMb: whole('BENCH_SWITCH_HEAP_MB', 256, 'MB', 64),
  }
}
