// One contract for the pipeline stores (MariaDB: mysql-pipeline-store.ts; memory: memory-pipeline-store.ts):
// a unit of work spans the ledger and the switch's tables, all or nothing; offsets, the outbox and quotes.
import { before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { PipelineStore } from './pipeline-store.ts'
import type { TransferRow } from '../../ledger/ledger-port.ts'
import type { QuoteRow } from './quotes.ts'
import type { BulkQuoteRow, BulkTransferRow } from './bulk.ts'

export interface PipelineStoreUnderTest {
  store: PipelineStore
  /** Lets this much time pass (MariaDB: waits; memory: moves the clock). */
  pass(ms: number): Promise<void>
}

let ids = 0
const nextId = (prefix: string) => `${prefix}-0000-4000-8000-${String(++ids).padStart(12, '0')}`

export function runPipelineStoreContract(name: string, factory: () => Promise<PipelineStoreUnderTest>): void {
  describe(`pipeline store contract: ${name}`, () => {
    let t: PipelineStoreUnderTest
    before(async () => { t = await factory() })

    test('a unit of work stores ledger rows, offsets and outbox rows together; one that throws stores none of them', async () => {
      const kept = transfer(nextId('aaaaaaaa'))
      const lost = transfer(nextId('bbbbbbbb'))
      const [stored] = await t.store.batch(async ({ ledger, pipeline }) => {
        await ledger.saveTransfers([kept])
        await pipeline.storeNextOffset('contract', 'prepare', 0, 5n)
        return pipeline.addToOutbox([{ topic: 'notification', key: 'payerfsp', payload: 'kept' }])
      })
      await assert.rejects(t.store.batch(async ({ ledger, pipeline }) => {
        await ledger.saveTransfers([lost])
        await pipeline.storeNextOffset('contract', 'prepare', 0, 9n)
        await pipeline.addToOutbox([{ topic: 'notification', key: 'payerfsp', payload: 'lost' }])
        throw new Error('the handler failed')
      }), /the handler failed/)
      await t.store.batch(async ({ ledger, pipeline }) => {
        assert.equal((await ledger.findTransfer(kept.id))?.id, kept.id)
        assert.equal(await ledger.findTransfer(lost.id), undefined)
        assert.equal(await pipeline.lockNextOffset('contract', 'prepare', 0), 5n)
        assert.equal(await pipeline.lockNextOffset('contract', 'prepare', 1), undefined)
      })
      await t.pass(20)
      const stale = await t.store.transaction(({ pipeline }) => pipeline.claimStaleOutbox(10, 1_000))
      assert.deepEqual(stale.filter((r) => r.payload === 'kept' || r.payload === 'lost').map((r) => r.id), [stored!.id])
      await t.store.markPublished([stored!.id])
    })

    test('outbox rows get ids in their order; rows published are not claimed by the relay, stale unpublished ones are', async () => {
      const rows = await t.store.batch(({ pipeline }) => pipeline.addToOutbox(['one', 'two', 'three'].map((payload) => ({ topic: 'notification', key: 'k', payload }))))
      assert.deepEqual(rows.map((r) => r.payload), ['one', 'two', 'three'])
      assert.ok(BigInt(rows[0]!.id) < BigInt(rows[1]!.id) && BigInt(rows[1]!.id) < BigInt(rows[2]!.id))
      await t.store.markPublished([rows[0]!.id])
      assert.deepEqual((await t.store.transaction(({ pipeline }) => pipeline.claimStaleOutbox(60_000, 1_000))).filter((r) => rows.some((o) => o.id === r.id)), [], 'not stale yet')
      await t.pass(20)
      const stale = await t.store.transaction(async ({ pipeline }) => {
        const claimed = await pipeline.claimStaleOutbox(10, 1_000)
        await pipeline.markPublished(claimed.map((r) => r.id))
        return claimed
      })
      assert.deepEqual(stale.filter((r) => rows.some((o) => o.id === r.id)).map((r) => r.payload), ['two', 'three'])
      assert.deepEqual(await t.store.transaction(({ pipeline }) => pipeline.claimStaleOutbox(10, 1_000)), [], 'marked published')
    })

    test('quotes are inserted, locked and answered', async () => {
      const quote: QuoteRow = {
        id: nextId('cccccccc'), transaction_id: nextId('dddddddd'), payer_fsp: 'payerfsp', payee_fsp: 'payeefsp', amount: '10.0000', currency: 'USD',
        amount_type: 'SEND', expiration: null, state: 'RECEIVED', request_hash: 'r'.repeat(64), fspiop_version: '1.1',
      }
      await t.store.batch(({ pipeline }) => pipeline.insertQuotes([quote]))
      await t.store.batch(async ({ pipeline }) => {
        const locked = await pipeline.lockQuotes([quote.id, 'absent'])
        assert.deepEqual([...locked.keys()], [quote.id])
        assert.equal(locked.get(quote.id)!.response_hash ?? null, null)
        await pipeline.answerQuotes([{ id: quote.id, state: 'ACCEPTED', response_hash: 'a'.repeat(64), response: '{"error":false}' }])
      })
      const answered = (await t.store.batch(({ pipeline }) => pipeline.lockQuotes([quote.id]))).get(quote.id)!
      assert.deepEqual([answered.state, answered.response_hash, answered.response, answered.request_hash], ['ACCEPTED', 'a'.repeat(64), '{"error":false}', 'r'.repeat(64)])
      await assert.rejects(t.store.batch(({ pipeline }) => pipeline.insertQuotes([quote])), 'a quote id is stored once')
    })

    test('bulk transfers are inserted with their items, found by an item, locked and updated; bulk quotes too', async () => {
      const bulkId = nextId('cccccccc')
      const items = [nextId('dddddddd'), nextId('dddddddd')]
      const row: BulkTransferRow = {
        id: bulkId, payer_fsp: 'payerfsp', payee_fsp: 'payeefsp', payer_account_id: 7, state: 'ACCEPTED', origin: 'fspiop', expiration: new Date('2030-01-01T00:00:00Z'),
        prepare_hash: 'h', fulfil_hash: null, transfer_ids: JSON.stringify(items), refused: '[]', result: null, fspiop_version: '1.1', payer_accept_version: '1.1', completed_at: null,
      }
      await t.store.batch(({ pipeline }) => pipeline.saveBulkTransfers([row], items.map((transfer_id) => ({ transfer_id, bulk_transfer_id: bulkId }))))
      await t.store.batch(async ({ pipeline }) => {
        assert.deepEqual([...(await pipeline.bulkIdsOfTransfers([items[1]!, 'no-such-transfer'])).entries()], [[items[1], bulkId]])
        const locked = (await pipeline.lockBulkTransfers([bulkId])).get(bulkId)!
        assert.deepEqual({ ...locked, expiration: locked.expiration.toISOString() }, { ...row, expiration: row.expiration.toISOString() })
        await pipeline.saveBulkTransfers([{ ...locked, state: 'COMPLETED', fulfil_hash: 'f', result: '{}', completed_at: new Date('2030-01-01T00:00:01Z') }], [])
      })
      const done = await t.store.batch(async ({ pipeline }) => (await pipeline.lockBulkTransfers([bulkId])).get(bulkId)!)
      assert.deepEqual([done.state, done.fulfil_hash, done.result, done.prepare_hash], ['COMPLETED', 'f', '{}', 'h'])
      const quote: BulkQuoteRow = { id: nextId('eeeeeeee'), payer_fsp: 'payerfsp', payee_fsp: 'payeefsp', state: 'RECEIVED', origin: 'switch', request_hash: 'r', response_hash: null, response: null, fspiop_version: '1.1' }
      await t.store.batch(({ pipeline }) => pipeline.saveBulkQuotes([quote]))
      await t.store.batch(({ pipeline }) => pipeline.saveBulkQuotes([{ ...quote, state: 'ACCEPTED', response_hash: 's', response: '{"error":false}' }]))
      const answered = await t.store.batch(async ({ pipeline }) => (await pipeline.lockBulkQuotes([quote.id])).get(quote.id))
      assert.deepEqual(answered, { ...quote, state: 'ACCEPTED', response_hash: 's', response: '{"error":false}' })
    })
  })
}

function transfer(id: string): TransferRow {
  return {
    id, payer_fsp: 'payerfsp', payee_fsp: 'payeefsp', payer_account_id: 1, payee_account_id: 2, amount: '1.0000', currency: 'USD', ilp_condition: 'c'.repeat(43),
    ilp_packet: 'packet', expiration: new Date('2030-01-01T00:00:00Z'), state: 'RECEIVED', prepare_hash: 'h'.repeat(64), fulfil_hash: null, fulfilment: null,
    error_code: null, error_description: null, extension_list: null, settlement_window_id: null, completed_at: null, fspiop_version: '1.1',
    payer_accept_version: null, payee_wants_patch: false,
  }
}
