// What a message looks like on the wire to its recipient: Agora holds FSPIOP bodies; a participant in
// ISO20022 mode gets /parties, /quotes, /transfers, /fxQuotes and /fxTransfers messages translated to the ISO 20022 variant, with
// its content types. A translated message no longer carries the sender's FSPIOP-Signature (it signed
// the other form); hub-originated ones are signed by the hub over the translated body.
import type { Callback } from '../callback.ts'
import { ISO_RESOURCES, fspiopToIso, isoMessageOf, TranslationError, type TranslationContext } from './iso-translation.ts'
import { isoContentTypeFor, type ApiMode } from '../api-mode.ts'

export type WireMessage =
  | { ok: true; body: unknown; headers: Record<string, string>; passHeaders: Record<string, string> | undefined }
  | { ok: false; reason: string; detail: string }

type Message = Pick<Callback, 'method' | 'path' | 'params' | 'resource' | 'source' | 'destination' | 'body' | 'passHeaders'>

/** The context a translation needs, from a callback's path parameters and headers. */
export function translationContext(m: Pick<Message, 'params' | 'source' | 'destination'>): TranslationContext {
  const p = m.params
  return {
    source: m.source, destination: m.destination, id: p.transferId ?? p.quoteId ?? p.commitRequestId ?? p.ID,
    party: p.partyIdType && p.partyIdentifier ? { Type: p.partyIdType, ID: p.partyIdentifier, ...(p.partySubIdOrType ? { SubId: p.partySubIdOrType } : {}) } : undefined,
  }
}

/** The message in the recipient's mode: unchanged for FSPIOP, translated for ISO20022. */
export async function inRecipientMode(m: Message, mode: ApiMode): Promise<WireMessage> {
  if (mode !== 'ISO20022' || !ISO_RESOURCES.includes(m.resource)) return { ok: true, body: m.body, headers: {}, passHeaders: m.passHeaders }
  const headers: Record<string, string> = { 'content-type': isoContentTypeFor(m.resource) }
  if (m.method === 'POST' || m.method === 'GET') headers.accept = isoContentTypeFor(m.resource)
  const { 'fspiop-signature': _signature, ...passHeaders } = m.passHeaders ?? {}
  if (m.body === undefined) return { ok: true, body: undefined, headers, passHeaders: m.passHeaders }
  const message = isoMessageOf(m.method, m.path)
  if (!message) return { ok: false, reason: `${m.method} ${m.path} has no ISO 20022 form`, detail: 'the message has no ISO 20022 form' }
  try {
    return { ok: true, body: await fspiopToIso(message, m.body as Record<string, unknown>, translationContext(m)), headers, passHeaders }
  } catch (error) {
    if (error instanceof TranslationError) return { ok: false, reason: `${m.method} ${m.path} cannot be sent in ISO 20022: ${error.message}`, detail: error.message }
    throw error
  }
}
