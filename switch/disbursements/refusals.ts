// A refused submission answered in the caller's own format (nothing was created):
// - pain.001: a pain.002.001.10 CstmrPmtStsRpt with GrpSts RJCT and an ISO reason code (iso-reasons.ts);
// - CSV: text/plain naming the rows;
// - GSMA: the GSMA error object {errorCategory, errorCode, errorDescription, errorDateTime}.
import type { Refusal, RefusalKind, SubmissionFormat } from './submission.ts'
import { ISO_REASON_OF_REFUSAL } from './iso-reasons.ts'
import { pain002Document, xmlEscape } from './pain002-writer.ts'

export interface Answer {
  status: number
  contentType: string
  body: string
}

const STATUS_OF_REFUSAL: Readonly<Record<RefusalKind, number>> = {
  malformed: 400, schema: 400, amount: 400, currency: 400, empty: 400, 'too-many': 413, party: 400, id: 400, conflict: 409, payer: 403,
}

const GSMA_ERROR_OF_REFUSAL: Readonly<Record<RefusalKind, [category: string, code: string]>> = {
  malformed: ['validation', 'formatError'], schema: ['validation', 'formatError'], amount: ['validation', 'formatError'],
  currency: ['validation', 'currencyNotSupported'], empty: ['validation', 'mandatoryValueNotSupplied'], 'too-many': ['validation', 'lengthError'],
  party: ['validation', 'formatError'], id: ['validation', 'mandatoryValueNotSupplied'], conflict: ['businessRule', 'duplicateRequest'],
  payer: ['authorisation', 'requestingPartyAuthorisationError'],
}

export function refusalAnswer(format: SubmissionFormat, refusal: Refusal, opts: { originalMsgId?: string; now?: Date } = {}): Answer {
  const status = STATUS_OF_REFUSAL[refusal.kind]
  const now = opts.now ?? new Date()
  if (format === 'csv') return { status, contentType: 'text/plain; charset=utf-8', body: `refused (${refusal.kind}): ${refusal.message}\n` }
  if (format === 'gsma') {
    const [errorCategory, errorCode] = GSMA_ERROR_OF_REFUSAL[refusal.kind]
    return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ errorCategory, errorCode, errorDescription: refusal.message.slice(0, 256), errorDateTime: now.toISOString() }) }
  }
  const reason = ISO_REASON_OF_REFUSAL[refusal.kind]
  const infos = chunks(refusal.message, 105).slice(0, 10).map((line) => `<AddtlInf>${xmlEscape(line)}</AddtlInf>`).join('')
  const group = `<OrgnlGrpInfAndSts><OrgnlMsgId>${xmlEscape(opts.originalMsgId || 'UNKNOWN')}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.10</OrgnlMsgNmId><GrpSts>RJCT</GrpSts><StsRsnInf><Rsn><Cd>${reason}</Cd></Rsn>${infos}</StsRsnInf></OrgnlGrpInfAndSts>`
  return { status, contentType: 'application/xml; charset=utf-8', body: pain002Document(`RJCT-${now.getTime()}`, now, group) }
}

function chunks(text: string, size: number): string[] {
  const out: string[] = []
  for (let at = 0; at < text.length; at += size) out.push(text.slice(at, at + size))
  return out.length > 0 ? out : ['']
}
