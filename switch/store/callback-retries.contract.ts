// One contract for the callback retry stores (MariaDB: callback-retries.ts; memory: memory-callback-retries.ts):
// due rows, leases, fair claims across DFSPs, settling, and charging an open circuit's waiting rows.
import { before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { CallbackRetryStore } from './callback-retry-store.ts'

/** The store under test, and reads of what the interface does not answer. */
export interface CallbackRetriesUnderTest {
  store: CallbackRetryStore
  deadLetter(reference: string): Promise<{ reason: string; attempts: number; method: string; recipient: string } | undefined>
  waiting(): Promise<{ id: string; recipient: string; reference: string; attempts: number }[]>
  clear(): Promise<void>
}

export function runCallbackRetryContract(name: string, factory: () => Promise<CallbackRetriesUnderTest>): void {
  describe(`callback retry contract: ${name}`, () => {
    let t: CallbackRetriesUnderTest
    let store: CallbackRetryStore
    before(async () => {
      t = await factory()
      store = t.store
    })
    const at = (offset_ms: number) => new Date(Date.now() + offset_ms)
    const retry = (reference: string, dueAt: Date, recipient = 'dfsp') => ({ recipient, reference, payload: JSON.stringify({ to: recipient, method: 'PUT' }), attempts: 1, reason: 'answered 503', dueAt })
    const claimAll = async () => {
      const rows = await store.claimDue({ limit: 1_000, lease_ms: 30_000, now: new Date() })
      await store.settle({ delivered: rows.map((r) => r.id), again: [], dead: [] })
    }

    test('only due rows are claimed, and a claimed row is not claimed again while its lease runs', async () => {
      await store.schedule([retry('due', at(-1_000)), retry('later', at(60_000))])
      const claimed = await store.claimDue({ limit: 10, lease_ms: 30_000, now: new Date() })
      assert.deepEqual(claimed.map((r) => [r.reference, r.attempts]), [['due', 1]])
      assert.deepEqual(await store.claimDue({ limit: 10, lease_ms: 30_000, now: new Date() }), [])
      // A claimer that died: the row comes due again when the lease is over.
      const again = await store.claimDue({ limit: 10, lease_ms: 30_000, now: at(31_000) })
      assert.deepEqual(again.map((r) => r.reference), ['due'])
      await store.settle({ delivered: [again[0]!.id], again: [], dead: [] })
      assert.equal(await store.pending('due'), 0)
    })

    test('settling records each outcome: delivered rows go, failed ones come due later, given-up ones become dead letters', async () => {
      await store.schedule([retry('a', at(-1)), retry('b', at(-1)), retry('c', at(-1))])
      const [a, b, c] = await store.claimDue({ limit: 3, lease_ms: 30_000, now: new Date() })
      await store.settle({
        delivered: [a!.id],
        again: [{ id: b!.id, attempts: 2, reason: 'timed out', dueAt: at(-1) }],
        dead: [{ id: c!.id, letter: { recipient: 'dfsp', method: 'PUT', url: 'http://x', reference: 'c', payload: c!.payload, reason: 'answered 503', attempts: 5 } }],
      })
      const left = await store.claimDue({ limit: 10, lease_ms: 30_000, now: new Date() })
      assert.deepEqual(left.map((r) => [r.reference, r.attempts]), [['b', 2]])
      const dead = (await t.deadLetter('c'))!
      assert.deepEqual([dead.reason, dead.attempts], ['answered 503', 5])
      assert.equal(await store.pending('c'), 0)
    })

    test('a claim is shared round-robin across DFSPs: a DFSP with a long backlog does not fill it', async () => {
      await claimAll()
      // The backlog of one DFSP is older than the others' single retries.
      await store.schedule(Array.from({ length: 20 }, (_, i) => retry(`backlog-${i}`, at(-10_000 + i), 'down')))
      await store.schedule([retry('a-1', at(-1), 'a'), retry('b-1', at(-1), 'b'), retry('a-2', at(-1), 'a')])
      const claimed = await store.claimDue({ limit: 6, perRecipientMax: 2, lease_ms: 30_000, now: new Date() })
      const byRecipient = (r: string) => claimed.filter((c) => c.recipient === r).map((c) => c.reference)
      assert.deepEqual(byRecipient('a'), ['a-1', 'a-2'])
      assert.deepEqual(byRecipient('b'), ['b-1'])
      assert.deepEqual(byRecipient('down'), ['backlog-0', 'backlog-1'], 'the backlog gets its own two, oldest first')
      await store.settle({ delivered: claimed.map((c) => c.id), again: [], dead: [] })
      await claimAll()
    })

    test('a claim leaves out the DFSPs it is told to, and takes fewer of those given a lower limit (a probe)', async () => {
      await store.schedule([
        retry('open-1', at(-1), 'open'), retry('probe-1', at(-2), 'probing'), retry('probe-2', at(-1), 'probing'), retry('ok-1', at(-1), 'ok'), retry('ok-2', at(-1), 'ok'),
      ])
      const claimed = await store.claimDue({ limit: 10, perRecipientMax: 5, perRecipient: new Map([['probing', 1]]), exclude: ['open'], lease_ms: 30_000, now: new Date() })
      assert.deepEqual(claimed.map((c) => c.reference).sort(), ['ok-1', 'ok-2', 'probe-1'])
      await store.settle({ delivered: claimed.map((c) => c.id), again: [], dead: [] })
      await claimAll()
    })

    test('a deferred row keeps its tries and comes due at the time given', async () => {
      await store.schedule([retry('deferred', at(-1))])
      const [row] = await store.claimDue({ limit: 10, lease_ms: 30_000, now: new Date() })
      await store.settle({ delivered: [], again: [], dead: [], deferred: [{ id: row!.id, dueAt: at(-1) }] })
      const [again] = await store.claimDue({ limit: 10, lease_ms: 30_000, now: new Date() })
      assert.deepEqual([again!.reference, again!.attempts], ['deferred', 1])
      await store.settle({ delivered: [again!.id], again: [], dead: [] })
    })

    test('a failed probe charges each waiting retry of that DFSP one try; those at the last try become dead letters with the reason', async () => {
      const id = await store.scheduleOne({ ...retry('last-try', at(-1), 'down'), attempts: 4 })
      await store.schedule([retry('first-try', at(-1), 'down'), retry('later', at(60_000), 'down'), retry('other', at(-1), 'up')])
      const result = await store.chargeWaiting({ recipient: 'down', reason: 'PUT http://down answered 500', attemptsMax: 5, now: new Date(), dueAt: at(5_000), limit: 100 })
      assert.deepEqual(result, { charged: 1, deadLettered: 1 })
      const dead = (await t.deadLetter('last-try'))!
      assert.match(dead.reason, /circuit is open.*answered 500/)
      assert.deepEqual([dead.attempts, dead.method, dead.recipient], [5, 'PUT', 'down'])
      assert.equal((await t.waiting()).some((r) => r.id === id), false)
      const left = (await t.waiting()).filter((r) => ['down', 'up'].includes(r.recipient)).sort((a, b) => a.reference.localeCompare(b.reference))
      assert.deepEqual(left.map((r) => [r.reference, r.attempts]), [['first-try', 2], ['later', 1], ['other', 1]], 'only the DFSP\'s due rows are charged')
      await t.clear()
    })
  })
}
