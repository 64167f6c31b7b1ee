import { test } from 'node:test'
import assert from 'node:assert/strict'
import { checkAlways, checkAtEnd, type Expectations, type SimulationView, type ViewTransfer } from './invariants.ts'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'

const fulfilment = Buffer.alloc(32, 7).toString('base64url')
const POS_A = 1, SET_A = 2, POS_B = 3, SET_B = 4

function committed(id: string): ViewTransfer {
  return {
    id, state: 'COMMITTED', payer_fsp: 'a', payee_fsp: 'b', payer_account_id: POS_A, payee_account_id: POS_B, amount: '10.0000',
    ilp_condition: conditionOf(fulfilment), prepare_hash: `h-${id}`, fulfil_hash: 'f', fulfilment, error_code: null, payee_wants_patch: false,
  }
}

/** A sound state: a funded through SET_A, one transfer of 10 committed a → b. */
function soundView(): SimulationView {
  return {
    transfers: [committed('t1')],
    stateChanges: [{ transfer_id: 't1', state: 'RECEIVED' }, { transfer_id: 't1', state: 'RESERVED' }, { transfer_id: 't1', state: 'COMMITTED' }],
    accounts: [
      { id: POS_A, participant_id: 1, currency: 'USD', type: 'POSITION', value: 100_000n, reserved: 0n },
      { id: SET_A, participant_id: 1, currency: 'USD', type: 'SETTLEMENT', value: -1_000_000n, reserved: 0n },
      { id: POS_B, participant_id: 2, currency: 'USD', type: 'POSITION', value: -100_000n, reserved: 0n },
      { id: SET_B, participant_id: 2, currency: 'USD', type: 'SETTLEMENT', value: 0n, reserved: 0n },
      { id: 9, participant_id: 0, currency: 'USD', type: 'HUB_RECONCILIATION', value: 1_000_000n, reserved: 0n },
    ],
    journal: [
      { kind: 'FUNDS_IN', reference: 'f1', lines: [{ accountId: SET_A, units: -1_000_000n }, { accountId: 9, units: 1_000_000n }] },
      { kind: 'TRANSFER_COMMIT', reference: 't1', lines: [{ accountId: POS_A, units: 100_000n }, { accountId: POS_B, units: -100_000n }] },
    ],
    netDebitCaps: new Map([[POS_A, 500_000n], [POS_B, 500_000n]]),
    liquidityChecked: () => true,
    deadLetters: [],
    storedOffsets: new Map([['g|p|0', 5n]]),
    busCommittedOffsets: new Map([['g|p|0', 5n]]),
  }
}

const expectations = (heard: string[] = ['a|t1']): Expectations => ({ accepted: new Map([['t1', { hash: 'h-t1' }]]), heard: (r, id) => heard.includes(`${r}|${id}`) })
const ids = (violations: { invariant: string }[]) => [...new Set(violations.map((x) => x.invariant))].sort()

test('a sound state breaks no invariant', () => {
  assert.deepEqual(checkAtEnd(soundView(), expectations()), [])
})

test('I2 and I3: a position changed outside the journal', () => {
  const view = soundView()
  view.accounts[0]!.value += 1n
  assert.deepEqual(ids(checkAlways(view, expectations())), ['I2', 'I3'])
})

test('I2: a reservation no RESERVED transfer holds', () => {
  const view = soundView()
  view.accounts[0]!.reserved = 5n
  assert.deepEqual(ids(checkAlways(view, expectations())), ['I2'])
})

test('I4: exposure beyond the NDC, and beyond the liquidity cover', () => {
  const ndc = soundView()
  ;(ndc.netDebitCaps as Map<number, bigint>).set(POS_A, 50_000n)
  assert.deepEqual(ids(checkAlways(ndc, expectations())), ['I4'])
  const cover = soundView()
  cover.accounts[1]!.value = -50_000n
  cover.accounts[4]!.value = 50_000n
  ;(cover.journal[0]!.lines as { accountId: number; units: bigint }[]).splice(0, 2, { accountId: SET_A, units: -50_000n }, { accountId: 9, units: 50_000n })
  assert.deepEqual(checkAlways(cover, expectations()).map((x) => x.message), [`account ${POS_A}: position 100000 + reserved 0 exceeds liquidity cover 50000`])
})

test('I5: a second commit entry, a commit without the fulfilment, and a modified duplicate\'s prepare are each an effect too many', () => {
  const twice = soundView()
  ;(twice.journal as SimulationView['journal'][number][]).push(twice.journal[1]!)
  assert.ok(ids(checkAlways(twice, expectations())).includes('I5'))
  const unfulfilled = soundView()
  ;(unfulfilled.transfers as ViewTransfer[])[0] = { ...committed('t1'), fulfilment: Buffer.alloc(32, 8).toString('base64url') }
  assert.deepEqual(ids(checkAlways(unfulfilled, expectations())), ['I5'])
  const modified = soundView()
  ;(modified.transfers as ViewTransfer[])[0] = { ...committed('t1'), prepare_hash: 'other' }
  assert.deepEqual(ids(checkAlways(modified, expectations())), ['I5'])
})

test('I7: a bus offset committed ahead of the store\'s', () => {
  const view = soundView()
  ;(view.busCommittedOffsets as Map<string, bigint>).set('g|p|0', 6n)
  assert.deepEqual(ids(checkAlways(view, expectations())), ['I7'])
})

test('I8: a final state left for another', () => {
  const view = soundView()
  ;(view.stateChanges as { transfer_id: string; state: string }[]).splice(2, 0, { transfer_id: 't1', state: 'EXPIRED' })
  assert.deepEqual(ids(checkAlways(view, expectations())), ['I8'])
})

test('I1 and I6 at the end: a transfer answered 202 left unfinished, and a final one its payer never heard of without a dead letter', () => {
  const unfinished = soundView()
  ;(unfinished.transfers as ViewTransfer[]).push({ ...committed('t2'), state: 'RESERVED', fulfilment: null })
  unfinished.accounts[0]!.reserved = 100_000n
  const accepted = new Map([['t1', { hash: 'h-t1' }], ['t2', { hash: 'h-t2' }]])
  assert.deepEqual(ids(checkAtEnd(unfinished, { ...expectations(), accepted })), ['I1', 'I8'])
  assert.deepEqual(ids(checkAtEnd(soundView(), expectations([]))), ['I6'])
  const dead = { ...soundView(), deadLetters: [{ recipient: 'a', reference: 't1', reason: 'POST answered 400' }] }
  assert.deepEqual(checkAtEnd(dead, expectations([])), [])
})
