// How participants and accounts look on the admin API (Mojaloop central-ledger shapes; money as strings).
import type { FastifyRequest } from 'fastify'
import type { AccountRow, ParticipantRow } from '../../ledger/store/participants.ts'
import { formatAmount, ledgerDecimal } from '../../ledger/domain/money.ts'

export function participantView(request: FastifyRequest, p: ParticipantRow, accounts: readonly AccountRow[]) {
  const self = `${request.protocol}://${request.host}/participants/${encodeURIComponent(p.name)}`
  return {
    name: p.name,
    id: self,
    created: p.createdAt,
    isActive: p.isActive ? 1 : 0,
    links: { self },
    accounts: accounts.map((a) => ({
      id: a.id,
      ledgerAccountType: a.type,
      currency: a.currency,
      isActive: a.isActive ? 1 : 0,
      createdDate: a.createdAt,
      createdBy: p.createdBy,
    })),
  }
}

/** An account with its balance: `value` committed, `reservedValue` held by transfers in flight or funds out. */
export function accountView(a: AccountRow) {
  return {
    id: a.id,
    ledgerAccountType: a.type,
    currency: a.currency,
    isActive: a.isActive ? 1 : 0,
    value: formatAmount(a.value),
    reservedValue: formatAmount(a.reservedValue),
    changedDate: a.changedAt,
  }
}

/** A position as Mojaloop reports it: committed plus reserved, i.e. the DFSP's current exposure. */
export function positionView(a: AccountRow) {
  return { currency: a.currency, value: formatAmount(ledgerDecimal(a.value).plus(ledgerDecimal(a.reservedValue))), changedDate: a.changedAt }
}
