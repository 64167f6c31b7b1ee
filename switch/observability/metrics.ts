// Prometheus metrics. One registry per process (or per app in tests), passed to whoever records.
// Counters and histograms are recorded where the work happens; the gauges of shared state (consumer lag,
// outbox backlog, callback retries, positions against net debit caps) are read when scraped
// (scrape-gauges.ts). The README's Observability section lists them; the chart's Grafana dashboard
// (helm/agora/dashboards/agora.json) uses only these (helm/dashboard.test.ts).
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export interface Metrics {
  readonly registry: Registry
  readonly httpRequests: Counter<'route' | 'method' | 'status'>
  readonly httpDuration: Histogram<'route' | 'method'>
  /** Messages in one fetch a pipeline handler took (its consumer group). */
  readonly batchSize: Histogram<'handler'>
  /** Time a pipeline handler took for one fetch, decode to committed and published. */
  readonly batchDuration: Histogram<'handler'>
  /** Transfers that reached a final state, by state and FSPIOP error code ("none" for COMMITTED). */
  readonly transfersFinished: Counter<'state' | 'error_code'>
  /** Retries of callbacks tried, by outcome: delivered, again (another retry due), dead (dead-lettered). */
  readonly callbackRetries: Counter<'outcome'>
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry()
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'agora_' })
  return {
    registry,
    httpRequests: new Counter({
      name: 'agora_http_requests_total',
      help: 'HTTP requests answered, by route, method and status',
      labelNames: ['route', 'method', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'agora_http_request_duration_seconds',
      help: 'Time to answer an HTTP request',
      labelNames: ['route', 'method'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'agora_pipeline_batch_size',
      help: 'Messages in one fetch handled by a pipeline handler',
      labelNames: ['handler'],
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers: [registry],
    }),
    batchDuration: new Histogram({
      name: 'agora_pipeline_batch_duration_seconds',
      help: 'Time a pipeline handler took for one fetch, until committed and its messages published',
      labelNames: ['handler'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    transfersFinished: new Counter({
      name: 'agora_transfers_finished_total',
      help: 'Transfers that reached a final state, by state and FSPIOP error code',
      labelNames: ['state', 'error_code'],
      registers: [registry],
    }),
    callbackRetries: new Counter({
      name: 'agora_callback_retries_total',
      help: 'Callback retries tried, by outcome (delivered, again, dead)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  }
}
