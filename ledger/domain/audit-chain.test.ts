import { test } from 'node:test'
import assert from 'node:assert/strict'
import { canonicalJson, createChainWalker, entryHash, GENESIS_HASH, type ChainRow } from './audit-chain.ts'

test('canonical JSON sorts keys at every level and drops undefined members, so equal values hash equally', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, { z: null, y: 'x' }], c: undefined } }), '{"a":{"d":[1,{"y":"x","z":null}]},"b":1}')
  assert.equal(canonicalJson(undefined), 'null')
  const at = new Date('2026-12-02T06:00:00.123Z')
  const entry = { seq: 1n, actor: 'olga', action: 'a', target: null, detail: { x: 1, y: 2 }, createdAt: at }
  assert.equal(entryHash(GENESIS_HASH, entry), entryHash(GENESIS_HASH, { ...entry, detail: { y: 2, x: 1 } }))
  assert.notEqual(entryHash(GENESIS_HASH, entry), entryHash(GENESIS_HASH, { ...entry, createdAt: new Date(at.getTime() + 1) }))
})

test('a chain with no entries and a head at seq 0 is intact', () => {
  const report = createChainWalker({ seq: 0n, hash: GENESIS_HASH }).finish()
  assert.deepEqual([report.intact, report.intactThroughSeq, report.brokenAtSeq], [true, '0', null])
})

test('a first entry that does not start from the genesis hash is named', () => {
  const fields = { seq: 1n, actor: 'x', action: 'a', target: null, detail: null, createdAt: new Date(0) }
  const prevHash = 'f'.repeat(64)
  const row: ChainRow = { ...fields, id: 1n, prevHash, hash: entryHash(prevHash, fields) }
  const walker = createChainWalker({ seq: 1n, hash: row.hash })
  walker.add(row)
  assert.deepEqual(walker.finish().problems.map((p) => [p.kind, p.seq]), [['edited', '1']])
})
