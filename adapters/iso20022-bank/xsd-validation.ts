// Every message in or out is checked against its official XSD (xsd/, loaded once per process with
// libxml2: protocol/xml/xsd-validation.ts). A message is known by its root's namespace: a Document in a
// namespace this connector does not speak is refused as such, before its content is looked at.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkXmlAgainstXsd, shortXsdMessage } from '../../protocol/xml/xsd-validation.ts'

const XSD_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'xsd')
/** Validation errors quoted back to the sender, at most (pacs.002 AddtlInf is 105 characters a line). */
export const VALIDATION_MESSAGE_CHARS_MAX = 105

export const ISO_MESSAGE_VERSIONS = {
  'pacs.008': 'pacs.008.001.09',
  'pacs.002': 'pacs.002.001.11',
  'pacs.028': 'pacs.028.001.04',
  'acmt.023': 'acmt.023.001.02',
  'acmt.024': 'acmt.024.001.02',
  'camt.054': 'camt.054.001.08',
  'camt.053': 'camt.053.001.08',
} as const
export type IsoMessageType = keyof typeof ISO_MESSAGE_VERSIONS

export const namespaceOf = (type: IsoMessageType) => `urn:iso:std:iso:20022:tech:xsd:${ISO_MESSAGE_VERSIONS[type]}`
const TYPE_OF_NAMESPACE = new Map(Object.keys(ISO_MESSAGE_VERSIONS).map((t) => [namespaceOf(t as IsoMessageType), t as IsoMessageType]))

export type IsoValidation =
  | { ok: true; type: IsoMessageType }
  | { ok: false; problem: 'malformed' | 'namespace' | 'schema'; message: string; type?: IsoMessageType }

/** Parses and validates one message; never throws for bad input. */
export function validateIso(xml: string): IsoValidation {
  const check = checkXmlAgainstXsd(xml, (namespace) => {
    const type = TYPE_OF_NAMESPACE.get(namespace)
    return type ? path.join(XSD_DIR, `${ISO_MESSAGE_VERSIONS[type]}.xsd`) : undefined
  })
  if (check.ok) return { ok: true, type: TYPE_OF_NAMESPACE.get(check.namespace)! }
  const type = check.namespace ? TYPE_OF_NAMESPACE.get(check.namespace) : undefined
  return { ok: false, problem: check.problem, message: short(check.message), ...(type ? { type } : {}) }
}

/** For tests and for what this connector writes: throws when the XML is not a valid message of `type`. */
export function assertValidIso(xml: string, type: IsoMessageType): void {
  const check = validateIso(xml)
  if (!check.ok) throw new Error(`${type}: ${check.problem}: ${check.message}`)
  if (check.type !== type) throw new Error(`expected ${type}, got ${check.type}`)
}

const short = (message: string) => shortXsdMessage(message, VALIDATION_MESSAGE_CHARS_MAX)
