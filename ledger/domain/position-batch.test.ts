import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { applyPositionBatch, type PositionAccount, type PositionOp } from './position-batch.ts'

const acc = (id: number, o: Partial<PositionAccount> = {}): PositionAccount => ({ id, value: 0n, reserved: 0n, ndc: 1000n, liquidity: 5000n, ...o })

test('a reservation within the NDC and liquidity is accepted and held', () => {
  const a = acc(1)
  assert.deepEqual(applyPositionBatch(new Map([[1, a]]), [{ kind: 'reserve', payer: 1, amount: 600n }]), [{ ok: true }])
  assert.equal(a.reserved, 600n)
})

test('reservations in one batch shrink the headroom of the next (the Mojaloop bug does not happen)', () => {
  const a = acc(1, { ndc: 1000n })
  const results = applyPositionBatch(new Map([[1, a]]), [
    { kind: 'reserve', payer: 1, amount: 600n },
    { kind: 'reserve', payer: 1, amount: 600n },
    { kind: 'reserve', payer: 1, amount: 400n },
  ])
  assert.deepEqual(results, [{ ok: true }, { ok: false, code: '4200' }, { ok: true }])
  assert.equal(a.reserved, 1000n)
})

test('4001 when liquidity is short, 4200 when the NDC is, 4200 when no NDC is set', () => {
  const accounts = new Map([[1, acc(1, { ndc: 10_000n, liquidity: 500n })], [2, acc(2, { liquidity: undefined, ndc: 100n })], [3, acc(3, { ndc: undefined })]])
  assert.deepEqual(applyPositionBatch(accounts, [
    { kind: 'reserve', payer: 1, amount: 501n },
    { kind: 'reserve', payer: 2, amount: 101n },
    { kind: 'reserve', payer: 3, amount: 1n },
  ]), [{ ok: false, code: '4001' }, { ok: false, code: '4200' }, { ok: false, code: '4200' }])
})

test('commit moves the reservation into the payer position and credits the payee; release frees it', () => {
  const payer = acc(1)
  const payee = acc(2)
  const accounts = new Map([[1, payer], [2, payee]])
  applyPositionBatch(accounts, [
    { kind: 'reserve', payer: 1, amount: 300n },
    { kind: 'reserve', payer: 1, amount: 200n },
    { kind: 'commit', payer: 1, payee: 2, amount: 300n },
    { kind: 'release', payer: 1, amount: 200n },
  ])
  assert.deepEqual([payer.value, payer.reserved, payee.value, payee.reserved], [300n, 0n, -300n, 0n])
})

test('a commit frees headroom for the payee: received funds can be sent on', () => {
  const a = acc(1, { ndc: 100n, liquidity: undefined })
  const b = acc(2, { ndc: 100n, liquidity: undefined })
  const accounts = new Map([[1, a], [2, b]])
  const results = applyPositionBatch(accounts, [
    { kind: 'reserve', payer: 1, amount: 100n },
    { kind: 'commit', payer: 1, payee: 2, amount: 100n },
    { kind: 'reserve', payer: 2, amount: 200n },
  ])
  assert.deepEqual(results.map((r) => r.ok), [true, true, true])
})

test('releasing more than is held is a bug and throws', () => {
  assert.throws(() => applyPositionBatch(new Map([[1, acc(1)]]), [{ kind: 'release', payer: 1, amount: 1n }]), /holds 0/)
})

// Random batches against random caps: the invariants hold at every step, and the batch gives the same
// answers as applying the operations one at a time.
const scenario = fc.record({
  accounts: fc.array(fc.record({ ndc: fc.option(fc.bigInt({ min: 0n, max: 10_000n }), { nil: undefined }), liquidity: fc.option(fc.bigInt({ min: 0n, max: 10_000n }), { nil: undefined }) }), { minLength: 1, maxLength: 5 }),
  steps: fc.array(fc.record({ payer: fc.nat(), payee: fc.nat(), amount: fc.bigInt({ min: 1n, max: 3_000n }), outcome: fc.constantFrom('commit', 'release', 'hold') }), { maxLength: 60 }),
})

function build(s: { accounts: { ndc?: bigint; liquidity?: bigint }[] }) {
  return new Map(s.accounts.map((a, id) => [id, { id, value: 0n, reserved: 0n, ndc: a.ndc, liquidity: a.liquidity } as PositionAccount]))
}

function opsOf(s: { accounts: unknown[]; steps: { payer: number; payee: number; amount: bigint; outcome: string }[] }, accepted: (i: number) => boolean): PositionOp[] {
  const n = s.accounts.length
  const ops: PositionOp[] = s.steps.map((st) => ({ kind: 'reserve', payer: st.payer % n, amount: st.amount }))
  s.steps.forEach((st, i) => {
    if (!accepted(i) || st.outcome === 'hold') return
    ops.push(st.outcome === 'commit' ? { kind: 'commit', payer: st.payer % n, payee: st.payee % n, amount: st.amount } : { kind: 'release', payer: st.payer % n, amount: st.amount })
  })
  return ops
}

test('property: exposure never exceeds NDC or liquidity at a step that reserves, and money is conserved', () => {
  fc.assert(fc.property(scenario, (s) => {
    const accounts = build(s)
    const reserveResults = applyPositionBatch(accounts, opsOf({ ...s, steps: s.steps }, () => false))
    for (const [i, r] of reserveResults.entries()) {
      const payer = accounts.get(s.steps[i]!.payer % s.accounts.length)!
      if (r.ok) assert.ok(payer.ndc !== undefined && payer.value + payer.reserved <= payer.ndc && (payer.liquidity === undefined || payer.value + payer.reserved <= payer.liquidity))
    }
    const finals = opsOf(s, (i) => reserveResults[i]!.ok).slice(s.steps.length)
    applyPositionBatch(accounts, finals)
    const total = [...accounts.values()].reduce((sum, a) => sum + a.value, 0n)
    assert.equal(total, 0n, 'committed positions sum to zero')
    const held = s.steps.reduce((sum, st, i) => sum + (reserveResults[i]!.ok && st.outcome === 'hold' ? st.amount : 0n), 0n)
    assert.equal([...accounts.values()].reduce((sum, a) => sum + a.reserved, 0n), held, 'reserved equals what is still held')
  }), { numRuns: 500 })
})

test('property: one batch decides exactly as applying the operations one by one', () => {
  fc.assert(fc.property(scenario, (s) => {
    const ops = opsOf(s, () => false)
    const batched = applyPositionBatch(build(s), ops)
    const single = build(s)
    const oneByOne = ops.map((op) => applyPositionBatch(single, [op])[0])
    assert.deepEqual(batched, oneByOne)
  }), { numRuns: 300 })
})
