import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { testAdminApp } from '../../test/support/apps.ts'
import { onboardDfsp, setupHub } from '../../test/support/fixtures.ts'
import { createParticipantChanges } from './participant-changes.ts'
import { createDirectory } from './directory.ts'

let testDb: TestDb
const DFSPS = Array.from({ length: 8 }, (_, i) => `dfsp${i}`)

before(async () => {
  testDb = await createTestDb('directory')
  const admin = await testAdminApp(testDb.db)
  await setupHub(admin, 'USD')
  for (const name of DFSPS) await onboardDfsp(admin, { name, ndc: '1000', fundsIn: '0', endpointBase: `http://127.0.0.1:1/${name}` })
  await admin.close()
})
after(async () => testDb.drop())

test('the participant directory holds at most entriesMax names, however many names are asked for, known or not', async () => {
  const directory = createDirectory(testDb.db, createParticipantChanges(), { entriesMax: 3 })
  for (let i = 0; i < 500; i++) {
    await directory.get(i % 2 === 0 ? DFSPS[i % DFSPS.length]! : `no-such-dfsp-${i}`)
    assert.ok(directory.cachedEntries <= 3, `${directory.cachedEntries} entries cached`)
  }
  directory.close()
})

test('a bounded directory still answers every name correctly: names dropped from the cache are read again', async () => {
  const directory = createDirectory(testDb.db, createParticipantChanges(), { entriesMax: 2 })
  for (let round = 0; round < 3; round++) {
    for (const name of DFSPS) {
      const p = await directory.get(name)
      assert.equal(p?.name, name)
      assert.equal(p?.endpoints.get('FSPIOP_CALLBACK_URL_TRANSFER_POST')?.startsWith(`http://127.0.0.1:1/${name}`), true)
      assert.equal(p?.accounts.get('USD:POSITION')?.isActive, true)
    }
    assert.equal(await directory.get('no-such-dfsp'), undefined)
  }
  directory.close()
})
