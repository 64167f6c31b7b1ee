// The ledger contract on the real MariaDB: one database for the file, participants named apart per test.
import { after, before } from 'node:test'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { runLedgerContract } from '../ledger.contract.ts'
import { createMySqlLedger } from './mysql-ledger.ts'

let testDb: TestDb
before(async () => { testDb = await createTestDb('ledgerport_contract') })
after(async () => testDb.drop())

runLedgerContract('MariaDB', async () => {
  const db = testDb.db
  const hubId = async (): Promise<number> => {
    const hub = await db('participant').where({ name: 'Hub' }).first('id')
    if (hub) return Number(hub.id)
    const [id] = await db('participant').insert({ name: 'Hub', is_hub: true, created_by: 'contract' })
    return Number(id)
  }
  const account = async (participantId: number, currency: string, type: string): Promise<number> => {
    const found = await db('account').where({ participant_id: participantId, currency, type }).first('id')
    if (found) return Number(found.id)
    const [id] = await db('account').insert({ participant_id: participantId, currency, type })
    return Number(id)
  }
  return {
    ledger: createMySqlLedger(db),
    hubReconciliation: async (currency) => account(await hubId(), currency, 'HUB_RECONCILIATION'),
    async addDfsp(name, currency, ndc) {
      const [participantId] = await db('participant').insert({ name, created_by: 'contract' })
      const position = await account(Number(participantId), currency, 'POSITION')
      const settlement = await account(Number(participantId), currency, 'SETTLEMENT')
      if (ndc !== undefined) await db('participant_limit').insert({ account_id: position, type: 'NET_DEBIT_CAP', value: ndc, changed_by: 'contract' })
      return { name, position, settlement }
    },
    async addSettlementModel(m) {
      await db('settlement_model').insert({
        name: m.name, settlement_granularity: m.granularity, settlement_interchange: 'MULTILATERAL', settlement_delay: m.delay, currency: m.currency,
        require_liquidity_check: m.liquidityCheck, ledger_account_type: 'POSITION', settlement_account_type: 'SETTLEMENT',
      })
    },
    close: async () => {},
  }
})
