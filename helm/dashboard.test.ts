// The chart's Grafana dashboard ships in a ConfigMap Grafana's sidecar loads (label grafana_dashboard), and
// every metric its PromQL reads is one the switch exports: the names come from the registry the switch's
// own code builds (createMetrics and the scrape gauges start-pipeline registers), not from a list here.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { parseAllDocuments } from 'yaml'
import { Counter, Gauge, Histogram, Summary } from 'prom-client'
import { createMetrics } from '../switch/observability/metrics.ts'
import { registerScrapeGauges } from '../switch/observability/scrape-gauges.ts'
import { scrapeSources } from '../switch/pipeline/scrape-sources.ts'
import { createMemoryBus } from '../switch/bus/memory-bus.ts'
import { silentLogger } from '../switch/observability/logger.ts'
import { openDb } from '../ledger/store/db.ts'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const chart = path.join(root, 'helm', 'agora')
const dashboardFile = path.join(chart, 'dashboards', 'agora.json')

interface Panel { type: string; title: string; targets?: { expr: string }[]; panels?: Panel[] }
const dashboard = JSON.parse(readFileSync(dashboardFile, 'utf8')) as { uid: string; panels: Panel[] }
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row')
const expressions = panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr))

const PROMQL_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan'])

/** The metric names a PromQL expression reads: identifiers that are not functions, aggregations, keywords,
 *  label names (in matchers or grouping clauses), strings or range durations. */
export function metricNamesOf(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
  const names: string[] = []
  for (const m of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const rest = bare.slice(m.index + m[0].length)
    if (/^\s*\(/.test(rest) || PROMQL_KEYWORDS.has(m[0].toLowerCase())) continue
    if (/[\d.]$/.test(bare.slice(0, m.index))) continue // the exponent or unit of a number literal
    names.push(m[0])
  }
  return names
}

/** Every series name the switch's registry exposes: a histogram's _bucket, _sum and _count, a summary's quantiles, _sum and _count. */
function exportedSeries(): Set<string> {
  const metrics = createMetrics()
  // The sources are only read on a scrape; this test never scrapes, so the pool never connects.
  const db = openDb({ host: '127.0.0.1', port: 1, user: 'none', password: 'none', database: 'none' })
  registerScrapeGauges(metrics, scrapeSources(createMemoryBus(), db, () => []), silentLogger())
  void db.destroy()
  const series = new Set<string>()
  for (const metric of metrics.registry.getMetricsAsArray()) {
    const name = (metric as unknown as { name: string }).name
    if (metric instanceof Histogram) for (const s of ['_bucket', '_sum', '_count']) series.add(`${name}${s}`)
    else if (metric instanceof Summary) for (const s of ['', '_sum', '_count']) series.add(`${name}${s}`)
    else if (metric instanceof Counter || metric instanceof Gauge) series.add(name)
    else assert.fail(`metric ${name} of a kind this test does not know`)
  }
  return series
}

test('the metric names of a PromQL expression are found, and nothing else', () => {
  assert.deepEqual(metricNamesOf('histogram_quantile(0.99, sum by (le, handler) (rate(agora_pipeline_batch_duration_seconds_bucket[$__rate_interval])))'), ['agora_pipeline_batch_duration_seconds_bucket'])
  assert.deepEqual(metricNamesOf('sum by (state) (rate(a_total{state!="COMMITTED", x=~"b|c"}[5m])) / on (state) group_left b_gauge offset 1h > 1e3'), ['a_total', 'b_gauge'])
})

test('every panel of the dashboard queries, and every metric it reads is one the switch exports', () => {
  assert.ok(panels.length >= 10, 'the dashboard has its panels')
  for (const p of panels) assert.ok((p.targets ?? []).length > 0, `panel "${p.title}" has a query`)
  const exported = exportedSeries()
  const read = new Set(expressions.flatMap(metricNamesOf))
  assert.ok(read.size >= 15, `the dashboard reads the switch's metrics (${[...read].join(', ')})`)
  const unknown = [...read].filter((n) => !exported.has(n))
  assert.deepEqual(unknown, [], `metrics the switch does not export; it exports ${[...exported].sort().join(', ')}`)
  for (const family of ['agora_pipeline_batch_size', 'agora_pipeline_batch_duration_seconds', 'agora_consumer_lag_messages', 'agora_outbox_unpublished_messages',
    'agora_callback_retries_total', 'agora_callback_dead_letters', 'agora_transfers_finished_total', 'agora_participant_net_debit_cap_used_ratio']) {
    assert.ok([...read].some((n) => n.startsWith(family)), `the dashboard shows ${family}`)
  }
})

test('the chart ships the dashboard as is in a ConfigMap labelled for Grafana\'s sidecar', () => {
  const helm = execFileSync('bash', [path.join(root, 'scripts', 'helm.sh')], { encoding: 'utf8', timeout: 600_000 }).trim()
  const out = execFileSync(helm, ['template', 'rel', chart, '--set', 'operators.existingJwksSecret=jwks', '--set', 'db.password=secret'], { encoding: 'utf8' })
  const manifests = parseAllDocuments(out).map((d) => d.toJSON()).filter(Boolean) as { kind: string; metadata: { name: string; labels?: Record<string, string> }; data?: Record<string, string> }[]
  const shipped = manifests.filter((m) => m.kind === 'ConfigMap' && m.metadata.labels?.grafana_dashboard === '1')
  assert.equal(shipped.length, 1)
  assert.deepEqual(JSON.parse(shipped[0]!.data!['agora.json']!), dashboard)
})
