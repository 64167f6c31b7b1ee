// One contract for every implementation of the ledger port (ledger/ledger-port.ts): the MariaDB store and
// the in-memory ledger must answer alike. A position batch is driven here as the position handler drives
// it: lock the accounts once, read NDCs and liquidity flags, decide in memory (ledger/domain), write.
// Funds, windows and settlements: ledger/funds-settlement.contract.ts.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { toUnits } from './domain/money.ts'
import { balance, code, pair, positions, reserve, sum, transfer, unique, type LedgerUnderTest } from './ledger-contract-steps.ts'
import { withLedger } from './ledger-contract-steps.ts'

export type { ContractDfsp, LedgerUnderTest, SettlementModelInput } from './ledger-contract-steps.ts'

export function runLedgerContract(name: string, factory: () => Promise<LedgerUnderTest>): void {
  describe(`ledger contract: ${name}`, () => {
    const within = withLedger(factory)

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

