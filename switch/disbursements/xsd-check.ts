// XSD validation of the pain.001 a payer submits, with libxml2 (libxml2-wasm) as the ISO bank adapter
// does (adapters/iso20022-bank/xsd-validation.ts). Kept here rather than shared: the switch may not depend
// on a DFSP-side connector and the adapters may not import the switch (ADR 0015); both move to a shared
// protocol folder together (ADR 0018).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { XmlDocument, XmlValidateError, XsdValidator } from 'libxml2-wasm'

const XSD_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'xsd')
export const XSD_MESSAGE_CHARS_MAX = 105

export type XsdCheck = { ok: true } | { ok: false; problem: 'malformed' | 'namespace' | 'schema'; message: string }

const validators = new Map<string, XsdValidator>()
function validatorFor(message: string): XsdValidator {
  let validator = validators.get(message)
  if (!validator) {
    const schema = XmlDocument.fromString(readFileSync(path.join(XSD_DIR, `${message}.xsd`), 'utf8'))
    validator = XsdValidator.fromDoc(schema)
    validators.set(message, validator)
  }
  return validator
}

/** `message` names both the XSD file in xsd/ and the namespace the Document must be in (e.g. pain.001.001.10). */
export function checkAgainstXsd(xml: string, message: string): XsdCheck {
  let doc: XmlDocument
  try {
    doc = XmlDocument.fromString(xml)
  } catch (error) {
    return { ok: false, problem: 'malformed', message: short(`not well-formed XML: ${(error as Error).message}`) }
  }
  try {
    const root = doc.root
    const namespace = `urn:iso:std:iso:20022:tech:xsd:${message}`
    if (root.name !== 'Document' || root.namespaceUri !== namespace) return { ok: false, problem: 'namespace', message: short(`not a ${message} Document: {${root.namespaceUri}}${root.name}`) }
    try {
      validatorFor(message).validate(doc)
    } catch (error) {
      if (!(error instanceof XmlValidateError)) throw error
      return { ok: false, problem: 'schema', message: short(error.details[0]?.message ?? error.message) }
    }
    return { ok: true }
  } finally {
    doc.dispose()
  }
}

function short(message: string): string {
  return message.replace(/\s+/g, ' ').replace(/\{urn:iso:std:iso:20022:tech:xsd:[a-z0-9.]+\}/g, '').trim().slice(0, XSD_MESSAGE_CHARS_MAX)
}
