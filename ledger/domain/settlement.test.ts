import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { canAdvance, settlementStateOf, stepEntries } from './settlement.ts'

test('accounts advance one state at a time and can be aborted only before commit', () => {
  assert.ok(canAdvance('PENDING_SETTLEMENT', 'PS_TRANSFERS_RECORDED'))
  assert.ok(!canAdvance('PENDING_SETTLEMENT', 'PS_TRANSFERS_RESERVED'))
  assert.ok(canAdvance('PS_TRANSFERS_COMMITTED', 'SETTLED'))
  assert.ok(!canAdvance('SETTLED', 'PS_TRANSFERS_COMMITTED'))
  assert.ok(canAdvance('PS_TRANSFERS_RESERVED', 'ABORTED'))
  assert.ok(!canAdvance('PS_TRANSFERS_COMMITTED', 'ABORTED'))
  assert.ok(!canAdvance('ABORTED', 'PENDING_SETTLEMENT'))
})

test('a settlement is as far as its least advanced account', () => {
  assert.equal(settlementStateOf(['PS_TRANSFERS_RESERVED', 'PS_TRANSFERS_RECORDED']), 'PS_TRANSFERS_RECORDED')
  assert.equal(settlementStateOf(['SETTLED', 'SETTLED']), 'SETTLED')
  assert.equal(settlementStateOf(['SETTLED', 'ABORTED']), 'ABORTED')
})

test('property: every step entry balances, and after commit each DFSP moved exactly its net', () => {
  fc.assert(fc.property(fc.array(fc.bigInt({ min: -1_000_000n, max: 1_000_000n }), { minLength: 1, maxLength: 8 }), (nets) => {
    const balances = new Map<number, bigint>()
    nets.forEach((net, i) => {
      const accounts = { position: i * 2, settlement: i * 2 + 1, hubMultilateral: -1 }
      for (const to of ['PS_TRANSFERS_RESERVED', 'PS_TRANSFERS_COMMITTED'] as const) {
        for (const entry of stepEntries(to, net, accounts)) {
          assert.equal(entry.lines.reduce((s, l) => s + l.amount, 0n), 0n)
          for (const l of entry.lines) balances.set(l.accountId, (balances.get(l.accountId) ?? 0n) + l.amount)
        }
      }
      assert.equal(balances.get(i * 2) ?? 0n, -net, 'position reset by the net')
      assert.equal(balances.get(i * 2 + 1) ?? 0n, net, 'settlement funds moved by the net')
    })
    assert.equal(balances.get(-1) ?? 0n, 0n, 'the hub account nets to zero')
  }))
})
