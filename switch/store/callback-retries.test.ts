// The callback retry contract on the real MariaDB.
import { after, before } from 'node:test'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { runCallbackRetryContract } from './callback-retries.contract.ts'
import { mysqlCallbackRetries } from './callback-retries.ts'

let testDb: TestDb

before(async () => {
  testDb = await createTestDb('outbox_retries')
})
after(async () => testDb.drop())

runCallbackRetryContract('MariaDB', async () => ({
  store: mysqlCallbackRetries(testDb.db),
  deadLetter: async (reference) => testDb.db('callback_dead_letter').where({ reference }).first(),
  waiting: async () => (await testDb.db('callback_retry').select('id', 'recipient', 'reference', 'attempts'))
    .map((r: { id: number; recipient: string; reference: string; attempts: number }) => ({ ...r, id: String(r.id) })),
  clear: async () => { await testDb.db('callback_retry').delete() },
}))
