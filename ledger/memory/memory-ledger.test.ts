// The ledger contract on the in-memory ledger, a fresh one per test, its clock fixed.
import { runLedgerContract, type LedgerUnderTest } from '../ledger.contract.ts'
import { createMemoryLedger } from './memory-ledger.ts'
import { toUnits } from '../domain/money.ts'

const CLOCK = () => new Date('2026-12-01T12:00:00Z')

runLedgerContract('in memory', async (): Promise<LedgerUnderTest> => {
  const ledger = createMemoryLedger({ clock: CLOCK })
  const t = ledger.tables
  const hubs = new Map<string, number>()
  let hubId: number | undefined
  const addAccount = (participantId: number, currency: string, type: string) => {
    const id = Number(t.ids.account.next())
    t.accounts.set(id, { id, participant_id: participantId, currency, type, value: 0n, reserved: 0n })
    return id
  }
  return {
    ledger,
    hubReconciliation: (currency) => ledger.db.transaction(async () => {
      hubId ??= addParticipant('Hub', true)
      const found = hubs.get(currency) ?? addAccount(hubId, currency, 'HUB_RECONCILIATION')
      hubs.set(currency, found)
      return found
    }),
    addDfsp: (name, currency, ndc) => ledger.db.transaction(async () => {
      const id = addParticipant(name, false)
      const position = addAccount(id, currency, 'POSITION')
      const settlement = addAccount(id, currency, 'SETTLEMENT')
      if (ndc !== undefined) t.netDebitCaps.set(position, toUnits(ndc))
      return { name, position, settlement }
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
})
