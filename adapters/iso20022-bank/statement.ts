// camt.053: the end-of-day statement of this DFSP's accounts at the switch (position and settlement, per
// currency), from the switch's admin API: its accounts (GET /participants/{name}/accounts) and its
// journal lines (GET /reports/participants/{name}/statement, every line with its running balance). The
// opening balance is the running balance before the day, the closing one after it.
import { randomUUID } from 'node:crypto'
import { request } from 'undici'
import { Decimal } from '../../ledger/domain/money.ts'
import { writeCamt053, type LedgerAccount } from './camt.ts'

export const ADMIN_TIMEOUT_MS = 10_000
const DAY_MS = 86_400_000

export interface AdminApi {
  url: string
  token?: string
}

async function get<T>(admin: AdminApi, path: string, operator: string): Promise<T> {
  const headers: Record<string, string> = admin.token ? { authorization: `Bearer ${admin.token}` } : { 'x-agora-operator': operator }
  const response = await request(`${admin.url.replace(/\/$/, '')}${path}`, { headers, headersTimeout: ADMIN_TIMEOUT_MS, bodyTimeout: ADMIN_TIMEOUT_MS })
  const text = await response.body.text()
  if (response.statusCode !== 200) throw new Error(`admin API ${path} answered ${response.statusCode}: ${text.slice(0, 200)}`)
  return JSON.parse(text)
}

/** The statement of `day` (YYYY-MM-DD, UTC) for `fspId`. */
export async function statementOf(admin: AdminApi, fspId: string, day: string): Promise<string> {
  const from = new Date(`${day}T00:00:00.000Z`)
  if (Number.isNaN(from.getTime())) throw new Error(`statement: ${day} is not a date`)
  const to = new Date(from.getTime() + DAY_MS)
  const operator = `${fspId}-iso20022-connector`
  const accounts: { ledgerAccountType: string; currency: string }[] = await get(admin, `/participants/${encodeURIComponent(fspId)}/accounts`, operator)
  const lines: { time: string; kind: string; reference: string; account: string; currency: string; amount: string }[] =
    await get(admin, `/reports/participants/${encodeURIComponent(fspId)}/statement?to=${encodeURIComponent(to.toISOString())}`, operator)
  const statements: LedgerAccount[] = accounts
    .filter((a) => a.ledgerAccountType === 'POSITION' || a.ledgerAccountType === 'SETTLEMENT')
    .map((a) => {
      const own = lines.filter((l) => l.account === a.ledgerAccountType && l.currency === a.currency && Date.parse(l.time) < to.getTime())
      const before = own.filter((l) => Date.parse(l.time) < from.getTime())
      const during = own.filter((l) => Date.parse(l.time) >= from.getTime())
      const sum = (ls: typeof own) => ls.reduce((s, l) => s.plus(l.amount), new Decimal(0))
      return {
        type: a.ledgerAccountType, currency: a.currency, opening: sum(before).toFixed(), closing: sum(own).toFixed(),
        lines: during.map((l) => ({ time: l.time, kind: l.kind, reference: l.reference, amount: l.amount })),
      }
    })
  return writeCamt053({ msgId: randomUUID().replace(/-/g, ''), createdAt: new Date().toISOString(), fspId, from: from.toISOString(), to: to.toISOString(), accounts: statements })
}
