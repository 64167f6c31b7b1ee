// Resident memory and CPU time of processes, from /proc (Linux).
import { readFileSync } from 'node:fs'

const CLOCK_TICKS_PER_S = 100

export function rssMb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))
    return line ? Math.round(Number(line.split(/\s+/)[1]) / 1024) : 0
  } catch {
    return 0
  }
}

/** User + system CPU seconds the process has used. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S
  } catch {
    return 0
  }
}

export function pidFromFile(file: string): number | undefined {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || undefined
  } catch {
    return undefined
  }
}

/** Samples the peak RSS of the processes every interval until stopped. */
export function watchRss(pids: Record<string, number | undefined>, interval_ms = 500) {
  const peak: Record<string, number> = {}
  const series: Record<string, number[]> = {}
  const sample = () => {
    for (const [name, pid] of Object.entries(pids)) {
      if (!pid) continue
      const mb = rssMb(pid)
      peak[name] = Math.max(peak[name] ?? 0, mb)
      ;(series[name] ??= []).push(mb)
    }
  }
  sample()
  const timer = setInterval(sample, interval_ms)
  return { peak, series, stop: () => { clearInterval(timer); sample() } }
}
