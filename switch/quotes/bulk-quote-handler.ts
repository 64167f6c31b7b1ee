// Bulk quotes in the quote handler's batch: the same duplicate rules as quotes (same id and hash: ignored
// in progress, answer resent when answered; modified: 3106; the switch's own request again unanswered: sent
// to the payee again), stored in bulk_quote so GET and duplicates
// work, POST forwarded to the payee (FSPIOP-Destination), its PUT back to the payer, unless the switch
// itself asked (BulkPayments), which reads the answer from the database.
import type { PipelineTx } from '../store/pipeline-store.ts'
import type { BulkQuoteRow } from '../store/bulk.ts'
import { answerVersion, type Notification } from '../pipeline/messages.ts'
import { FspiopError, type FspiopErrorCode } from '../fspiop/errors.ts'
import type { FspiopVersion } from '../fspiop/headers.ts'
import type { QuoteMessage } from './quote-messages.ts'

const ENDPOINT = 'FSPIOP_CALLBACK_URL_BULK_QUOTES'

export async function applyBulkQuotes(pipeline: PipelineTx, hub: string, messages: QuoteMessage[]): Promise<Notification[]> {
  if (messages.length === 0) return []
  const quotes = await pipeline.lockBulkQuotes([...new Set(messages.map((m) => m.quoteId))])
  const changed = new Map<string, BulkQuoteRow>()
  const out: Notification[] = []
  for (const m of messages) {
    const q = quotes.get(m.quoteId)
    const stored = q?.response ? (JSON.parse(q.response) as { error: boolean; body: unknown }) : undefined
    const reply = answerVersion(m)
    if (m.kind === 'request') {
      if (m.refusal) { if (!m.origin) out.push(bulkQuoteError(hub, m.source, m.quoteId, reply, m.refusal.code, m.refusal.detail)); continue }
      if (q) {
        // BulkPayments reads the stored row. Asked again with no answer yet (its engine restarted: the payee's
        // answer may have come while the switch was down, and is lost), the payee is asked again.
        if (m.origin) { if (!stored && q.request_hash === m.hash) out.push(forwardBulkQuote(m, q.payee_fsp, 'POST', '/bulkQuotes', m.body, true)); continue }
        if (q.request_hash !== m.hash) out.push(bulkQuoteError(hub, m.source, m.quoteId, reply, '3106'))
        else if (stored) out.push(resendBulkQuote(hub, m.source, m.quoteId, reply, stored))
        continue
      }
      const row: BulkQuoteRow = {
        id: m.quoteId, payer_fsp: m.source, payee_fsp: m.destination!, state: 'RECEIVED', origin: m.origin ?? 'fspiop', request_hash: m.hash,
        response_hash: null, response: null, fspiop_version: m.version,
      }
      quotes.set(row.id, row)
      changed.set(row.id, row)
      out.push(forwardBulkQuote(m, row.payee_fsp, 'POST', '/bulkQuotes', m.body, Boolean(m.origin)))
    } else if (m.kind === 'get') {
      if (!q || (q.payer_fsp !== m.source && q.payee_fsp !== m.source)) out.push(bulkQuoteError(hub, m.source, m.quoteId, reply, '3209'))
      else if (stored) out.push(resendBulkQuote(hub, m.source, m.quoteId, reply, stored))
      else out.push(forwardBulkQuote(m, q.payee_fsp, 'GET', `/bulkQuotes/${m.quoteId}`, undefined, false))
    } else {
      if (!q) { out.push(bulkQuoteError(hub, m.source, m.quoteId, reply, '3209')); continue }
      if (m.source !== q.payee_fsp) { out.push(bulkQuoteError(hub, m.source, m.quoteId, reply, '3100', 'only the payee answers a bulk quote')); continue }
      if (q.response_hash) {
        if (q.response_hash !== m.hash) out.push(bulkQuoteError(hub, m.source, m.quoteId, reply, '3106'))
        continue
      }
      const error = m.kind === 'error'
      Object.assign(q, { state: error ? 'REJECTED' : 'ACCEPTED', response_hash: m.hash, response: JSON.stringify({ error, body: m.body }) })
      changed.set(q.id, q)
      if (q.origin === 'fspiop') out.push(forwardBulkQuote(m, q.payer_fsp, 'PUT', error ? `/bulkQuotes/${m.quoteId}/error` : `/bulkQuotes/${m.quoteId}`, m.body, false))
    }
  }
  await pipeline.saveBulkQuotes([...changed.values()])
  return out
}

function forwardBulkQuote(m: QuoteMessage, to: string, method: 'POST' | 'PUT' | 'GET', path: string, body: unknown, hubOriginated: boolean): Notification {
  return {
    to, endpointType: ENDPOINT, method, path, params: { id: m.quoteId }, suffix: path, resource: 'bulkQuotes', version: m.version,
    acceptVersion: answerVersion(m), source: m.source, destination: to, hubOriginated, body, reference: m.quoteId, ...(hubOriginated ? {} : { passHeaders: m.passHeaders }),
  }
}

function resendBulkQuote(hub: string, to: string, id: string, version: FspiopVersion, response: { error: boolean; body: unknown }): Notification {
  const path = response.error ? `/bulkQuotes/${id}/error` : `/bulkQuotes/${id}`
  return { to, endpointType: ENDPOINT, method: 'PUT', path, params: { id }, suffix: path, resource: 'bulkQuotes', version, source: hub, destination: to, hubOriginated: true, body: response.body, reference: id }
}

function bulkQuoteError(hub: string, to: string, id: string, version: FspiopVersion, code: FspiopErrorCode, detail?: string): Notification {
  return resendBulkQuote(hub, to, id, version, { error: true, body: new FspiopError(code, detail).toBody() })
}
