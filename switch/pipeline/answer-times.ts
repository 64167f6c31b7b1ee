// How long each DFSP takes to answer a callback, and so how long the notification handler waits for its
// first try before handing the try over to the retrier. The wait follows TCP's retransmission timer
// (RFC 6298): a smoothed answer time plus four times its mean deviation, kept between FIRST_TRY_WAIT_MIN_MS
// and FIRST_TRY_WAIT_MAX_MS. So a batch waits a few milliseconds for a DFSP that answers in a few, and a DFSP
// that stops answering holds its partition up once, for about its usual answer time, not for the ceiling.
// A DFSP none of whose tries ended within the ceiling since the last one that did is "slow": it gets no first
// tries (its callbacks go to the retrier) until one of its tries ends within the ceiling again.
// Per process, in memory, bounded; it decides only when to wait, never anything about money.
import { RECIPIENTS_TRACKED_MAX } from './circuit-breaker.ts'

/** The shortest wait: an event-loop pause or a garbage collection on a busy machine is not a slow DFSP. */
export const FIRST_TRY_WAIT_MIN_MS = 100
/** The longest a batch waits for one DFSP's first tries (and for a DFSP it has not heard from yet). */
export const FIRST_TRY_WAIT_MAX_MS = 500
/** RFC 6298's gains: the smoothed time moves 1/8 towards each answer, the deviation 1/4. */
const SMOOTHING_GAIN = 1 / 8
const DEVIATION_GAIN = 1 / 4
const DEVIATIONS_WAITED = 4

interface Answers {
  smoothed_ms: number
  deviation_ms: number
  slow: boolean
}

export interface AnswerTimes {
  /** A try of the DFSP ended (answered, refused or failed) after this long. */
  ended(recipient: string, elapsed_ms: number): void
  /** A try of the DFSP outlived the wait and was handed over. */
  outlived(recipient: string): void
  isSlow(recipient: string): boolean
  /** How long a batch waits for this DFSP's first tries. */
  wait_ms(recipient: string): number
  tracked(): number
}

export function createAnswerTimes(trackedMax: number = RECIPIENTS_TRACKED_MAX): AnswerTimes {
  const entries = new Map<string, Answers>()
  function remember(recipient: string, answers: Answers): void {
    entries.delete(recipient) // the most recently heard of is forgotten last
    if (entries.size >= trackedMax) entries.delete(entries.keys().next().value!)
    entries.set(recipient, answers)
  }
  return {
    ended(recipient, elapsed_ms) {
      const known = entries.get(recipient)
      if (elapsed_ms > FIRST_TRY_WAIT_MAX_MS) {
        remember(recipient, { smoothed_ms: known?.smoothed_ms ?? FIRST_TRY_WAIT_MAX_MS, deviation_ms: known?.deviation_ms ?? 0, slow: true })
        return
      }
      if (!known || known.smoothed_ms >= FIRST_TRY_WAIT_MAX_MS) {
        remember(recipient, { smoothed_ms: elapsed_ms, deviation_ms: elapsed_ms / 2, slow: false })
        return
      }
      const deviation_ms = (1 - DEVIATION_GAIN) * known.deviation_ms + DEVIATION_GAIN * Math.abs(known.smoothed_ms - elapsed_ms)
      const smoothed_ms = (1 - SMOOTHING_GAIN) * known.smoothed_ms + SMOOTHING_GAIN * elapsed_ms
      remember(recipient, { smoothed_ms, deviation_ms, slow: false })
    },
    outlived(recipient) {
      const known = entries.get(recipient)
      remember(recipient, { smoothed_ms: known?.smoothed_ms ?? FIRST_TRY_WAIT_MAX_MS, deviation_ms: known?.deviation_ms ?? 0, slow: true })
    },
    isSlow: (recipient) => entries.get(recipient)?.slow ?? false,
    wait_ms(recipient) {
      const known = entries.get(recipient)
      if (!known) return FIRST_TRY_WAIT_MAX_MS
      const wait_ms = known.smoothed_ms + DEVIATIONS_WAITED * known.deviation_ms
      return Math.round(Math.min(FIRST_TRY_WAIT_MAX_MS, Math.max(FIRST_TRY_WAIT_MIN_MS, wait_ms)))
    },
    tracked: () => entries.size,
  }
}
