// The pipeline store contract on the real MariaDB.
import { after, before } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { runPipelineStoreContract } from './pipeline-store.contract.ts'
import { createMySqlPipelineStore } from './mysql-pipeline-store.ts'

let testDb: TestDb
before(async () => { testDb = await createTestDb('ledgerport_store') })
after(async () => testDb.drop())

runPipelineStoreContract('MariaDB', async () => ({ store: createMySqlPipelineStore(testDb.db), pass: (ms) => sleep(ms) }))
