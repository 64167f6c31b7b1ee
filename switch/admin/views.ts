// How participants, accounts, positions and limits look on the admin API (Mojaloop central-ledger shapes).
// Central-ledger answers balances, positions and limits as JSON numbers and operator tools compare them as
// numbers; the ledger keeps them as DECIMAL / decimal.js. adminNumber is the one place they become numbers.
import type { FastifyRequest } from 'fastify'
import type { AccountRow, ParticipantRow } from '../../ledger/store/participants.ts'
import type { LimitRow } from '../../ledger/store/limits-endpoints.ts'
import { formatAmount, ledgerDecimal, type Decimal } from '../../ledger/domain/money.ts'

/**
 * A ledger amount as the JSON number central-ledger answers. Ledger values have at most 4 decimals, so the
 * nearest double prints back as the same decimal text for up to 15 significant digits (balances up to
 * 10^11 with 4 decimals); storage and arithmetic stay decimal.
 */
export function adminNumber(value: Decimal | string): number {
  return Number(formatAmount(value))
}

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

/** An account with its balance: `value` committed, `reservedValue` held by transfers in flight or settlements. */
export function accountView(a: AccountRow) {
  return {
    id: a.id,
    ledgerAccountType: a.type,
    currency: a.currency,
    isActive: a.isActive ? 1 : 0,
    value: adminNumber(a.value),
    reservedValue: adminNumber(a.reservedValue),
    changedDate: a.changedAt,
  }
}

/** A position as Mojaloop reports it: committed plus reserved, i.e. the DFSP's current exposure. */
export function positionView(a: AccountRow) {
  return { currency: a.currency, value: adminNumber(ledgerDecimal(a.value).plus(ledgerDecimal(a.reservedValue))), changedDate: a.changedAt }
}

/** A limit of one participant (GET/PUT /participants/{name}/limits). */
export function limitView(l: Pick<LimitRow, 'currency' | 'type' | 'alarmPercentage'> & { value: Decimal | string }) {
  return { currency: l.currency, limit: { type: l.type, value: adminNumber(l.value), alarmPercentage: l.alarmPercentage } }
}
