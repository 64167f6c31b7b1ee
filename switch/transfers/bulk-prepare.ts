// What the switch checks of a bulk prepare before the pipeline (shared by POST /bulkTransfers and
// BulkPayments), and the bulk prepare message it makes of it. Pure.
import { FspiopError } from '../fspiop/errors.ts'
import type { FspiopVersion } from '../fspiop/headers.ts'
import { checkAmount } from '../../ledger/domain/money.ts'
import { requestHash } from '../../ledger/domain/request-hash.ts'
import type { PrepareParties } from '../fspiop/prepare-parties.ts'
import { BULK_ITEMS_MAX, type BulkPrepareMessage, type BulkTransferPrepareBody } from './bulk-messages.ts'

/**
 * The bulk's one currency (its items reserve against one payer POSITION account), or a 3100-family error:
 * more than BULK_ITEMS_MAX items (3103), items in several currencies, a malformed amount, an id twice.
 */
export function checkBulkPrepare(body: BulkTransferPrepareBody): string {
  const items = body.individualTransfers
  if (items.length === 0) throw new FspiopError('3102', 'individualTransfers is empty')
  if (items.length > BULK_ITEMS_MAX) throw new FspiopError('3103', `a bulk holds at most ${BULK_ITEMS_MAX} transfers, not ${items.length}`)
  const currency = items[0]!.transferAmount.currency
  const ids = new Set<string>()
  for (const item of items) {
    if (item.transferAmount.currency !== currency) throw new FspiopError('3100', `every transfer of a bulk is in one currency (${currency}), not ${item.transferAmount.currency}`)
    const amount = checkAmount(item.transferAmount.amount, currency)
    if (!amount.ok) throw new FspiopError('3100', `${item.transferId}: ${amount.message}`)
    if (ids.has(item.transferId)) throw new FspiopError('3100', `transfer ${item.transferId} is twice in the bulk`)
    ids.add(item.transferId)
  }
  return currency
}

export function bulkPrepareMessage(input: {
  body: BulkTransferPrepareBody
  version: FspiopVersion
  acceptVersion: FspiopVersion
  passHeaders: Record<string, string> | undefined
  parties: PrepareParties
  origin: BulkPrepareMessage['origin']
  publishBy?: number
}): BulkPrepareMessage {
  const { refusal, ...accounts } = input.parties
  return {
    kind: 'bulk-prepare', bulkTransferId: input.body.bulkTransferId, body: input.body, version: input.version, acceptVersion: input.acceptVersion,
    ...(input.passHeaders ? { passHeaders: input.passHeaders } : {}), hash: requestHash(input.body), ...(input.publishBy ? { publishBy: input.publishBy } : {}),
    ...accounts, ...(refusal ? { refusal } : {}), origin: input.origin,
  }
}
