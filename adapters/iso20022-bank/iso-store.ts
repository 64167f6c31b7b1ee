// The rows behind the adapter's idempotency: a bank message claimed once by its MsgId, the payee's
// references by transactionId, a notification claimed once per transfer and direction.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { migrateFolder, type Db } from '../../ledger/store/db.ts'

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')
/** DBIT (this bank paid), CRDT (this bank was paid), RJCT (a credit this bank took was aborted). */
export type NotificationKind = 'DBIT' | 'CRDT' | 'RJCT'
/** Pending messages one sweep looks at, at most. */
export const PENDING_ROWS_MAX = 500

export interface IsoMessageRow {
  msgId: string
  msgType: string
  digest: string
  transferId: string
  endToEndId: string
  source: string
  answer: string | null
}

const fromRow = (r: Record<string, string>): IsoMessageRow => ({ msgId: r.msg_id, msgType: r.msg_type, digest: r.digest, transferId: r.transfer_id, endToEndId: r.end_to_end_id, source: r.source, answer: r.answer })
const isDuplicateKey = (error: unknown) => (error as { code?: string }).code === 'ER_DUP_ENTRY'

export async function migrateIsoStore(db: Db): Promise<void> {
  await migrateFolder(db, MIGRATIONS_DIR, 'iso20022_migrations')
}

export function createIsoStore(db: Db) {
  const messages = () => db('iso_messages')
  return {
    /** The first time a MsgId is seen: recorded. Again: the row recorded the first time. */
    async claim(row: Omit<IsoMessageRow, 'answer'>): Promise<{ first: true } | { first: false; row: IsoMessageRow }> {
      try {
        await messages().insert({ msg_id: row.msgId, msg_type: row.msgType, digest: row.digest, transfer_id: row.transferId, end_to_end_id: row.endToEndId, source: row.source })
        return { first: true }
      } catch (error) {
        if (!isDuplicateKey(error)) throw error
        return { first: false, row: fromRow(await messages().where({ msg_id: row.msgId }).first()) }
      }
    },
    async answer(msgId: string, xml: string): Promise<boolean> {
      return (await messages().where({ msg_id: msgId }).whereNull('answer').update({ answer: xml })) === 1
    },
    async find(by: { msgId?: string; transferId?: string; endToEndId?: string }): Promise<IsoMessageRow | undefined> {
      const query = messages()
      if (by.msgId) query.where({ msg_id: by.msgId })
      else if (by.transferId) query.where({ transfer_id: by.transferId })
      else if (by.endToEndId) query.where({ end_to_end_id: by.endToEndId }).orderBy('created_at', 'desc')
      else return undefined
      const row = await query.first()
      return row ? fromRow(row) : undefined
    },
    async pending(): Promise<IsoMessageRow[]> {
      return (await messages().whereNull('answer').orderBy('created_at').limit(PENDING_ROWS_MAX)).map(fromRow)
    },

    async saveRefs(transactionId: string, refs: Record<string, string>): Promise<void> {
      await db('iso_payee_refs').insert({ transaction_id: transactionId, refs: JSON.stringify(refs) }).onConflict('transaction_id').ignore()
    },
    async refsOf(transactionId: string): Promise<Record<string, string>> {
      const row = await db('iso_payee_refs').where({ transaction_id: transactionId }).first()
      return row ? JSON.parse(row.refs) : {}
    },

    async saveCredit(transferId: string, transfer: unknown): Promise<void> {
      await db('iso_payee_credits').insert({ transfer_id: transferId, transfer: JSON.stringify(transfer) }).onConflict('transfer_id').ignore()
    },
    async creditOf(transferId: string): Promise<unknown> {
      const row = await db('iso_payee_credits').where({ transfer_id: transferId }).first()
      return row ? JSON.parse(row.transfer) : undefined
    },

    /** True the first time: the caller sends the notification, then marks it delivered. */
    async claimNotification(transferId: string, direction: NotificationKind, xml: string): Promise<boolean> {
      try {
        await db('iso_notifications').insert({ transfer_id: transferId, direction, xml })
        return true
      } catch (error) {
        if (isDuplicateKey(error)) return false
        throw error
      }
    },
    async delivered(transferId: string, direction: NotificationKind): Promise<void> {
      await db('iso_notifications').where({ transfer_id: transferId, direction }).update({ delivered: true })
    },
    async undelivered(): Promise<{ transferId: string; direction: NotificationKind; xml: string }[]> {
      return (await db('iso_notifications').where({ delivered: false }).limit(PENDING_ROWS_MAX)).map((r: { transfer_id: string; direction: NotificationKind; xml: string }) => ({ transferId: r.transfer_id, direction: r.direction, xml: r.xml }))
    },
  }
}
export type IsoStore = ReturnType<typeof createIsoStore>
