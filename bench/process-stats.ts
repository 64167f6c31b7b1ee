// Resident memory and CPU time of processes, from /proc (Linux).
import { readFileSync } from 'node:fs'

const CLOCK_TICKS_PER_S = 100
export const RSS_SAMPLE_INTERVAL_MS = 500

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

export type Pids = Record<string, number | undefined>

/** CPU seconds of each process now; the difference of two is what a phase cost. */
export function cpuSnapshot(pids: Pids): Record<string, number> {
  return Object.fromEntries(Object.entries(pids).filter(([, pid]) => pid).map(([name, pid]) => [name, cpuSeconds(pid!)]))
}

/** CPU milliseconds per completed payment, per process and in total, between two snapshots. */
export function cpuPerPayment(before: Record<string, number>, after: Record<string, number>, completed: number): Record<string, number> {
  const per: Record<string, number> = {}
  let total = 0
  for (const [name, end] of Object.entries(after)) {
    const ms = ((end - (before[name] ?? end)) * 1000) / Math.max(1, completed)
    per[name] = Math.round(ms * 100) / 100
    total += ms
  }
  per.total = Math.round(total * 100) / 100
  return per
}

/** The processes a deployment of the switch runs (the load generator and the simulated DFSPs are not one of them). */
export const DEPLOYABLE_PROCESSES = ['switch', 'mariadb', 'kafka'] as const

/**
 * The deployable cost of a payment: CPU ms of the switch, MariaDB and Kafka together (what a deployment
 * pays, without the load generator and DFSPs that share the benchmark's machine), and the payments per
 * second one core carries at that cost. Undefined when one of them was not measured.
 */
export function deployableCpu(cpu_ms: Readonly<Record<string, number>>): { ms: number; perCore_per_s: number } | undefined {
  if (DEPLOYABLE_PROCESSES.some((p) => cpu_ms[p] === undefined)) return undefined
  const ms = DEPLOYABLE_PROCESSES.reduce((sum, p) => sum + cpu_ms[p]!, 0)
  return { ms: Math.round(ms * 100) / 100, perCore_per_s: ms > 0 ? Math.round(1000 / ms) : 0 }
}

/** Samples the RSS of the processes every interval until stopped: peak and series per process. */
export function watchRss(pids: Pids, interval_ms = RSS_SAMPLE_INTERVAL_MS) {
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

/**
 * Growth of a memory series over a soak: the mean of its last fifth against the mean of its second fifth
 * (after warm-up). A leak shows as growth that does not level off.
 */
export function rssGrowth(series: readonly number[]): { warm_mb: number; end_mb: number; growth_mb: number } {
  if (series.length < 5) return { warm_mb: series[0] ?? 0, end_mb: series.at(-1) ?? 0, growth_mb: (series.at(-1) ?? 0) - (series[0] ?? 0) }
  const fifth = Math.floor(series.length / 5)
  const mean = (xs: readonly number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length)
  const warm = mean(series.slice(fifth, 2 * fifth))
  const end = mean(series.slice(series.length - fifth))
  return { warm_mb: warm, end_mb: end, growth_mb: end - warm }
}
