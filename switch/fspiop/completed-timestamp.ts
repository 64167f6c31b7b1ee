// ml-api-adapter refuses a fulfil whose completedTimestamp is in the future (beyond a small clock
// tolerance) or older than the longest a fulfil may take, synchronously with 3100 (lib/validator.js).
import { FspiopError } from './errors.ts'

export interface CompletedTimestampLimits {
  ahead_ms_max: number
  behind_s_max: number
}

export function checkCompletedTimestamp(value: string | undefined, limits: CompletedTimestampLimits, now_ms = Date.now()): void {
  if (value === undefined) return
  const at_ms = Date.parse(value)
  if (at_ms > now_ms + limits.ahead_ms_max) throw new FspiopError('3100', 'completedTimestamp fails because future timestamp was provided')
  if (at_ms < now_ms - limits.behind_s_max * 1000) throw new FspiopError('3100', 'completedTimestamp fails because provided timestamp exceeded the maximum timeout duration')
}
