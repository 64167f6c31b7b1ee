// The load test's HTML report: self-contained, with inline SVG plots of throughput over time and the
// latency distribution of each phase.
import type { LoadTestResult } from './loadtest.ts'

const W = 720
const H = 200

function esc(s: unknown): string {
  return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
}

function throughputSvg(perSecond: readonly number[]): string {
  const max = Math.max(1, ...perSecond)
  const step = W / Math.max(1, perSecond.length - 1)
  const points = perSecond.map((v, i) => `${(i * step).toFixed(1)},${(H - (v / max) * (H - 20)).toFixed(1)}`).join(' ')
  return `<svg width="${W + 60}" height="${H + 30}" role="img" aria-label="throughput"><g transform="translate(50,5)">
<polyline fill="none" stroke="#1d3557" stroke-width="2" points="${points}"/>
<line x1="0" y1="${H}" x2="${W}" y2="${H}" stroke="#999"/><text x="-45" y="15" font-size="11">${max}/s</text><text x="${W - 40}" y="${H + 20}" font-size="11">${perSecond.length} s</text></g></svg>`
}

function histogramSvg(values: readonly number[]): string {
  if (values.length === 0) return '<p>no samples</p>'
  const sorted = [...values].sort((a, b) => a - b)
  const top = sorted[Math.floor(sorted.length * 0.999)] ?? sorted.at(-1)!
  const bins = 40
  const width = Math.max(top / bins, 0.1)
  const counts = new Array(bins).fill(0)
  for (const v of sorted) counts[Math.min(bins - 1, Math.floor(v / width))]++
  const max = Math.max(...counts)
  const bw = W / bins
  return `<svg width="${W + 60}" height="${H + 30}" role="img" aria-label="latency"><g transform="translate(50,5)">${counts
    .map((c, i) => `<rect x="${(i * bw).toFixed(1)}" y="${(H - (c / max) * (H - 10)).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${((c / max) * (H - 10)).toFixed(1)}" fill="#457b9d"><title>${(i * width).toFixed(1)}–${((i + 1) * width).toFixed(1)} ms: ${c}</title></rect>`)
    .join('')}<line x1="0" y1="${H}" x2="${W}" y2="${H}" stroke="#999"/><text x="0" y="${H + 20}" font-size="11">0 ms</text><text x="${W - 60}" y="${H + 20}" font-size="11">${top.toFixed(0)} ms</text></g></svg>`
}

export function htmlReport(result: LoadTestResult, latencies: ReadonlyMap<string, number[]>): string {
  const phases = Object.entries(result.phases)
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Agora load test ${esc(result.startedAt)}</title>
<style>body{font:14px system-ui,sans-serif;margin:20px;color:#1d2330}table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}th:first-child,td:first-child{text-align:left}</style></head><body>
<h1>Agora load test</h1>
<p>${esc(result.flow)} flow, ${esc(result.dfsps)} DFSPs${result.skew ? `, ${Math.round(result.skew * 100)}% from the first` : ''}, ${result.rate ? `open model at ${esc(result.rate)}/s` : `${esc(result.concurrency)} concurrent`}, ${esc(result.duration_s)} s. Started ${esc(result.startedAt)}.</p>
<table><tr><th>completed</th><th>errors</th><th>offered</th><th>throughput (first request to last completion)</th><th>invariant violations</th></tr>
<tr><td>${result.completed}</td><td>${result.errors}</td><td>${result.offered_per_s}/s</td><td>${result.throughput_per_s}/s over ${result.window_s} s</td><td>${result.invariantViolations.length}</td></tr></table>
<h2>Throughput over time</h2>${throughputSvg(result.perSecond)}
<h2>Latency by phase</h2><table><tr><th>phase</th><th>count</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th></tr>
${phases.map(([name, s]) => `<tr><td>${esc(name)}</td><td>${s.count}</td><td>${s.p50_ms}</td><td>${s.p95_ms}</td><td>${s.p99_ms}</td><td>${s.max_ms}</td></tr>`).join('')}</table>
${phases.map(([name]) => `<h3>${esc(name)}</h3>${histogramSvg(latencies.get(name) ?? [])}`).join('')}
${Object.keys(result.errorsByCode).length ? `<h2>Errors</h2><ul>${Object.entries(result.errorsByCode).map(([c, n]) => `<li>${esc(c)}: ${n}</li>`).join('')}</ul>` : ''}
${result.invariantViolations.length ? `<h2>Invariant violations</h2><ul>${result.invariantViolations.map((v) => `<li>${esc(v)}</li>`).join('')}</ul>` : '<p>Ledger invariants: all hold.</p>'}
${result.booksMismatches.length ? `<h2>DFSP books against the switch</h2><ul>${result.booksMismatches.map((v) => `<li>${esc(v)}</li>`).join('')}</ul>` : '<p>DFSP books: each agrees with its position at the switch.</p>'}
</body></html>`
}
