// Where a CPU profile's time goes: self time by package (node_modules/<name>, the project's own folders,
// node internals, GC, idle) and the functions with the most self time.
// `node --import tsx bench/profile-summary.ts reports/bench-…/switch.cpuprofile [top]`
import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

export interface ProfileSummary {
  total_ms: number
  byArea: [string, number][]
  byFunction: [string, number][]
}

/** The area a frame belongs to: a package, a folder of the project, node internals, or a VM state. */
export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)'
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg) return pkg[1]!
  if (url.startsWith('node:')) return 'node internals'
  const own = /\/(ledger|switch|adapters|bench|test)\/([^/]+)/.exec(url)
  return own ? `${own[1]}/${own[2]!.replace(/\.ts$/, '')}` : url
}

export function summarise(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const area = new Map<string, number>()
  const fn = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000
    const node = byId.get(id)
    if (!node) return
    total += ms
    const { url, functionName, lineNumber } = node.callFrame
    const a = areaOf(url, functionName)
    area.set(a, (area.get(a) ?? 0) + ms)
    const f = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*\/(node_modules|work\/main)\//, '')}:${lineNumber + 1}` : ''}`.trim()
    fn.set(f, (fn.get(f) ?? 0) + ms)
  })
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1])
  return { total_ms: total, byArea: sorted(area), byFunction: sorted(fn) }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, top = '25'] = process.argv.slice(2)
  if (!file) throw new Error('usage: profile-summary.ts FILE.cpuprofile [top]')
  const s = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile)
  const pct = (ms: number) => `${((100 * ms) / s.total_ms).toFixed(1).padStart(5)}%`
  console.log(`${file}: ${(s.total_ms / 1000).toFixed(1)} s sampled\n\nby area (self time):`)
  for (const [a, ms] of s.byArea.slice(0, Number(top))) console.log(`  ${pct(ms)}  ${a}`)
  console.log('\nby function (self time):')
  for (const [f, ms] of s.byFunction.slice(0, Number(top))) console.log(`  ${pct(ms)}  ${f}`)
}
