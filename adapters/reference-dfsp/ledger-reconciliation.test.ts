import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Books } from './books.ts'
import { reconcileWithLedger, type LedgerTransfer, type LedgerView } from './ledger-reconciliation.ts'
import type { TransferState } from '../../ledger/domain/transfer-state.ts'
import { toUnits } from '../../ledger/domain/money.ts'

function ledgerOf(transfers: LedgerTransfer[], position: string): LedgerView {
  return { transfersOf: async () => transfers, positionOf: async () => toUnits(position) }
}
const paid = (id: string, amount: string, state: TransferState, payerFsp = 'bank', payeeFsp = 'wallet'): LedgerTransfer => ({ id, payerFsp, payeeFsp, amount, state })

/** A bank that paid t1 (10, committed), had t2 aborted, received t3 (4, committed) and sent t4 that never reached the switch. */
function bankBooks(): Books {
  const books = new Books()
  books.open('a', '100')
  for (const [id, amount] of [['t1', '10'], ['t2', '7'], ['t4', '1']] as const) books.hold(id, 'a', amount)
  books.settleHold('t1')
  books.releaseHold('t2')
  books.releaseHold('t4')
  books.expectCredit('t3', 'a', '4')
  books.bookCredit('t3')
  return books
}
const agreeing = [paid('t1', '10.0000', 'COMMITTED'), paid('t2', '7', 'EXPIRED'), paid('t3', '4', 'COMMITTED', 'wallet', 'bank')]

test('books whose final states and net match the ledger reconcile; an aborted transfer may be EXPIRED or absent in the ledger', async () => {
  assert.deepEqual(await reconcileWithLedger({ name: 'bank', books: bankBooks() }, ledgerOf(agreeing, '6'), { currency: 'USD' }), [])
  assert.deepEqual(await reconcileWithLedger({ name: 'bank', books: bankBooks() }, ledgerOf(agreeing, '16'), { currency: 'USD', positionAtStart: toUnits('10') }), [])
})

test('each way the books can disagree with the ledger is reported', async () => {
  const books = bankBooks()
  books.hold('t5', 'a', '1')
  books.finish('t1', 'ABORTED')
  const ledger = ledgerOf([
    paid('t1', '10', 'COMMITTED'), paid('t2', '7', 'COMMITTED'), paid('t3', '4', 'COMMITTED', 'wallet', 'bank'),
    paid('t6', '2', 'RESERVED'), paid('t7', '3', 'COMMITTED'),
  ], '9')
  const problems = await reconcileWithLedger({ name: 'bank', books }, ledger, { currency: 'USD' })
  assert.equal(problems.length, 6, problems.join('\n'))
  assert.match(problems[0]!, /^bank: 1 transfers still pending in its books: t5$/)
  assert.match(problems[1]!, /^bank: 1 transfers final in its books otherwise than in the ledger: t2 \(books payer ABORTED 7, ledger COMMITTED 7 bank→wallet\)$/)
  assert.match(problems[2]!, /^bank: 1 transfers not final in the ledger: t6 \(RESERVED\)$/)
  assert.match(problems[3]!, /^bank: 1 transfers COMMITTED in the ledger its books do not have: t7/)
  assert.match(problems[4]!, /^bank: its books booked 6 USD paid out net, its position in the ledger moved 9$/)
  assert.match(problems[5]!, /^bank: 1 final states reported against the one booked: t1 \(booked COMMITTED, reported ABORTED\)$/)
})

test('a committed transfer booked with another amount or on the other side does not reconcile', async () => {
  const wrongAmount = await reconcileWithLedger({ name: 'bank', books: bankBooks() }, ledgerOf([paid('t1', '11', 'COMMITTED'), ...agreeing.slice(1)], '6'), { currency: 'USD' })
  assert.match(wrongAmount.join('\n'), /t1 \(books payer COMMITTED 10, ledger COMMITTED 11 bank→wallet\)/)
  const wrongSide = await reconcileWithLedger({ name: 'bank', books: bankBooks() }, ledgerOf([paid('t1', '10', 'COMMITTED', 'wallet', 'bank'), ...agreeing.slice(1)], '6'), { currency: 'USD' })
  assert.match(wrongSide.join('\n'), /t1 \(books payer COMMITTED 10, ledger COMMITTED 10 wallet→bank\)/)
})
