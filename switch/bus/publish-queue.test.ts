// The publish queue's promises to the API: a bounded queue (a full one refuses a request's messages at
// once), a bounded wait (refused at publishBy), and a refused message that was still queued is never sent.
// Kafka is played by a sendBatch the test completes by hand.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createPublishQueue, PUBLISH_TIMEOUT_MS, PublishRefused, type SendBatch } from './publish-queue.ts'

function manualKafka() {
  const batches: { messages: string[]; done: () => void; fail: (e: Error) => void }[] = []
  const sendBatch: SendBatch = (topicMessages) => new Promise<void>((resolve, reject) => {
    batches.push({ messages: topicMessages.flatMap((t) => t.messages.map((m) => m.value)), done: resolve, fail: reject })
  })
  return { batches, sendBatch, sent: () => batches.flatMap((b) => b.messages) }
}
const message = (value: string) => ({ topic: 't', key: 'k', value })
const settled = <T>(p: Promise<T>) => p.then(() => 'resolved', (e: Error) => (e instanceof PublishRefused ? e.reason : e.message))
const tick = () => new Promise((resolve) => setTimeout(resolve, 5))

test('a request\'s messages are refused at once (saturated) when the queue holds its maximum; the pipeline\'s own still queue', async () => {
  const kafka = manualKafka()
  const queue = createPublishQueue(kafka.sendBatch, { queuedMessagesMax: 3, batchMessagesMax: 2 })
  queue.connected()
  const far = Date.now() + 60_000
  const accepted = [queue.send([message('a'), message('b')], { publishBy: far }), queue.send([message('c')], { publishBy: far })]
  await tick()
  assert.equal(await settled(queue.send([message('d')], { publishBy: far })), 'saturated', '2 in flight + 1 queued = 3: a fourth is refused')
  const internal = queue.send([message('e')])
  assert.deepEqual(queue.status(), { connected: true, queued: 2, inFlight: 2, inFlightSince: queue.status().inFlightSince })
  kafka.batches[0]!.done()
  await tick()
  const roomAgain = queue.send([message('f')], { publishBy: far }) // c and e in flight: f makes 3
  kafka.batches[1]!.done()
  await tick()
  kafka.batches[2]!.done()
  assert.deepEqual(await Promise.all([...accepted, internal, roomAgain].map(settled)), ['resolved', 'resolved', 'resolved', 'resolved'])
  assert.deepEqual(kafka.sent(), ['a', 'b', 'c', 'e', 'f'], 'the refused d never went out')
})

test('a request\'s message still queued at its publishBy is refused (timed-out) and withdrawn: it is never sent', async () => {
  const kafka = manualKafka()
  const queue = createPublishQueue(kafka.sendBatch, { batchMessagesMax: 1 })
  queue.connected()
  const first = queue.send([message('in-flight')], { publishBy: Date.now() + 60_000 })
  await tick()
  const late = queue.send([message('queued')], { publishBy: Date.now() + 20 })
  assert.equal(await settled(late), 'timed-out')
  kafka.batches[0]!.done()
  assert.equal(await settled(first), 'resolved')
  await tick()
  assert.deepEqual(kafka.sent(), ['in-flight'], 'the withdrawn message did not follow')
  assert.equal(queue.status().queued, 0)
})

test('a request\'s message in flight at its publishBy is refused then, whatever Kafka answers later', async () => {
  const kafka = manualKafka()
  const queue = createPublishQueue(kafka.sendBatch)
  queue.connected()
  const refused = queue.send([message('slow')], { publishBy: Date.now() + 20 })
  await tick()
  assert.equal(kafka.batches.length, 1, 'handed to Kafka')
  assert.equal(await settled(refused), 'timed-out')
  kafka.batches[0]!.done() // the late acknowledgement changes nothing for the request
  assert.equal(await settled(refused), 'timed-out')
})

test('while Kafka has held a batch longer than the publish bound, a request is refused at once (stalled); the pipeline\'s own still queue', async (t) => {
  t.mock.timers.enable({ apis: ['Date', 'setTimeout'] })
  const kafka = manualKafka()
  const queue = createPublishQueue(kafka.sendBatch)
  queue.connected()
  const internal = queue.send([message('held')])
  t.mock.timers.tick(0)
  await Promise.resolve()
  assert.equal(kafka.batches.length, 1, 'in flight')
  t.mock.timers.tick(PUBLISH_TIMEOUT_MS + 1)
  assert.equal(await settled(queue.send([message('request')], { publishBy: Date.now() + PUBLISH_TIMEOUT_MS })), 'stalled')
  const alsoInternal = queue.send([message('next')])
  kafka.batches[0]!.done()
  assert.equal(await settled(internal), 'resolved')
  t.mock.timers.tick(0)
  await Promise.resolve()
  kafka.batches[1]!.done()
  assert.equal(await settled(alsoInternal), 'resolved')
  assert.deepEqual(kafka.sent(), ['held', 'next'])
})

test('before Kafka is connected nothing goes out; a request waits until its publishBy (not-connected), the pipeline\'s own until connected', async () => {
  const kafka = manualKafka()
  const queue = createPublishQueue(kafka.sendBatch)
  const request = queue.send([message('request')], { publishBy: Date.now() + 20 })
  const internal = queue.send([message('internal')])
  assert.equal(await settled(request), 'not-connected')
  assert.equal(kafka.batches.length, 0)
  assert.equal(queue.status().queued, 1, 'the refused message left the queue at once (an outage does not fill it with refused requests)')
  queue.connected()
  await tick()
  kafka.batches[0]!.done()
  assert.equal(await settled(internal), 'resolved')
  assert.deepEqual(kafka.sent(), ['internal'], 'the refused request was withdrawn')
})

test('a failed batch rejects each of its sends with Kafka\'s error; later sends go out in the next batch', async () => {
  const kafka = manualKafka()
  const queue = createPublishQueue(kafka.sendBatch)
  queue.connected()
  const failing = queue.send([message('x')])
  await tick()
  kafka.batches[0]!.fail(new Error('NOT_LEADER'))
  assert.equal(await settled(failing), 'NOT_LEADER')
  const next = queue.send([message('y')])
  await tick()
  kafka.batches[1]!.done()
  assert.equal(await settled(next), 'resolved')
})

test('a send larger than a batch goes out in order over several batches, each within the byte bound, and resolves once Kafka has them all', async () => {
  const kafka = manualKafka()
  const queue = createPublishQueue(kafka.sendBatch, { batchBytesMax: 1_000 })
  queue.connected()
  const values = Array.from({ length: 10 }, (_, i) => `${i}`.padEnd(300, '.'))
  const backlog = queue.send(values.map(message))
  const after = queue.send([message('next')])
  for (let acknowledged = 0; acknowledged < 20; acknowledged++) { // Kafka acknowledges each batch as it comes
    await tick()
    kafka.batches[acknowledged]?.done()
  }
  assert.deepEqual(await Promise.all([backlog, after].map(settled)), ['resolved', 'resolved'])
  assert.deepEqual(kafka.sent(), [...values, 'next'], 'in order, nothing twice')
  assert.ok(kafka.batches.length >= 4, `10 messages of about 330 bytes under a 1,000-byte bound take at least 4 batches, not ${kafka.batches.length}`)
  for (const b of kafka.batches) assert.ok(b.messages.reduce((n, v) => n + v.length, 0) <= 1_000, 'each batch within the bound')
})

test('when Kafka refuses one batch of a send that spans several, the send fails and its rest is not sent; the next send goes out', async () => {
  const kafka = manualKafka()
  const queue = createPublishQueue(kafka.sendBatch, { batchMessagesMax: 2 })
  queue.connected()
  const spanning = queue.send(['a', 'b', 'c', 'd', 'e'].map(message))
  await tick()
  kafka.batches[0]!.done()
  await tick()
  kafka.batches[1]!.fail(new Error('refused'))
  assert.equal(await settled(spanning), 'refused')
  const next = queue.send([message('f')])
  await tick()
  kafka.batches[2]!.done()
  assert.equal(await settled(next), 'resolved')
  assert.deepEqual(kafka.sent(), ['a', 'b', 'c', 'd', 'f'], 'e, the rest of the refused send, never went out')
  assert.equal(queue.status().queued, 0)
})
