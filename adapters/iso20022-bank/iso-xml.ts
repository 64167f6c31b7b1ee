// ISO 20022 documents as plain objects: element names as keys in the schema's order, text as strings
// (amounts stay exact decimal strings, never numbers), attributes under "@_" (Ccy="USD" is "@_Ccy").
import { XMLBuilder, XMLParser } from 'fast-xml-parser'
import { namespaceOf, type IsoMessageType } from './xsd-validation.ts'

export type XmlNode = { [name: string]: XmlValue }
export type XmlValue = string | XmlNode | XmlValue[] | undefined

/** Elements that may repeat in the messages this connector reads: always arrays, even with one. */
const REPEATED = new Set(['CdtTrfTxInf', 'TxInf', 'TxInfAndSts', 'StsRsnInf', 'AddtlInf', 'Ustrd', 'Stmt', 'Ntfctn', 'Ntry', 'Bal', 'OrgnlGrpInfAndSts'])

const parser = new XMLParser({
  ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, parseAttributeValue: false,
  removeNSPrefix: true, trimValues: true, isArray: (name) => REPEATED.has(name),
})
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: false, suppressEmptyNode: true })

/** The Document's message element (e.g. FIToFICstmrCdtTrf); the XML has been validated already. */
export function readDocument(xml: string): XmlNode {
  const parsed = parser.parse(xml) as XmlNode
  const document = parsed.Document as XmlNode
  const [first] = Object.keys(document).filter((k) => !k.startsWith('@_'))
  return document[first!] as XmlNode
}

/** A whole Document of `type` with its message element, without the undefined fields. */
export function writeDocument(type: IsoMessageType, messageElement: string, body: XmlNode): string {
  const document = { Document: { '@_xmlns': namespaceOf(type), [messageElement]: prune(body) } }
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build(document)}`
}

function prune(value: XmlValue): XmlValue {
  if (Array.isArray(value)) return value.map(prune)
  if (value && typeof value === 'object') {
    const out: XmlNode = {}
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = prune(v)
    return out
  }
  return value
}

// ---- reading helpers: a path into a node, as text or as a node ----

/** The value at `path` (the first of repeated elements at each step), or undefined where the path ends. */
function walk(from: XmlValue, path: readonly string[]): XmlValue | undefined {
  let at: XmlValue = from
  for (const key of path) {
    if (Array.isArray(at)) at = at[0]
    if (!at || typeof at !== 'object') return undefined
    at = (at as XmlNode)[key]
  }
  return Array.isArray(at) ? at[0] : at
}

export function node(from: XmlValue, ...path: string[]): XmlNode | undefined {
  const at = walk(from, path)
  return at && typeof at === 'object' ? (at as XmlNode) : undefined
}

export function text(from: XmlValue, ...path: string[]): string | undefined {
  const at = walk(from, path)
  if (typeof at === 'string') return at
  if (at && typeof at === 'object' && typeof (at as XmlNode)['#text'] === 'string') return (at as XmlNode)['#text'] as string
  return undefined
}

export function list(from: XmlValue, ...path: string[]): XmlValue[] {
  const parent = path.length > 1 ? node(from, ...path.slice(0, -1)) : (from as XmlNode)
  const value = parent?.[path.at(-1)!]
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

/** An ISO amount element: `<IntrBkSttlmAmt Ccy="USD">10.50</IntrBkSttlmAmt>`. */
export const amountNode = (amount: string, currency: string): XmlNode => ({ '@_Ccy': currency, '#text': amount })
