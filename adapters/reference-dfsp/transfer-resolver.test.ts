import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { NOT_FOUND_FINAL_AFTER_EXPIRATION_MS, TransferResolver } from './transfer-resolver.ts'

function resolver(opts: { failing?: boolean } = {}) {
  const pending = new Set<string>(['t1'])
  const asked: string[] = []
  const r = new TransferResolver({
    askState: async (id) => { asked.push(id); if (opts.failing) throw new Error('connection refused') },
    isPending: (id) => pending.has(id),
    backoffFirst_ms: 5, backoffMax_ms: 20,
  })
  return { r, pending, asked }
}

test('a tracked transfer not final by its time is asked for again and again, failed GETs included, until it is final', async () => {
  const { r, pending, asked } = resolver({ failing: true })
  r.track('t1', Date.now() + 60_000, 0)
  while (asked.length < 3) await sleep(5)
  pending.delete('t1')
  r.settled('t1')
  const after = asked.length
  await sleep(50)
  assert.equal(asked.length, after, 'no GET once the books have it final')
  assert.equal(r.statesAsked, after)
  assert.equal(r.unresolvedCount, 0)
  r.close()
})

test('a transfer final before its time is never asked for', async () => {
  const { r, pending, asked } = resolver()
  r.track('t1', Date.now() + 60_000, 20)
  pending.delete('t1')
  r.settled('t1')
  await sleep(40)
  assert.deepEqual(asked, [])
  r.close()
})

test('3208 means "never happened" only when the switch looked (the 3208\'s Date) long enough after the expiration, whenever it arrives', () => {
  const { r } = resolver()
  const expiration_ms = Date.now()
  r.track('t1', expiration_ms, 60_000)
  assert.ok(!r.notFoundIsFinal('t1', expiration_ms + NOT_FOUND_FINAL_AFTER_EXPIRATION_MS))
  assert.ok(r.notFoundIsFinal('t1', expiration_ms + NOT_FOUND_FINAL_AFTER_EXPIRATION_MS + 1))
  assert.ok(!r.notFoundIsFinal('t1', expiration_ms - 1_000), 'a 3208 made before the expiration, delivered late (retried), says nothing: the prepare may have been on its way')
  assert.ok(!r.notFoundIsFinal('unknown', expiration_ms + 60_000), 'a transfer the DFSP does not wait for')
  r.close()
})
