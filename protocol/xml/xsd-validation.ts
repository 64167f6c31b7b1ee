// XML checked against an XSD with libxml2 (libxml2-wasm), shared by the switch (G2P pain.001 submissions)
// and the ISO 20022 bank connector (its pacs/camt/acmt messages): neither may import the other (ADR 0015),
// so the protocol code both need lives here and imports nothing of ledger/, switch/ or adapters/.
// A Document is known by its root's namespace; each schema is compiled once per process.
import { readFileSync } from 'node:fs'
import { XmlDocument, XmlValidateError, XsdValidator } from 'libxml2-wasm'

export type XsdCheck =
  | { ok: true; namespace: string }
  | { ok: false; problem: 'malformed' | 'namespace' | 'schema'; message: string; namespace?: string }

const validators = new Map<string, XsdValidator>()
function validatorFor(xsdPath: string): XsdValidator {
  let validator = validators.get(xsdPath)
  if (!validator) {
    validator = XsdValidator.fromDoc(XmlDocument.fromString(readFileSync(xsdPath, 'utf8')))
    validators.set(xsdPath, validator)
  }
  return validator
}

/** Parses and validates; never throws for bad input. `schemaOf` names the XSD file for a root `Document`
 *  in a namespace the caller speaks (undefined: refused as `namespace`). Messages are raw: callers shorten them. */
export function checkXmlAgainstXsd(xml: string, schemaOf: (namespace: string) => string | undefined): XsdCheck {
  let doc: XmlDocument
  try {
    doc = XmlDocument.fromString(xml)
  } catch (error) {
    return { ok: false, problem: 'malformed', message: `not well-formed XML: ${(error as Error).message}` }
  }
  try {
    const root = doc.root
    const xsdPath = root.name === 'Document' ? schemaOf(root.namespaceUri) : undefined
    if (!xsdPath) return { ok: false, problem: 'namespace', message: `unknown message: {${root.namespaceUri}}${root.name}` }
    try {
      validatorFor(xsdPath).validate(doc)
    } catch (error) {
      if (!(error instanceof XmlValidateError)) throw error
      return { ok: false, problem: 'schema', namespace: root.namespaceUri, message: error.details[0]?.message ?? error.message }
    }
    return { ok: true, namespace: root.namespaceUri }
  } finally {
    doc.dispose()
  }
}

/** For a reply quoted back to a sender: one line, without the schema's namespace noise, at most `chars_max`. */
export function shortXsdMessage(message: string, chars_max: number): string {
  return message.replace(/\s+/g, ' ').replace(/\{urn:iso:std:iso:20022:tech:xsd:[a-z0-9.]+\}/g, '').trim().slice(0, chars_max)
}
