import { test } from 'node:test'
import assert from 'node:assert/strict'
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Books } from './books.ts'
import { BooksJournal, readEntries, replay } from './books-journal.ts'

function opened(balance = '100'): Books {
  const books = new Books()
  books.open('alice', balance)
  return books
}

test('books replayed from their journal are the books that wrote it, with what was pending and its expiration', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'agora-books-'))
  const file = path.join(dir, 'books.jsonl')
  try {
    const first = BooksJournal.open(file)
    assert.deepEqual(first.entries, [])
    first.journal.append({ kind: 'hold', transferId: 't1', customer: 'alice', amount: '10', expiration_ms: 1_000 })
    first.journal.append({ kind: 'hold', transferId: 't2', customer: 'alice', amount: '5', expiration_ms: 2_000 })
    first.journal.append({ kind: 'expect', transferId: 't3', customer: 'alice', amount: '7.5', expiration_ms: 3_000 })
    first.journal.append({ kind: 'final', transferId: 't1', state: 'COMMITTED' })
    first.journal.append({ kind: 'final', transferId: 't3', state: 'COMMITTED' })
    first.journal.close()
    const again = BooksJournal.open(file)
    const books = opened()
    assert.deepEqual([...replay(books, again.entries)], [['t2', 2_000]])
    again.journal.close()
    assert.deepEqual(books.accounts.get('alice'), { balance: 975_000n, held: 50_000n, incoming: 0n })
    assert.equal(books.finals.get('t1')?.state, 'COMMITTED')
    assert.ok(books.isPending('t2'))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a last line cut short by a crash is ignored; a broken line before it is an error', () => {
  const whole = '{"kind":"final","transferId":"t1","state":"ABORTED"}\n'
  assert.deepEqual(readEntries(`${whole}{"kind":"ho`), [{ kind: 'final', transferId: 't1', state: 'ABORTED' }])
  assert.throws(() => readEntries(`{"kind":"ho\n${whole}`), /line 1 is not JSON/)
  const dir = mkdtempSync(path.join(tmpdir(), 'agora-books-'))
  try {
    appendFileSync(path.join(dir, 'b.jsonl'), `${whole}{"kind":"ho`)
    const { journal, entries } = BooksJournal.open(path.join(dir, 'b.jsonl'))
    assert.equal(entries.length, 1)
    journal.append({ kind: 'final', transferId: 't2', state: 'COMMITTED' })
    journal.close()
    const reopened = BooksJournal.open(path.join(dir, 'b.jsonl'))
    reopened.journal.close()
    assert.equal(reopened.entries.length, 2, 'the torn line was cut off before the next one')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a journal that does not replay over the opening balances is refused, not half applied silently', () => {
  assert.throws(() => replay(opened('1'), [{ kind: 'hold', transferId: 't1', customer: 'alice', amount: '10', expiration_ms: 0 }]), /does not replay/)
})
