// One contract for every implementation of the ledger port (ledger/ledger-port.ts): the MariaDB store and
// the in-memory ledger must answer alike. A position batch is driven here as the position handler drives
// it: lock the accounts once, read NDCs and liquidity flags, decide in memory (ledger/domain), write.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Ledger, LedgerTx, TransferRow } from './ledger-port.ts'
import { applyPositionBatch, type PositionAccount, type PositionOp, type PositionResult } from './domain/position-batch.ts'
import { fromUnits, toUnits } from './domain/money.ts'

export interface ContractDfsp {
  name: string
  position: number
  settlement: number
}

export interface SettlementModelInput {
  name: string
  currency: string | null
  granularity: 'GROSS' | 'NET'
  delay: 'IMMEDIATE' | 'DEFERRED'
  liquidityCheck: boolean
}

/** A ledger under test and the set-up its implementation offers (not part of the port). */
export interface LedgerUnderTest {
  ledger: Ledger
  /** The hub's HUB_RECONCILIATION account in the currency (created once per currency). */
  hubReconciliation(currency: string): Promise<number>
  /** A DFSP with POSITION and SETTLEMENT accounts in the currency; ndc as a decimal string. */
  addDfsp(name: string, currency: string, ndc?: string): Promise<ContractDfsp>
  addSettlementModel(model: SettlementModelInput): Promise<void>
  close(): Promise<void>
}

let names = 0
/** Participant names unique within a run (MariaDB keeps one database per test file). */
const unique = (prefix: string) => `${prefix}${++names}`.slice(0, 30)

export function runLedgerContract(name: string, factory: () => Promise<LedgerUnderTest>): void {
  describe(`ledger contract: ${name}`, () => {
    const within = async (work: (t: LedgerUnderTest) => Promise<void>) => {
      const t = await factory()
      try {
        await work(t)
      } finally {
        await t.close()
      }
    }

    test('each reservation lowers the headroom of the next: the one beyond the NDC is refused 4200', () => within(async (t) => {
      const { payer, payee } = await pair(t, 'USD', '1000', '5000')
      const results = await positions(t.ledger, [payer, payee], 'USD', [reserve(payer, '600'), reserve(payer, '600'), reserve(payer, '400')])
      assert.deepEqual(results.map(code), ['ok', '4200', 'ok'])
      assert.deepEqual(await balance(t.ledger, payer.position), { value: '0', reserved: '1000' })
    }))

    test('liquidity cover refuses 4001 before the NDC is reached', () => within(async (t) => {
      const { payer, payee } = await pair(t, 'USD', '100000', '5000')
      const results = await positions(t.ledger, [payer, payee], 'USD', [reserve(payer, '4000'), reserve(payer, '1001'), reserve(payer, '1000')])
      assert.deepEqual(results.map(code), ['ok', '4001', 'ok'])
    }))

    test('a currency whose settlement model needs no liquidity check reserves up to the NDC alone', () => within(async (t) => {
      await t.addSettlementModel({ name: unique('noliq'), currency: 'KES', granularity: 'NET', delay: 'DEFERRED', liquidityCheck: false })
      const { payer, payee } = await pair(t, 'KES', '3000', '0')
      const results = await positions(t.ledger, [payer, payee], 'KES', [reserve(payer, '2500'), reserve(payer, '501')])
      assert.deepEqual(results.map(code), ['ok', '4200'])
    }))

    test('commit moves the reservation to the payer\'s value and credits the payee; release gives it back; balances sum to zero', () => within(async (t) => {
      const CURRENCY = 'GHS' // no other test's funds in its hub account
      const { payer, payee } = await pair(t, CURRENCY, '1000', '5000')
      await positions(t.ledger, [payer, payee], CURRENCY, [reserve(payer, '300'), reserve(payer, '200')])
      await positions(t.ledger, [payer, payee], CURRENCY, [
        { kind: 'commit', payer: payer.position, payee: payee.position, amount: toUnits('300') },
        { kind: 'release', payer: payer.position, amount: toUnits('200') },
      ])
      assert.deepEqual(await balance(t.ledger, payer.position), { value: '300', reserved: '0' })
      assert.deepEqual(await balance(t.ledger, payee.position), { value: '-300', reserved: '0' })
      const all = [payer.position, payer.settlement, payee.position, payee.settlement, await t.hubReconciliation(CURRENCY)]
      assert.equal(await sum(t.ledger, all), 0n, 'I3: per currency, all balances sum to zero')
    }))

    test('a saved transfer is found and locked again; saving it again changes only its state columns', () => within(async (t) => {
      const { payer, payee } = await pair(t, 'USD', '1000', '0')
      const row = transfer(payer, payee, '10', new Date('2030-01-01T00:00:00Z'))
      await t.ledger.transaction((tx) => tx.saveTransfers([row]))
      await t.ledger.transaction(async (tx) => {
        const locked = await tx.lockTransfers([row.id, row.id, 'absent'])
        assert.deepEqual([...locked.keys()], [row.id])
        await tx.saveTransfers([{ ...locked.get(row.id)!, state: 'RESERVED', amount: '99.0000', error_code: '4200' }])
      })
      const saved = await t.ledger.transaction((tx) => tx.findTransfer(row.id))
      assert.deepEqual([saved?.state, saved?.error_code, toUnits(saved!.amount)], ['RESERVED', '4200', toUnits('10')], 'the amount is never rewritten')
    }))

    test('a journal entry is written once: a repeated kind and reference throws and its unit of work leaves no effect', () => within(async (t) => {
      const { payer } = await pair(t, 'USD', '1000', '100')
      const hub = await t.hubReconciliation('USD')
      const entry = { kind: 'FUNDS_IN', reference: unique('dup-'), currency: 'USD', createdBy: 'contract', lines: [{ accountId: payer.settlement, amount: '-1' }, { accountId: hub, amount: '1' }] }
      await t.ledger.transaction((tx) => tx.postJournalEntries([entry]))
      await assert.rejects(t.ledger.transaction(async (tx) => {
        await tx.writeAccounts([{ id: payer.position, value: 7n, reserved: 7n }])
        await tx.postJournalEntries([entry])
      }))
      assert.deepEqual(await balance(t.ledger, payer.position), { value: '0', reserved: '0' })
      assert.deepEqual(await balance(t.ledger, payer.settlement), { value: '-101', reserved: '0' })
    }))

    test('an unbalanced journal entry is refused', () => within(async (t) => {
      const { payer } = await pair(t, 'USD', '1000', '0')
      const hub = await t.hubReconciliation('USD')
      await assert.rejects(t.ledger.transaction((tx) => tx.postJournalEntries([
        { kind: 'FUNDS_IN', reference: unique('unbalanced-'), currency: 'USD', createdBy: 'contract', lines: [{ accountId: payer.settlement, amount: '-1' }, { accountId: hub, amount: '2' }] },
      ])), /not balanced/)
    }))

    test('a unit of work that throws is undone whole: accounts, transfers, state changes and journal', () => within(async (t) => {
      const { payer, payee } = await pair(t, 'USD', '1000', '0')
      const row = transfer(payer, payee, '5', new Date('2030-01-01T00:00:00Z'))
      await assert.rejects(t.ledger.transaction(async (tx) => {
        await tx.saveTransfers([row])
        await tx.addStateChanges([{ transfer_id: row.id, state: 'RECEIVED', reason: null }])
        await tx.writeAccounts([{ id: payer.position, value: 0n, reserved: toUnits('5') }])
        await tx.insertJournalRows([{ kind: 'TRANSFER_COMMIT', reference: row.id, currency: 'USD', createdBy: 'contract', lines: [{ accountId: payer.position, amount: '5' }, { accountId: payee.position, amount: '-5' }] }])
        throw new Error('the handler failed')
      }), /the handler failed/)
      assert.equal(await t.ledger.transaction((tx) => tx.findTransfer(row.id)), undefined)
      assert.deepEqual(await balance(t.ledger, payer.position), { value: '0', reserved: '0' })
      // The journal entry was undone too: the same one can be written now.
      await t.ledger.transaction((tx) => tx.insertJournalRows([{ kind: 'TRANSFER_COMMIT', reference: row.id, currency: 'USD', createdBy: 'contract', lines: [{ accountId: payer.position, amount: '5' }, { accountId: payee.position, amount: '-5' }] }]))
    }))

    test('immediate gross currencies and the SETTLEMENT accounts of their participants are found', () => within(async (t) => {
      await t.addSettlementModel({ name: unique('gross'), currency: 'TZS', granularity: 'GROSS', delay: 'IMMEDIATE', liquidityCheck: true })
      const { payer, payee } = await pair(t, 'TZS', '1000', '0')
      await t.ledger.transaction(async (tx) => {
        assert.deepEqual([...await tx.grossCurrencies(['TZS', 'USD'])], ['TZS'])
        const ids = await tx.settlementAccountIds([{ name: payer.name, currency: 'TZS' }, { name: payee.name, currency: 'TZS' }])
        assert.deepEqual(Object.fromEntries(ids), { [`${payer.name}:TZS`]: payer.settlement, [`${payee.name}:TZS`]: payee.settlement })
      })
    }))

    test('there is one OPEN settlement window', () => within(async (t) => {
      const id = await t.ledger.transaction((tx) => tx.lockOpenWindowId())
      assert.match(id, /^\d+$/)
    }))

    test('the timeout scan claims RESERVED transfers past their expiration only, oldest first', () => within(async (t) => {
      const { payer, payee } = await pair(t, 'USD', '1000', '0')
      const late = { ...transfer(payer, payee, '1', new Date('2020-01-02T00:00:00Z')), state: 'RESERVED' as const }
      const later = { ...transfer(payer, payee, '1', new Date('2020-01-01T00:00:00Z')), state: 'RESERVED' as const }
      const done = { ...transfer(payer, payee, '1', new Date('2020-01-01T00:00:00Z')), state: 'COMMITTED' as const }
      const open = { ...transfer(payer, payee, '1', new Date('2999-01-01T00:00:00Z')), state: 'RESERVED' as const }
      await t.ledger.transaction((tx) => tx.saveTransfers([late, later, done, open]))
      const claimed = await t.ledger.transaction((tx) => tx.claimExpiredTransfers(10))
      const ours = claimed.filter((c) => [late.id, later.id, done.id, open.id].includes(c.id))
      assert.deepEqual(ours, [{ id: later.id, payer_account_id: payer.position }, { id: late.id, payer_account_id: payer.position }])
    }))
  })
}

async function pair(t: LedgerUnderTest, currency: string, ndc: string, fundsIn: string): Promise<{ payer: ContractDfsp; payee: ContractDfsp }> {
  const payer = await t.addDfsp(unique('payer'), currency, ndc)
  const payee = await t.addDfsp(unique('payee'), currency, ndc)
  if (toUnits(fundsIn) > 0n) {
    const hub = await t.hubReconciliation(currency)
    await t.ledger.transaction((tx) => tx.postJournalEntries([payer, payee].map((d) => ({
      kind: 'FUNDS_IN', reference: unique(`in-${d.name}-`), currency, createdBy: 'contract',
      lines: [{ accountId: d.settlement, amount: `-${fundsIn}` }, { accountId: hub, amount: fundsIn }],
    }))))
  }
  return { payer, payee }
}

const reserve = (payer: ContractDfsp, amount: string): PositionOp => ({ kind: 'reserve', payer: payer.position, amount: toUnits(amount) })
const code = (r: PositionResult) => (r.ok ? 'ok' : r.code)

/** One position batch as the position handler runs it. */
async function positions(ledger: Ledger, dfsps: readonly ContractDfsp[], currency: string, ops: readonly PositionOp[]): Promise<PositionResult[]> {
  return ledger.transaction(async (tx) => {
    const ndcs = await tx.netDebitCaps(dfsps.map((d) => d.position))
    const checked = await tx.liquidityChecked([currency])
    const locked = await tx.lockAccounts(dfsps.flatMap((d) => [d.position, d.settlement]))
    const accounts = new Map<number, PositionAccount>()
    for (const d of dfsps) {
      const a = locked.get(d.position)!
      const s = locked.get(d.settlement)!
      accounts.set(d.position, { id: a.id, value: a.value, reserved: a.reserved, ndc: ndcs.get(a.id), liquidity: checked.get(currency) ? -(s.value + s.reserved) : undefined })
    }
    const results = applyPositionBatch(accounts, ops)
    await tx.writeAccounts(accounts.values())
    return results
  })
}

async function balance(ledger: Ledger, id: number): Promise<{ value: string; reserved: string }> {
  const a = (await ledger.transaction((tx: LedgerTx) => tx.lockAccounts([id]))).get(id)!
  return { value: fromUnits(a.value).toString(), reserved: fromUnits(a.reserved).toString() }
}

async function sum(ledger: Ledger, ids: readonly number[]): Promise<bigint> {
  const accounts = await ledger.transaction((tx) => tx.lockAccounts(ids))
  return [...accounts.values()].reduce((total, a) => total + a.value, 0n)
}

let transfers = 0
function transfer(payer: ContractDfsp, payee: ContractDfsp, amount: string, expiration: Date): TransferRow {
  return {
    id: `00000000-0000-4000-8000-${String(++transfers).padStart(6, '0')}${String(names).padStart(6, '0')}`, payer_fsp: payer.name, payee_fsp: payee.name,
    payer_account_id: payer.position, payee_account_id: payee.position, amount, currency: 'USD', ilp_condition: 'c'.repeat(43), ilp_packet: 'packet',
    expiration, state: 'RECEIVED', prepare_hash: 'h'.repeat(64), fulfil_hash: null, fulfilment: null, error_code: null, error_description: null,
    extension_list: null, settlement_window_id: null, completed_at: null, fspiop_version: '1.1', payer_accept_version: null, payee_wants_patch: false,
  }
}
