// The ledger contracts on the in-memory ledger, a fresh one per test, its clock fixed.
import { runLedgerContract, type LedgerUnderTest } from '../ledger.contract.ts'
import { runFundsSettlementContract } from '../funds-settlement.contract.ts'
import { CONTRACT_HUB_NAME, type HubAccountType } from '../ledger-contract-steps.ts'
import { createMemoryLedger } from './memory-ledger.ts'
import { toUnits } from '../domain/money.ts'

const CLOCK = () => new Date('2026-12-01T12:00:00Z')

async function memoryLedgerUnderTest(): Promise<LedgerUnderTest> {
  const ledger = createMemoryLedger({ clock: CLOCK })
  const t = ledger.tables
  const hubs = new Map<string, number>()
  let hubId: number | undefined
  const addAccount = (participantId: number, currency: string, type: string) => {
    const id = Number(t.ids.account.next())
    t.accounts.set(id, { id, participant_id: participantId, currency, type, value: 0n, reserved: 0n })
    return id
  }
  const hubAccount = (currency: string, type: HubAccountType) => ledger.db.transaction(async () => {
    hubId ??= addParticipant(CONTRACT_HUB_NAME, true)
    const key = `${currency}:${type}`
    const found = hubs.get(key) ?? addAccount(hubId, currency, type)
    hubs.set(key, found)
    return found
  })
  return {
    ledger,
    hubReconciliation: (currency) => hubAccount(currency, 'HUB_RECONCILIATION'),
    hubAccount,
    addDfsp: (name, currency, ndc) => ledger.db.transaction(async () => {
      const participantId = addParticipant(name, false)
      const position = addAccount(participantId, currency, 'POSITION')
      const settlement = addAccount(participantId, currency, 'SETTLEMENT')
      if (ndc !== undefined) t.netDebitCaps.set(position, toUnits(ndc))
      return { name, participantId, position, settlement }
    }),
    addSettlementModel: (m) => ledger.db.transaction(async () => {
      t.settlementModels.set(m.name, { ...m, requireLiquidityCheck: m.liquidityCheck, ledgerAccountType: 'POSITION', isActive: true })
    }),
    close: async () => {},
  }

  function addParticipant(name: string, isHub: boolean): number {
    const id = Number(t.ids.participant.next())
    t.participants.set(id, { id, name, isHub })
    return id
  }
}

runLedgerContract('in memory', memoryLedgerUnderTest)
runFundsSettlementContract('in memory', memoryLedgerUnderTest)
