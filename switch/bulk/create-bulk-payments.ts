// BulkPayments (bulk-payments.ts) on the switch's own pipeline: quote() sends POST /bulkQuotes to the payee
// through the quote topic marked as the switch's own (the payee's answer is stored, not forwarded), and
// transfer() puts a bulk prepare on the prepare topic exactly as POST /bulkTransfers does, marked the
// same way (the per-item result is stored, no callback to the payer). Both then read the database until
// the answer is there: idempotent per id across restarts (a second call with the same id finds the row,
// or sends the same message again, which the handlers take as a duplicate in progress).
import { setTimeout as sleep } from 'node:timers/promises'
import type { Db } from '../../ledger/store/db.ts'
import type { BusProducer } from '../bus/message-bus.ts'
import type { ParticipantDirectory } from '../fspiop/directory.ts'
import { requestHash } from '../../ledger/domain/request-hash.ts'
import { TOPICS } from '../pipeline/messages.ts'
import { findBulkQuote, findBulkTransfer } from '../store/bulk.ts'
import type { QuoteMessage } from '../quotes/quote-messages.ts'
import { quoteRefusal } from '../quotes/quote-routes.ts'
import { checkBulkQuoteRequest } from '../quotes/bulk-quote-routes.ts'
import { prepareParties } from '../fspiop/prepare-parties.ts'
import { bulkPrepareMessage, checkBulkPrepare } from '../transfers/bulk-prepare.ts'
import type { BulkTransferAnswerBody } from '../transfers/bulk-messages.ts'
import type { BulkPayments } from './bulk-payments.ts'
import { bulkQuoteBody, bulkTransferBody, quoteResults, quotesFailed, transferResults } from './bulk-quote-request.ts'

/** How often a waiting call reads the database. */
export const POLL_INTERVAL_MS = 200
/** How long past a bulk transfer's expiration a call waits for the timeout scan to finish it, at most. */
export const WAIT_AFTER_EXPIRATION_MS_MAX = 120_000

export interface BulkPaymentsDeps {
  db: Db
  producer: BusProducer
  directory: ParticipantDirectory
  topic: (name: string) => string
  poll_ms?: number
}

export function createBulkPayments(deps: BulkPaymentsDeps): BulkPayments {
  const poll_ms = deps.poll_ms ?? POLL_INTERVAL_MS

  async function until<T>(read: () => Promise<T | undefined>, deadline_ms: number): Promise<T | undefined> {
    for (;;) {
      const value = await read()
      if (value !== undefined || Date.now() > deadline_ms) return value
      await sleep(poll_ms)
    }
  }

  return {
    async quote(input) {
      const body = bulkQuoteBody(input)
      checkBulkQuoteRequest(body)
      const readAnswer = async () => {
        const row = await findBulkQuote(deps.db, input.bulkQuoteId)
        return row?.response ? (JSON.parse(row.response) as { error: boolean; body: unknown }) : undefined
      }
      const stored = await readAnswer()
      if (stored) return quoteResults(input.items, stored)
      const payer = await deps.directory.get(input.payerFsp)
      if (!payer) return quotesFailed(input.items, '3202', `Unsupported participant '${input.payerFsp}'`)
      const refusal = quoteRefusal(payer, input.payeeFsp, await deps.directory.get(input.payeeFsp), input.items[0]?.currency ?? '')
      if (refusal) return quotesFailed(input.items, refusal.code, refusal.detail)
      const message: QuoteMessage = {
        kind: 'request', quoteId: input.bulkQuoteId, source: input.payerFsp, destination: input.payeeFsp, version: '1.1', acceptVersion: '1.1',
        hash: requestHash(body), body, passHeaders: {}, resource: 'bulkQuotes', origin: 'switch',
      }
      await deps.producer.send([{ topic: deps.topic(TOPICS.quote), key: message.quoteId, value: JSON.stringify(message) }])
      const answer = await until(readAnswer, Date.parse(input.expiration))
      return answer ? quoteResults(input.items, answer) : quotesFailed(input.items, '3302', 'Quote expired')
    },

    async transfer(input) {
      const body = bulkTransferBody(input)
      const currency = checkBulkPrepare(body)
      const readResult = async () => {
        const row = await findBulkTransfer(deps.db, input.bulkTransferId)
        return row?.result ? (JSON.parse(row.result) as BulkTransferAnswerBody) : undefined
      }
      if (!(await findBulkTransfer(deps.db, input.bulkTransferId))) {
        const payer = await deps.directory.get(input.payerFsp)
        if (!payer) throw new Error(`bulk payments: payer ${input.payerFsp} is no participant`)
        const parties = prepareParties(payer, input.payeeFsp, await deps.directory.get(input.payeeFsp), currency)
        const message = bulkPrepareMessage({ body, version: '1.1', acceptVersion: '1.1', passHeaders: undefined, parties, origin: 'switch' })
        await deps.producer.send([{ topic: deps.topic(TOPICS.prepare), key: String(message.payerAccountId), value: JSON.stringify(message) }])
      }
      const result = await until(readResult, Date.parse(input.expiration) + WAIT_AFTER_EXPIRATION_MS_MAX)
      if (!result) throw new Error(`bulk payments: bulk transfer ${input.bulkTransferId} not final ${WAIT_AFTER_EXPIRATION_MS_MAX} ms after its expiration`)
      const ids = input.items.map((t) => t.transferId)
      const rows: { id: string; state: string }[] = await deps.db('transfer').whereIn('id', ids).select('id', 'state')
      return transferResults(result, new Map(rows.map((r) => [r.id, r.state])))
    },
  }
}
