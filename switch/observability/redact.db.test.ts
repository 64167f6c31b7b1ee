import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { redactPartyPaths, redactSqlText, serializeError } from './redact.ts'

let testDb: TestDb
before(async () => { testDb = await createTestDb('redact') })
after(async () => testDb.drop())

test('party identifiers leave FSPIOP paths, the route and other ids stay', () => {
  assert.equal(redactPartyPaths('GET http://dfsp/parties/MSISDN/255123456'), 'GET http://dfsp/parties/MSISDN/{ID}')
  assert.equal(redactPartyPaths('/parties/IBAN/TZ12345/sub-1/error'), '/parties/IBAN/{ID}/{SubId}/error')
  assert.equal(redactPartyPaths('/participants/MSISDN/255123456/error'), '/participants/MSISDN/{ID}/error')
  assert.equal(redactPartyPaths('/participants/bank-a/accounts/3 and /transfers/3f6b-1'), '/participants/bank-a/accounts/3 and /transfers/3f6b-1')
})

test('SQL text loses its values', () => {
  assert.equal(redactSqlText("insert into `t` (`a`, `b`) values ('AQ==', 5) - Duplicate entry 'AQ==' for key 'PRIMARY'"), "insert into `t` (`a`, `b`) values (…) - Duplicate entry '…' for key '…'")
})

test('a database error is logged without the values its statement or message quote', async () => {
  await testDb.db('participant').insert({ name: '255700111222', is_hub: false, created_by: 't' })
  const error = await testDb.db('participant').insert({ name: '255700111222', is_hub: false, created_by: 't' }).catch((e: unknown) => e)
  assert.match(String((error as Error).message), /255700111222/, 'knex and MariaDB quote the value')
  const logged = JSON.stringify(serializeError(error))
  assert.doesNotMatch(logged, /255700111222/)
  assert.match(logged, /Duplicate entry/)
})
