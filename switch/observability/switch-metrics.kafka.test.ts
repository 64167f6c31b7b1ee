// A real switch (MariaDB, Kafka, the pipeline) after a few transfers: /metrics shows each handler's batch
// sizes and times, transfers by final state and error code, callback retries and dead letters, the outbox
// backlog, consumer lag and each DFSP's position against its net debit cap; and the log has one line per
// transfer state change, with the transfer id.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import pino from 'pino'
import { startSwitchWithDfsps, type DfspPair } from '../../test/support/dfsp-pair.ts'
import { fulfil, newTransfer, prepare, reject } from '../../test/support/fspiop-client.ts'
import { loggerOptions } from './logger.ts'
import { TRANSFER_STATE_MESSAGE } from './transfer-state-log.ts'

interface Sample { name: string; labels: Record<string, string>; value: number }

function parseExposition(text: string): Sample[] {
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map((line) => {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    assert.ok(m, `exposition line ${line}`)
    const labels: Record<string, string> = {}
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!
    return { name: m[1]!, labels, value: Number(m[3]) }
  })
}

const lines: Record<string, unknown>[] = []
let pair: DfspPair
const scrape = async () => parseExposition((await pair.sw.api.inject({ method: 'GET', url: '/metrics' })).body)
const valuesOf = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).map((s) => s.value)
const group = (name: string) => `${pair.sw.bus.topicPrefix}${name}`

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const v = await read()
    if (ok(v)) return v
    if (i >= 200) assert.fail(`${what}: got ${JSON.stringify(v)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const committed = newTransfer('payerfsp', 'payeefsp', '100')
const rejected = newTransfer('payerfsp', 'payeefsp', '50')
const overCap = newTransfer('payerfsp', 'payeefsp', '2000')
const undelivered = newTransfer('payerfsp', 'payeefsp', '30.5')

before(async () => {
  const log = pino(loggerOptions('info'), { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>) } })
  pair = await startSwitchWithDfsps('metrics', ['payerfsp', 'payeefsp'], { ndc: '1000', fundsIn: '5000', log })
  const { sw, payer, payee } = pair
  // The payer's first try of the commit callback fails (500): the retrier delivers it.
  payer.failFirstTry((c) => c.method === 'PUT' && c.path === `/transfers/${committed.transferId}`, 500)
  assert.equal((await prepare(sw.apiUrl, committed)).status, 202)
  await payee.waitFor((c) => c.method === 'POST' && c.body.transferId === committed.transferId)
  await fulfil(sw.apiUrl, committed)
  await payer.waitFor((c) => c.method === 'PUT' && c.path === `/transfers/${committed.transferId}`)
  await prepare(sw.apiUrl, rejected)
  await payee.waitFor((c) => c.method === 'POST' && c.body.transferId === rejected.transferId)
  await reject(sw.apiUrl, rejected, '5104')
  await payer.waitFor((c) => c.path === `/transfers/${rejected.transferId}/error`)
  await prepare(sw.apiUrl, overCap)
  await payer.waitFor((c) => c.path === `/transfers/${overCap.transferId}/error`)
  // The payee refuses the forwarded prepare (400): dead-lettered at once; the transfer stays RESERVED.
  payee.answerWith(400)
  await prepare(sw.apiUrl, undelivered)
  await until('the refused prepare dead-lettered', () => sw.testDb.db('callback_dead_letter').where({ reference: undelivered.transferId }).first(), Boolean)
})
after(async () => pair.stop())

test('each pipeline handler records its batches: sizes and times, counted', async () => {
  const samples = await scrape()
  for (const handler of [group('position'), group('notification')]) {
    const [count] = valuesOf(samples, 'agora_pipeline_batch_size_count', { handler })
    const [messages] = valuesOf(samples, 'agora_pipeline_batch_size_sum', { handler })
    const [timed] = valuesOf(samples, 'agora_pipeline_batch_duration_seconds_count', { handler })
    assert.ok(count! > 0, `${handler} handled batches`)
    assert.ok(messages! >= count!, `${handler}: a batch has at least one message`)
    assert.equal(timed, count, `${handler}: every batch timed`)
  }
  // Position: 4 prepares and 2 answers from the payee.
  assert.equal(valuesOf(samples, 'agora_pipeline_batch_size_sum', { handler: group('position') })[0], 6)
})

test('transfers are counted by final state and error code', async () => {
  const samples = await scrape()
  assert.deepEqual(valuesOf(samples, 'agora_transfers_finished_total', { state: 'COMMITTED', error_code: 'none' }), [1])
  assert.deepEqual(valuesOf(samples, 'agora_transfers_finished_total', { state: 'ABORTED', error_code: '5104' }), [1])
  assert.deepEqual(valuesOf(samples, 'agora_transfers_finished_total', { state: 'ABORTED', error_code: '4200' }), [1], 'over the net debit cap: payer limit error')
  assert.equal(valuesOf(samples, 'agora_transfers_finished_total').reduce((a, b) => a + b, 0), 3, 'the RESERVED transfer is not final')
})

test('each DFSP\'s position, reservations and net debit cap are the ledger\'s', async () => {
  const samples = await scrape()
  const payer = { participant: 'payerfsp', currency: 'USD' }
  const payee = { participant: 'payeefsp', currency: 'USD' }
  assert.deepEqual(valuesOf(samples, 'agora_participant_position', payer), [100])
  assert.deepEqual(valuesOf(samples, 'agora_participant_reserved', payer), [30.5])
  assert.deepEqual(valuesOf(samples, 'agora_participant_net_debit_cap', payer), [1000])
  assert.deepEqual(valuesOf(samples, 'agora_participant_net_debit_cap_used_ratio', payer), [0.1305])
  assert.deepEqual(valuesOf(samples, 'agora_participant_position', payee), [-100])
  assert.deepEqual(valuesOf(samples, 'agora_participant_position', { participant: 'Hub' }), [], 'the hub is no DFSP')
})

test('callback retries and dead letters are counted', async () => {
  const samples = await scrape()
  assert.deepEqual(valuesOf(samples, 'agora_callback_retries_total', { outcome: 'delivered' }), [1], 'the commit callback delivered at its retry')
  assert.deepEqual(valuesOf(samples, 'agora_callback_dead_letters'), [1])
  assert.deepEqual(valuesOf(samples, 'agora_callback_retries_waiting'), [0])
})

test('the outbox backlog counts rows committed and not yet published', async () => {
  const db = pair.sw.testDb.db
  await until('outbox published', async () => valuesOf(await scrape(), 'agora_outbox_unpublished_messages'), (v) => v[0] === 0)
  const row = await db('outbox').orderBy('id', 'desc').first()
  await db('outbox').where({ id: row.id }).update({ published_at: null })
  const samples = await scrape()
  await db('outbox').where({ id: row.id }).update({ published_at: db.fn.now(3) })
  assert.deepEqual(valuesOf(samples, 'agora_outbox_unpublished_messages'), [1])
  assert.ok(valuesOf(samples, 'agora_outbox_oldest_unpublished_seconds')[0]! > 0)
})

test('consumer lag is per group and topic-partition, and nothing is left once the switch is idle', async () => {
  const samples = await until('consumers caught up', scrape, (s) => valuesOf(s, 'agora_consumer_lag_messages').every((v) => v === 0))
  const prepareTopic = pair.sw.bus.topic('transfer.prepare')
  const partitions = samples.filter((s) => s.name === 'agora_consumer_lag_messages' && s.labels.group === group('position') && s.labels.topic === prepareTopic).map((s) => s.labels.partition).sort()
  assert.deepEqual(partitions, ['0', '1'], 'one gauge per partition of the prepare topic')
  assert.ok(samples.some((s) => s.name === 'agora_consumer_lag_messages' && s.labels.group === group('notification')))
})

test('one log line per transfer state change, with the transfer id, state, error code, payer and payee', () => {
  const changes = (id: string) => lines.filter((l) => l.msg === TRANSFER_STATE_MESSAGE && l.transferId === id)
  const states = (id: string) => changes(id).map((l) => `${l.state}${l.errorCode ? `:${l.errorCode}` : ''}`)
  assert.deepEqual(states(committed.transferId), ['RECEIVED', 'RESERVED', 'COMMITTED'])
  assert.deepEqual(states(rejected.transferId), ['RECEIVED', 'RESERVED', 'ABORTED:5104'])
  assert.deepEqual(states(overCap.transferId), ['RECEIVED', 'ABORTED:4200'])
  assert.deepEqual(states(undelivered.transferId), ['RECEIVED', 'RESERVED'])
  for (const l of changes(committed.transferId)) assert.deepEqual([l.payerFsp, l.payeeFsp, l.currency, l.level], ['payerfsp', 'payeefsp', 'USD', 30])
})
