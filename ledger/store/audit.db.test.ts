// The audit log's hash chain on the real MariaDB: what an edit, an insertion or a deletion made directly in
// the database looks like to `verify`, which must find it and name the entry.
import { after, before, beforeEach, test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { canonicalJson, entryHash, GENESIS_HASH } from '../domain/audit-chain.ts'
import { chainHead, chainRowOf, recordAudit, verifyAuditChain } from './audit.ts'
import { down, up } from './migrations/20261202_0101_audit_hash_chain.ts'

let testDb: TestDb
before(async () => { testDb = await createTestDb('auditchain') })
after(async () => testDb.drop())
beforeEach(async () => {
  await testDb.db('audit_log').delete()
  await testDb.db('audit_chain_head').update({ seq: 0, hash: GENESIS_HASH })
})

async function fiveEntries(): Promise<void> {
  for (let i = 1; i <= 5; i++) await recordAudit(testDb.db, { actor: 'olga', action: 'funds.recordFundsIn', target: `bank-a/${i}`, detail: { amount: { amount: `${i}00`, currency: 'USD' } } })
}
const row = async (seq: number) => testDb.db('audit_log').where({ seq }).first()
/** What someone with write access to the database would do to forge a row that verifies on its own. */
async function rehash(seq: number, prevHash: string): Promise<string> {
  const r = chainRowOf(await row(seq))
  const hash = entryHash(prevHash, r)
  await testDb.db('audit_log').where({ seq }).update({ prev_hash: prevHash, hash })
  return hash
}

test('appends form one chain from the genesis hash to the head, and verify finds it intact', async () => {
  await fiveEntries()
  const rows = await testDb.db('audit_log').orderBy('seq')
  assert.deepEqual(rows.map((r) => Number(r.seq)), [1, 2, 3, 4, 5])
  assert.equal(rows[0].prev_hash, GENESIS_HASH)
  for (let i = 1; i < rows.length; i++) assert.equal(rows[i].prev_hash, rows[i - 1].hash)
  const head = await chainHead(testDb.db)
  assert.deepEqual(head, { seq: 5n, hash: rows[4].hash })
  const report = await verifyAuditChain(testDb.db)
  assert.equal(report.intact, true, JSON.stringify(report.problems))
  assert.equal(report.intactThroughSeq, '5')
  assert.equal(report.entries, 5)
})

test('an edited row is detected and named by seq and id', async () => {
  await fiveEntries()
  const edited = await row(3)
  await testDb.db('audit_log').where({ seq: 3 }).update({ detail: canonicalJson({ amount: { amount: '900000', currency: 'USD' } }) })
  const report = await verifyAuditChain(testDb.db)
  assert.equal(report.intact, false)
  assert.deepEqual(report.problems.map((p) => [p.kind, p.seq, p.id]), [['edited', '3', String(edited.id)]])
  assert.match(report.problems[0]!.message, /seq 3 .* was edited/)
  assert.equal(report.intactThroughSeq, '2')
  assert.equal(report.brokenAtSeq, '3')
})

test('an edited row whose hash was recomputed is detected: the next entry still links to the old hash', async () => {
  await fiveEntries()
  await testDb.db('audit_log').where({ seq: 2 }).update({ actor: 'someone-else' })
  await rehash(2, (await row(1)).hash)
  const report = await verifyAuditChain(testDb.db)
  assert.deepEqual(report.problems.map((p) => [p.kind, p.seq]), [['rewritten', '2']])
})

test('an edit of the time or the seq is detected too: both are hashed', async () => {
  await fiveEntries()
  await testDb.db('audit_log').where({ seq: 4 }).update({ created_at: new Date('2020-01-01T00:00:00.000Z') })
  const report = await verifyAuditChain(testDb.db)
  assert.deepEqual(report.problems.map((p) => [p.kind, p.seq]), [['edited', '4']])
})

test('a row inserted in the middle (later rows renumbered, its own hash forged) is detected and named', async () => {
  await fiveEntries()
  await testDb.db.raw('UPDATE audit_log SET seq = seq + 1 WHERE seq >= 3 ORDER BY seq DESC')
  const createdAt = new Date()
  const forged = { seq: 3n, actor: 'olga', action: 'funds.recordFundsOutCommit', target: 'bank-a/1', detail: null, createdAt }
  const prevHash = (await row(2)).hash
  const [id] = await testDb.db('audit_log').insert({ seq: 3, actor: forged.actor, action: forged.action, target: forged.target, created_at: createdAt, prev_hash: prevHash, hash: entryHash(prevHash, forged) })
  const report = await verifyAuditChain(testDb.db)
  assert.equal(report.intact, false)
  assert.deepEqual(report.problems[0], { kind: 'inserted', seq: '3', id: String(id), message: `seq 3 (id ${id}) was inserted: seq 4 (id ${(await row(4)).id}) links past it to seq 2` })
  assert.equal(report.brokenAtSeq, '3')
})

test('a row appended past the head without the chain\'s lock is detected as inserted', async () => {
  await fiveEntries()
  const last = await row(5)
  const forged = { seq: 6n, actor: 'mallory', action: 'funds.recordFundsIn', target: 'bank-a/2', detail: null, createdAt: new Date() }
  const [id] = await testDb.db('audit_log').insert({ seq: 6, actor: forged.actor, action: forged.action, target: forged.target, created_at: forged.createdAt, prev_hash: last.hash, hash: entryHash(last.hash, forged) })
  const report = await verifyAuditChain(testDb.db)
  assert.deepEqual(report.problems.map((p) => [p.kind, p.seq, p.id]), [['inserted', '6', String(id)]])
  assert.equal(report.intactThroughSeq, '5')
})

test('a deleted row is detected and named by its seq', async () => {
  await fiveEntries()
  await testDb.db('audit_log').where({ seq: 2 }).delete()
  const report = await verifyAuditChain(testDb.db)
  assert.deepEqual(report.problems.map((p) => [p.kind, p.seq]), [['deleted', '2']])
  assert.match(report.problems[0]!.message, /seq 2 missing: deleted/)
  assert.equal(report.intactThroughSeq, '1')
})

test('a deleted row hidden by renumbering the later ones is detected', async () => {
  await fiveEntries()
  await testDb.db('audit_log').where({ seq: 2 }).delete()
  await testDb.db.raw('UPDATE audit_log SET seq = seq - 1 WHERE seq > 2 ORDER BY seq')
  await testDb.db('audit_chain_head').update({ seq: 4 })
  const report = await verifyAuditChain(testDb.db)
  assert.equal(report.problems[0]!.kind, 'deleted')
  assert.equal(report.problems[0]!.seq, '2')
  assert.equal(report.brokenAtSeq, '2')
})

test('rows deleted from the end are detected against the head', async () => {
  await fiveEntries()
  await testDb.db('audit_log').where('seq', '>', 3).delete()
  const report = await verifyAuditChain(testDb.db)
  assert.deepEqual(report.problems.map((p) => [p.kind, p.seq]), [['deleted', '4']])
  assert.match(report.problems[0]!.message, /seq 4\.\.5 missing: deleted from the end/)
})

test('a chain rewritten from some seq to the head verifies on its own, but not against an anchor kept outside', async () => {
  await fiveEntries()
  const anchor = await chainHead(testDb.db)
  await testDb.db('audit_log').where({ seq: 3 }).update({ actor: 'someone-else' })
  let prev = (await row(2)).hash
  for (const seq of [3, 4, 5]) prev = await rehash(seq, prev)
  await testDb.db('audit_chain_head').update({ hash: prev })
  assert.equal((await verifyAuditChain(testDb.db)).intact, true, 'the database alone cannot tell')
  const report = await verifyAuditChain(testDb.db, anchor)
  assert.deepEqual(report.problems.map((p) => [p.kind, p.seq]), [['anchor-mismatch', '5']])
})

test('the migration chains the rows written before it, in id order', async () => {
  await down(testDb.db)
  try {
    for (const [actor, detail] of [['a', { z: 1, a: 2 }], ['b', null], ['c', { n: [1, { y: 'x', b: true }] }]] as const) {
      await testDb.db('audit_log').insert({ actor, action: 'participant.create', target: actor, detail: detail === null ? null : JSON.stringify(detail) })
    }
  } finally {
    await up(testDb.db)
  }
  const rows = await testDb.db('audit_log').orderBy('id')
  assert.deepEqual(rows.map((r) => [r.actor, Number(r.seq)]), [['a', 1], ['b', 2], ['c', 3]])
  assert.equal((await verifyAuditChain(testDb.db)).intact, true)
  await recordAudit(testDb.db, { actor: 'd', action: 'participant.create' })
  const report = await verifyAuditChain(testDb.db)
  assert.equal(report.intact, true, JSON.stringify(report.problems))
  assert.equal(report.head.seq, '4')
})
