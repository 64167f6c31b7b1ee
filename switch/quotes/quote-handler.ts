// The quote handler: quotes arrive keyed by quote id; one transaction per batch persists them with
// duplicate checks (same rules as transfers) and routes each to the other DFSP through the outbox.
import type { BatchHandler } from '../pipeline/merged-transactions.ts'
import type { OutboxMessage } from '../store/outbox.ts'
import type { Notification } from '../pipeline/messages.ts'
import { TOPICS, answerVersion } from '../pipeline/messages.ts'
import { toDbDecimal } from '../../ledger/domain/money.ts'
import type { QuoteAnswer, QuoteRow } from '../store/quotes.ts'
import { applyBulkQuotes } from './bulk-quote-handler.ts'
import type { PipelineTx } from '../store/pipeline-store.ts'
import { forwardQuote, quoteError, resendQuote, type QuoteMessage, type QuoteRequestFields } from './quote-messages.ts'

/** The part of a batch another feature's quote-topic messages take (switch/fx's fxQuotes: applyFxQuotes). */
export type QuoteTopicBatch = (pipeline: PipelineTx, hubName: string, messages: readonly QuoteMessage[]) => Promise<Notification[]>

export function quoteHandler(deps: { hubName: string; topic: (name: string) => string; fxQuotes: QuoteTopicBatch }): BatchHandler<QuoteMessage> {
  return {
    async apply({ pipeline }, all) {
      const messages = all.filter((m) => m.value.resource !== 'bulkQuotes' && m.value.resource !== 'fxQuotes')
      const bulk = await applyBulkQuotes(pipeline, deps.hubName, all.filter((m) => m.value.resource === 'bulkQuotes').map((m) => m.value))
      const fx = await deps.fxQuotes(pipeline, deps.hubName, all.filter((m) => m.value.resource === 'fxQuotes').map((m) => m.value))
      const ids = [...new Set(messages.map((m) => m.value.quoteId))]
      const quotes = await pipeline.lockQuotes(ids)
      const out: Notification[] = []
      const inserts: QuoteRow[] = []
      const answers: QuoteAnswer[] = []
      const hub = deps.hubName
      for (const { value: m } of messages) {
        const q = quotes.get(m.quoteId)
        const stored = q?.response ? (JSON.parse(q.response) as { error: boolean; body: unknown }) : undefined
        if (m.kind === 'request') {
          if (m.refusal) { out.push(quoteError(hub, m.source, m.quoteId, m.version, m.refusal.code, m.refusal.detail)); continue }
          if (q) {
            if (q.request_hash !== m.hash) out.push(quoteError(hub, m.source, m.quoteId, answerVersion(m), '3106'))
            else if (stored) out.push(resendQuote(hub, m.source, m.quoteId, answerVersion(m), stored))
            continue
          }
          const request = m.body as QuoteRequestFields // checked against the API definition by the route
          const row: QuoteRow = {
            id: m.quoteId, transaction_id: request.transactionId, payer_fsp: m.source, payee_fsp: m.destination!, amount: toDbDecimal(request.amount.amount),
            currency: request.amount.currency, amount_type: request.amountType, expiration: request.expiration ? new Date(request.expiration) : null,
            state: 'RECEIVED', request_hash: m.hash, fspiop_version: m.version,
          }
          inserts.push(row)
          quotes.set(row.id, row)
          out.push(forwardQuote(m, m.destination!, 'POST', '/quotes', m.body))
        } else if (m.kind === 'get') {
          if (!q || (q.payer_fsp !== m.source && q.payee_fsp !== m.source)) out.push(quoteError(hub, m.source, m.quoteId, answerVersion(m), '3205'))
          else if (stored) out.push(resendQuote(hub, m.source, m.quoteId, answerVersion(m), stored))
          else out.push(forwardQuote(m, q.payee_fsp, 'GET', `/quotes/${m.quoteId}`, undefined))
        } else {
          if (!q) { out.push(quoteError(hub, m.source, m.quoteId, answerVersion(m), '3205')); continue }
          if (m.source !== q.payee_fsp) { out.push(quoteError(hub, m.source, m.quoteId, answerVersion(m), '3100', 'only the payee answers a quote')); continue }
          if (q.response_hash) {
            if (q.response_hash !== m.hash) out.push(quoteError(hub, m.source, m.quoteId, answerVersion(m), '3106'))
            continue
          }
          const response = { error: m.kind === 'error', body: m.body }
          const state = m.kind === 'error' ? 'REJECTED' : 'ACCEPTED'
          answers.push({ id: m.quoteId, state, response_hash: m.hash, response: JSON.stringify(response) })
          Object.assign(q, { state, response_hash: m.hash, response: JSON.stringify(response) })
          out.push(forwardQuote(m, q.payer_fsp, 'PUT', m.kind === 'error' ? `/quotes/${m.quoteId}/error` : `/quotes/${m.quoteId}`, m.body))
        }
      }
      // One statement per kind of write for the whole batch.
      await pipeline.insertQuotes(inserts)
      await pipeline.answerQuotes(answers)
      out.push(...bulk, ...fx)
      return out.map((n): OutboxMessage => ({ topic: deps.topic(TOPICS.notification), key: n.to, payload: JSON.stringify(n) }))
    },
  }
}
