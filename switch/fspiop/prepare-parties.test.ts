import { test } from 'node:test'
import assert from 'node:assert/strict'
import { prepareParties } from './prepare-parties.ts'
import type { DirectoryParticipant } from './directory.ts'
import { NO_ACCOUNT } from '../../ledger/store/transfers.ts'

function participant(name: string, opts: { active?: boolean; accounts?: [string, number, boolean][] } = {}): DirectoryParticipant {
  const accounts = opts.accounts ?? [['USD:POSITION', 1, true], ['USD:SETTLEMENT', 2, true]]
  return {
    id: 1, name, isActive: opts.active ?? true, isHub: false, endpoints: new Map(), publicKey: undefined, apiMode: 'FSPIOP',
    accounts: new Map(accounts.map(([key, id, isActive]) => [key, { id, isActive }])),
  }
}

test('a prepare between active participants holding the currency is not refused', () => {
  const payee = participant('payee', { accounts: [['USD:POSITION', 7, true]] })
  assert.deepEqual(prepareParties(participant('payer'), 'payee', payee, 'USD'), { payerAccountId: 1, payeeAccountId: 7, payerSettlementAccountId: 2, refusal: undefined })
})

test('refusals use central-ledger validator wording, payer before payee, first failure only', () => {
  const cases: [DirectoryParticipant, DirectoryParticipant | undefined, string][] = [
    [participant('payer', { active: false }), undefined, 'Participant payer is inactive'],
    [participant('payer', { accounts: [] }), participant('payee'), 'Participant payer USD account not found'],
    [participant('payer', { accounts: [['USD:POSITION', 1, false], ['USD:SETTLEMENT', 2, true]] }), participant('payee'), 'Participant payer USD account is inactive'],
    [participant('payer'), undefined, 'Participant payee not found'],
    [participant('payer'), participant('payee', { active: false }), 'Participant payee is inactive'],
    [participant('payer'), participant('payee', { accounts: [['EUR:POSITION', 9, true]] }), 'Participant payee USD account not found'],
    [participant('payer'), participant('payee', { accounts: [['USD:POSITION', 9, false]] }), 'Participant payee USD account is inactive'],
  ]
  for (const [payer, payee, reason] of cases) assert.equal(prepareParties(payer, 'payee', payee, 'USD').refusal, reason)
  assert.equal(prepareParties(participant('payer'), 'payer', participant('payer'), 'USD').refusal, 'Payer FSP and Payee FSP should be different, unless on-us tranfers are allowed by the Scheme')
})

test('accounts the ledger does not hold are NO_ACCOUNT', () => {
  const parties = prepareParties(participant('payer', { accounts: [] }), 'payee', undefined, 'USD')
  assert.deepEqual([parties.payerAccountId, parties.payeeAccountId, parties.payerSettlementAccountId], [NO_ACCOUNT, NO_ACCOUNT, NO_ACCOUNT])
})
