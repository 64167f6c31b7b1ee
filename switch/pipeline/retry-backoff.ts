// The wait before a callback's next try: exponential in the tries made, capped, with "equal jitter" (half
// of the step fixed, half random), so the retries of callbacks that failed together spread out instead
// of coming due in one burst, and no wait is shorter than half its step.
export const BACKOFF_MAX_MS = 60_000

/** The wait after the n-th failed try: about first, 2 × first, 4 × first … (each between half and all of its step). */
export function retryDelay_ms(backoffFirst_ms: number, attemptsMade: number, random: () => number = Math.random): number {
  const step_ms = Math.min(BACKOFF_MAX_MS, backoffFirst_ms * 2 ** Math.max(0, attemptsMade - 1))
  return Math.round(step_ms / 2 + random() * (step_ms / 2))
}
