// Committed transfers written straight to the ledger, as the position handler writes them (transfer row,
// its states, a TRANSFER_COMMIT entry in the open window), for tests of what comes after clearing.
import { randomBytes, randomUUID } from 'node:crypto'
import type { Db } from '../../ledger/store/db.ts'
import { postJournalEntry } from '../../ledger/store/journal.ts'
import { lockOpenWindowId } from '../../ledger/store/settlement-windows.ts'
import { toDbDecimal } from '../../ledger/domain/money.ts'

export async function positionAccount(db: Db, name: string, currency = 'USD'): Promise<number> {
  const row = await db('account as a').join('participant as p', 'p.id', 'a.participant_id').where({ 'p.name': name, 'a.currency': currency, 'a.type': 'POSITION' }).select('a.id').first()
  return row.id
}

export async function commitTransfer(db: Db, payer: string, payee: string, amount: string, currency = 'USD'): Promise<{ id: string; windowId: string }> {
  const payerAccount = await positionAccount(db, payer, currency)
  const payeeAccount = await positionAccount(db, payee, currency)
  const id = randomUUID()
  const windowId = await db.transaction(async (trx) => {
    const window = await lockOpenWindowId(trx)
    await trx('transfer').insert({
      id, payer_fsp: payer, payee_fsp: payee, payer_account_id: payerAccount, payee_account_id: payeeAccount, amount: toDbDecimal(amount), currency,
      ilp_condition: randomBytes(32).toString('base64url'), ilp_packet: 'AQ', expiration: new Date(Date.now() + 60_000), state: 'COMMITTED',
      prepare_hash: 'test', settlement_window_id: window, completed_at: new Date(),
    })
    await trx('transfer_state_change').insert(['RECEIVED', 'RESERVED', 'COMMITTED'].map((state) => ({ transfer_id: id, state })))
    await postJournalEntry(trx, {
      kind: 'TRANSFER_COMMIT', reference: id, currency, settlementWindowId: window, createdBy: 'test',
      lines: [{ accountId: payerAccount, amount }, { accountId: payeeAccount, amount: `-${amount}` }],
    })
    return window
  })
  return { id, windowId }
}
