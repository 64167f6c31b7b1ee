// The pain.001 a payer submits, checked against the official XSD (xsd/) with the libxml2 validation the
// ISO bank connector uses too (protocol/xml/xsd-validation.ts).
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkXmlAgainstXsd, shortXsdMessage } from '../../protocol/xml/xsd-validation.ts'

const XSD_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'xsd')
export const XSD_MESSAGE_CHARS_MAX = 105

export type XsdCheck = { ok: true } | { ok: false; problem: 'malformed' | 'namespace' | 'schema'; message: string }

/** `message` names both the XSD file in xsd/ and the namespace the Document must be in (e.g. pain.001.001.10). */
export function checkAgainstXsd(xml: string, message: string): XsdCheck {
  const namespace = `urn:iso:std:iso:20022:tech:xsd:${message}`
  const check = checkXmlAgainstXsd(xml, (ns) => (ns === namespace ? path.join(XSD_DIR, `${message}.xsd`) : undefined))
  return check.ok ? { ok: true } : { ok: false, problem: check.problem, message: shortXsdMessage(check.message, XSD_MESSAGE_CHARS_MAX) }
}
