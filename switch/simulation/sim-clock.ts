// The simulated clock: time moves only when the simulation moves it. Injected wherever the pipeline
// takes `now`; the memory database reads it too.

/** Where every simulated run starts (any fixed instant would do). */
export const SIMULATION_EPOCH_MS = Date.UTC(2026, 0, 1)

export interface SimClock {
  now_ms(): number
  now(): Date
  advance(ms: number): void
}

export function createSimClock(start_ms: number = SIMULATION_EPOCH_MS): SimClock {
  let now_ms = start_ms
  return {
    now_ms: () => now_ms,
    now: () => new Date(now_ms),
    advance(ms) {
      if (!Number.isInteger(ms) || ms < 0) throw new Error(`sim clock: cannot advance by ${ms} ms`)
      now_ms += ms
    },
  }
}
