// What a benchmark run does, from the environment: durations, targets, profiling.
//   BENCH_QUICK=1       every phase 10 s and the soak 30 s (numbers then only indicate)
//   BENCH_PHASE_S=N     length of each measured phase (default 60)
//   BENCH_SOAK_S=N      length of the memory soak at 70% of the maximum (default 600; 0 skips it)
//   BENCH_PROFILE=1     CPU profiles (--cpu-prof) of the switch and of the load generator, in reports/
//   BENCH_POSITION_MS   length of the in-process position batch measurement (default 3000)
export const TARGETS = { transfers_per_s: 1000, full_per_s: 400, p99_ms: 250, position_ops_per_s: 500_000, rss_mb: 300 } as const
export type Targets = typeof TARGETS

export interface BenchSettings {
  quick: boolean
  phase_s: number
  soak_s: number
  profile: boolean
  /** Pause before each phase, so each starts from a drained switch (callbacks, Kafka lag). */
  pause_ms: number
  dfsps: number
  skew: number
}

export function benchSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const quick = env.BENCH_QUICK === '1'
  const seconds = (name: string, fallback: number) => {
    const value = env[name]
    if (value === undefined || value === '') return fallback
    const n = Number(value)
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number of seconds, not "${value}"`)
    return n
  }
  return {
    quick,
    phase_s: seconds('BENCH_PHASE_S', quick ? 10 : 60),
    soak_s: seconds('BENCH_SOAK_S', quick ? 30 : 600),
    profile: env.BENCH_PROFILE === '1',
    pause_ms: 5_000,
    dfsps: 4,
    skew: 0.7,
  }
}
