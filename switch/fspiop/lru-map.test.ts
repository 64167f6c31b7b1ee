import { test } from 'node:test'
import assert from 'node:assert/strict'
import { LruMap } from './lru-map.ts'

test('an LruMap never holds more than entriesMax entries, however many keys are added', () => {
  const map = new LruMap<string, number>(100)
  for (let i = 0; i < 10_000; i++) {
    map.set(`key-${i}`, i)
    assert.ok(map.size <= 100)
  }
  assert.equal(map.size, 100)
})

test('a full LruMap drops the least recently used entry, and a read counts as a use', () => {
  const map = new LruMap<string, number>(3)
  map.set('a', 1); map.set('b', 2); map.set('c', 3)
  assert.equal(map.get('a'), 1) // a is now the most recent; b the least
  map.set('d', 4)
  assert.equal(map.get('b'), undefined)
  assert.deepEqual([map.get('a'), map.get('c'), map.get('d')], [1, 3, 4])
})

test('an LruMap answers every key it still holds with the value last set for it', () => {
  const map = new LruMap<number, number>(50)
  for (let i = 0; i < 1_000; i++) map.set(i % 70, i)
  let held = 0
  for (let k = 0; k < 70; k++) {
    const value = map.get(k)
    if (value === undefined) continue
    held++
    assert.equal(value % 70, k)
    assert.ok(value >= 1_000 - 70, `key ${k} holds the last value written for it`)
  }
  assert.equal(held, 50)
})

test('an LruMap needs room for at least one entry', () => {
  assert.throws(() => new LruMap(0), /at least 1/)
})
