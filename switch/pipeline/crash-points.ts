// Fault injection for the crash suite (test/faults): at an armed point the process kills itself with
// SIGKILL, as a power cut or the OOM killer would, so the suite can crash it exactly between a DB commit
// and a publish, or a publish and an offset commit. Unarmed (production), a point is a call that returns.
import type { Config, CrashPointName } from '../config/config.ts'

export type CrashPoint = (point: CrashPointName) => void

export const noCrashPoints: CrashPoint = () => {}

export function crashPoints(crash: Config['crash']): CrashPoint {
  if (!crash) return noCrashPoints
  let left = crash.countdown
  return (point) => {
    if (point === crash.point && --left <= 0) process.kill(process.pid, 'SIGKILL')
  }
}
