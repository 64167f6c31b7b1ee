import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { AdminClient } from '../admin-client/admin-client.ts'
import { ReferenceDfsp } from '../../adapters/reference-dfsp/reference-dfsp.ts'
import { booksTotals, reconcileBooks } from './reconcile.ts'

const positions = (values: Record<string, string>) =>
  ({ request: async (_m: string, path: string) => ({ value: values[path.split('/')[2]!] }) }) as unknown as AdminClient

test('a DFSP whose books moved as its position did agrees; one that did not is reported', async () => {
  const payer = new ReferenceDfsp({ name: 'p', secret: 's', switchUrl: 'http://127.0.0.1:9', customers: [{ idType: 'MSISDN', id: 'a', name: 'A', balance: '100' }] })
  const payee = new ReferenceDfsp({ name: 'q', secret: 's', switchUrl: 'http://127.0.0.1:9', customers: [{ idType: 'MSISDN', id: 'b', name: 'B', balance: '0' }] })
  const initial = booksTotals([payer, payee])
  payer.books.hold('t1', 'a', '12.5')
  payer.books.settleHold('t1')
  payee.books.expectCredit('t1', 'b', '12.5')
  payee.books.bookCredit('t1')
  assert.deepEqual(await reconcileBooks(positions({ p: '12.5', q: '-12.5' }), [payer, payee], initial, 'USD'), [])
  const problems = await reconcileBooks(positions({ p: '13', q: '-12.5' }), [payer, payee], initial, 'USD')
  assert.equal(problems.length, 1)
  assert.match(problems[0]!, /^p: position at the switch 13/)
  payee.books.expectCredit('t2', 'b', '1')
  assert.match((await reconcileBooks(positions({ p: '12.5', q: '-12.5' }), [payer, payee], initial, 'USD'))[0]!, /q: 1 transfers still held or expected/)
  await payer.close()
  await payee.close()
})
