// pain.002.001.10 (CustomerPaymentStatusReport) as text: the group header, then the caller's blocks.
// Written by hand (no builder) so a 100,000-transaction report is one pass of string joins.

export const PAIN002_MESSAGE = 'pain.002.001.10'

const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }
export const xmlEscape = (text: string): string => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!)

/** ISO DateTime without milliseconds and with its zone. */
export const isoDateTime = (at: Date): string => `${at.toISOString().slice(0, 19)}Z`

export function pain002Document(msgId: string, now: Date, blocks: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:${PAIN002_MESSAGE}"><CstmrPmtStsRpt><GrpHdr><MsgId>${xmlEscape(msgId.slice(0, 35))}</MsgId><CreDtTm>${isoDateTime(now)}</CreDtTm></GrpHdr>${blocks}</CstmrPmtStsRpt></Document>`
}
