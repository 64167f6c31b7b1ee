import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { createMysqlOracle, REGISTRATION_ROWS_PER_STATEMENT_MAX } from './oracle.ts'

let t: TestDb
before(async () => { t = await createTestDb('oracle_lookup_all') })
after(async () => { await t.drop() })

test('lookupAll answers, in order, the DFSP of each party or undefined for a party nobody holds, across several statements', async () => {
  const oracle = createMysqlOracle(t.db)
  const n = REGISTRATION_ROWS_PER_STATEMENT_MAX * 2 + 5
  const keys = Array.from({ length: n }, (_, i) => ({ type: 'MSISDN', id: `700${i}` }))
  await oracle.registerAll(keys.filter((_, i) => i % 3 === 0), 'dfsp-a')
  await oracle.registerAll(keys.filter((_, i) => i % 3 === 1), 'dfsp-b')
  await oracle.register({ type: 'MSISDN', id: '7001', subId: 'work' }, 'dfsp-c')
  const answers = await oracle.lookupAll([...keys, { type: 'MSISDN', id: '7001', subId: 'work' }])
  assert.deepEqual(answers.slice(0, 4), ['dfsp-a', 'dfsp-b', undefined, 'dfsp-a'])
  assert.equal(answers.filter((a) => a === undefined).length, keys.filter((_, i) => i % 3 === 2).length)
  assert.equal(answers.at(-1), 'dfsp-c')
  for (const [i, key] of keys.entries()) if (i % 97 === 0) assert.equal(answers[i], await oracle.lookup(key))
})
