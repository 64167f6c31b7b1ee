// FX quotes in the quote handler's batch (quoting-service's fxQuotes model): the same duplicate rules as
// quotes (same conversionRequestId and hash: ignored while unanswered, the FXP's answer resent once
// answered; another body: 3106), stored in fx_quote so GET and duplicates work; POST forwarded to the FXP,
// the FXP's PUT (or error) back to the initiating DFSP. Only the FXP asked answers (3100 otherwise).
import type { PipelineTx } from '../store/pipeline-store.ts'
import type { FxQuoteRow } from '../store/fx-quotes.ts'
import { answerVersion, type Notification } from '../pipeline/messages.ts'
import { toDbDecimal } from '../../ledger/domain/money.ts'
import type { QuoteMessage } from '../quotes/quote-messages.ts'
import { forwardFxQuote, fxQuoteError, resendFxQuote, type FxQuoteAnswerFields, type FxQuoteRequestFields } from './fx-quote-messages.ts'

/** The FX quote id the GET, PUT or error names is unknown: quoting-service's "quote not found". */
const NOT_FOUND = '3205'

export async function applyFxQuotes(pipeline: PipelineTx, hub: string, messages: readonly QuoteMessage[]): Promise<Notification[]> {
  if (messages.length === 0) return []
  const quotes = await pipeline.lockFxQuotes([...new Set(messages.map((m) => m.quoteId))])
  const changed = new Map<string, FxQuoteRow>()
  const out: Notification[] = []
  for (const m of messages) {
    const q = quotes.get(m.quoteId)
    const stored = q?.response ? (JSON.parse(q.response) as { error: boolean; body: unknown }) : undefined
    const reply = answerVersion(m)
    if (m.kind === 'request') {
      if (m.refusal) { out.push(fxQuoteError(hub, m.source, m.quoteId, reply, m.refusal.code, m.refusal.detail)); continue }
      if (q) {
        if (q.request_hash !== m.hash) out.push(fxQuoteError(hub, m.source, m.quoteId, reply, '3106', `fxQuote ${m.quoteId} is a duplicate but hashes don't match`))
        else if (stored) out.push(resendFxQuote(hub, m.source, m.quoteId, reply, stored))
        continue
      }
      const row = newRow(m)
      quotes.set(row.id, row)
      changed.set(row.id, row)
      out.push(forwardFxQuote(m, row.fxp, 'POST', '/fxQuotes', m.body))
    } else if (m.kind === 'get') {
      if (!q || (q.initiating_fsp !== m.source && q.fxp !== m.source)) out.push(fxQuoteError(hub, m.source, m.quoteId, reply, NOT_FOUND))
      else if (stored) out.push(resendFxQuote(hub, m.source, m.quoteId, reply, stored))
      else out.push(forwardFxQuote(m, q.fxp, 'GET', `/fxQuotes/${m.quoteId}`, undefined))
    } else {
      if (!q) { out.push(fxQuoteError(hub, m.source, m.quoteId, reply, NOT_FOUND)); continue }
      if (m.source !== q.fxp) { out.push(fxQuoteError(hub, m.source, m.quoteId, reply, '3100', 'only the FXP asked answers an fxQuote')); continue }
      if (q.response_hash) {
        if (q.response_hash !== m.hash) out.push(fxQuoteError(hub, m.source, m.quoteId, reply, '3106', `answer to fxQuote ${m.quoteId} is a duplicate but hashes don't match`))
        continue
      }
      const error = m.kind === 'error'
      const terms = error ? undefined : (m.body as FxQuoteAnswerFields).conversionTerms // checked against the API definition by the route
      Object.assign(q, {
        state: error ? 'REJECTED' : 'ACCEPTED', response_hash: m.hash, response: JSON.stringify({ error, body: m.body }),
        quoted_source_amount: dbAmount(terms?.sourceAmount.amount), quoted_target_amount: dbAmount(terms?.targetAmount.amount),
      })
      changed.set(q.id, q)
      out.push(forwardFxQuote(m, q.initiating_fsp, 'PUT', error ? `/fxQuotes/${m.quoteId}/error` : `/fxQuotes/${m.quoteId}`, m.body))
    }
  }
  await pipeline.saveFxQuotes([...changed.values()])
  return out
}

function newRow(m: QuoteMessage): FxQuoteRow {
  const { conversionTerms: t } = m.body as FxQuoteRequestFields // checked against the API definition by the route
  return {
    id: m.quoteId, conversion_id: t.conversionId, determining_transfer_id: t.determiningTransferId ?? null, initiating_fsp: m.source, fxp: m.destination!,
    amount_type: t.amountType, source_currency: t.sourceAmount.currency, source_amount: dbAmount(t.sourceAmount.amount),
    target_currency: t.targetAmount.currency, target_amount: dbAmount(t.targetAmount.amount), quoted_source_amount: null, quoted_target_amount: null,
    expiration: new Date(t.expiration), state: 'RECEIVED', request_hash: m.hash, response_hash: null, response: null, fspiop_version: m.version,
  }
}

function dbAmount(amount: string | undefined): string | null {
  return amount === undefined ? null : toDbDecimal(amount)
}
