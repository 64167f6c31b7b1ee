// Who calls what costs: for the functions of a CPU profile matching a pattern, their inclusive time by the
// chain of callers above them (the outermost match only). Self time alone hides a cost spread over many
// small functions; this found the traced switch's require() resolutions (docs/performance.md, "Tracing").
// `node --import tsx bench/profile-callers.ts reports/bench-…/switch.cpuprofile 'prepare_stack_trace' [depth]`
import { readFileSync } from 'node:fs'

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[] }

/** [share of all samples, caller chain] for the outermost nodes matching `pattern` ("name file"), largest first. */
export function callerChains(profile: Profile, pattern: RegExp, depth = 6): [number, string][] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const self = new Map<number, number>()
  for (const s of profile.samples) self.set(s, (self.get(s) ?? 0) + 1)
  const inclusive = (id: number): number => (self.get(id) ?? 0) + (byId.get(id)!.children ?? []).reduce((sum, c) => sum + inclusive(c), 0)
  const label = (n: Node) => `${n.callFrame.functionName} ${n.callFrame.url.split('/').slice(-2).join('/')}`
  const frame = (n: Node) => `${n.callFrame.functionName || '(anonymous)'}@${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`
  const chains = new Map<string, number>()
  for (const n of profile.nodes) {
    if (!pattern.test(label(n))) continue
    let up = parent.get(n.id)
    let nested = false
    for (; up !== undefined; up = parent.get(up)) if (pattern.test(label(byId.get(up)!))) { nested = true; break }
    if (nested) continue
    const chain: string[] = []
    for (let id = parent.get(n.id), i = 0; id !== undefined && i < depth; id = parent.get(id), i++) chain.push(frame(byId.get(id)!))
    const key = chain.join(' < ')
    chains.set(key, (chains.get(key) ?? 0) + inclusive(n.id))
  }
  const total = Math.max(1, profile.samples.length)
  return [...chains].map(([chain, n]): [number, string] => [n / total, chain]).sort((a, b) => b[0] - a[0])
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, pattern, depth] = process.argv.slice(2)
  if (!file || !pattern) throw new Error('usage: profile-callers.ts FILE.cpuprofile PATTERN [depth]')
  for (const [share, chain] of callerChains(JSON.parse(readFileSync(file, 'utf8')) as Profile, new RegExp(pattern), Number(depth ?? 6)).slice(0, 15)) {
    console.log(`${(share * 100).toFixed(2)}%  ${chain}`)
  }
}
