import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BATCH_BYTES_MAX, BATCH_MESSAGES_MAX, chunksOf, messageBytes, type OutMessage } from './batching-producer.ts'

const message = (i: number, valueBytes: number): OutMessage => ({ topic: 't', key: `k${i}`, value: 'x'.repeat(valueBytes), headers: { 'fspiop-source': 'payerfsp' } })

test('one send of more bytes than Kafka takes in a record batch goes out as chunks under BATCH_BYTES_MAX, in order', () => {
  const messages = Array.from({ length: 1_500 }, (_, i) => message(i, 1_500)) // about 2.3 MB, under the count bound
  const chunks = chunksOf(messages)
  assert.ok(chunks.length > 1)
  for (const chunk of chunks) assert.ok(chunk.reduce((n, m) => n + messageBytes(m), 0) <= BATCH_BYTES_MAX)
  assert.deepEqual(chunks.flat().map((m) => m.key), messages.map((m) => m.key))
})

test('small messages are cut at BATCH_MESSAGES_MAX', () => {
  const chunks = chunksOf(Array.from({ length: BATCH_MESSAGES_MAX + 1 }, (_, i) => message(i, 10)))
  assert.deepEqual(chunks.map((c) => c.length), [BATCH_MESSAGES_MAX, 1])
})
