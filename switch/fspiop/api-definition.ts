// The official FSPIOP API definitions: the bundled OpenAPI 3 documents of @mojaloop/api-snippets, read
// once per process, with their internal $refs resolved, giving the JSON schemas of an operation's
// request body, path parameters and headers. Any of the package's FSPIOP documents loads the same way
// (v1.0, v1.1, v2.0 and the v2.0 ISO 20022 variant, whose choice types are repaired as it is read).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { parse } from 'yaml'

export const API_DOCUMENTS = {
  'fspiop-1.0': 'fspiop-rest-v1.0-openapi3-snippets.yaml',
  'fspiop-1.1': 'fspiop-rest-v1.1-openapi3-snippets.yaml',
  'fspiop-2.0': 'fspiop-rest-v2.0-openapi3-snippets.yaml',
  'fspiop-2.0-iso20022': 'fspiop-rest-v2.0-ISO20022-openapi3-snippets.yaml',
} as const

export type ApiDocumentName = keyof typeof API_DOCUMENTS

/** A JSON schema (OpenAPI 3.0 schema object) with every $ref replaced by what it points at. */
export type JsonSchema = { [keyword: string]: unknown }

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const
export type HttpMethod = (typeof HTTP_METHODS)[number]

export interface OperationSchemas {
  operationId: string
  method: HttpMethod
  /** The document's path template, e.g. `/transfers/{ID}`. */
  path: string
  /** The application/json body schema, or undefined when the operation takes no body. */
  body: JsonSchema | undefined
  /** The component schema the body refers to (e.g. TransfersPostRequest), when it names one. */
  bodySchemaName: string | undefined
  bodyRequired: boolean
  /** `{ type: 'object', properties: { ID: ... }, required: [...] }`, names as the document spells them. */
  params: JsonSchema
  /** `{ type: 'object', properties, required }` with header names in lowercase (HTTP headers are case-insensitive). */
  headers: JsonSchema
}

export interface ApiDefinition {
  name: ApiDocumentName
  /** The document's paths, e.g. `/transfers/{ID}`. */
  paths: readonly string[]
  operation(method: string, path: string): OperationSchemas | undefined
  /** A component schema (`#/components/schemas/NAME`), resolved; undefined when the document has none. */
  schema(name: string): JsonSchema | undefined
}

export interface LoadOptions {
  /** Component schemas to use instead of the document's own, by name (e.g. CorrelationId). */
  schemaOverrides?: Record<string, JsonSchema>
}

type Node = { [key: string]: unknown }

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const require = createRequire(import.meta.url)

/** The folder holding the package's bundled documents. */
export function apiDocumentsFolder(): string {
  return join(dirname(require.resolve('@mojaloop/api-snippets/package.json')), 'docs')
}

/** Parses a document and resolves its refs. Pure apart from reading the file; each call reads it again. */
export function loadApiDefinition(name: ApiDocumentName, opts: LoadOptions = {}): ApiDefinition {
  const document: unknown = parse(readFileSync(join(apiDocumentsFolder(), API_DOCUMENTS[name]), 'utf8'))
  if (!isNode(document) || !isNode(document.paths)) throw new Error(`${name}: not an OpenAPI document`)
  if (name === 'fspiop-2.0-iso20022' && isNode(document.components) && isNode(document.components.schemas)) {
    document.components.schemas = withFxQuoteExpiry(closeChoices(document.components.schemas))
  }
  return fromDocument(name, document, opts)
}

/**
 * The ISO 20022 document's choice types (Party40Choice, StatusReason6Choice, ...) put
 * `additionalProperties: false` beside `anyOf` branches that hold the properties. In JSON Schema that
 * refuses every property, so no real message would pass; the document means "only the properties of the
 * branches", which is what this states, by naming the branches' properties at the top level.
 */
export function closeChoices(schemas: Record<string, unknown>): Record<string, unknown> {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit)
    if (!node || typeof node !== 'object') return node
    const out: Record<string, unknown> = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, visit(v)]))
    const branches = [...(Array.isArray(out.anyOf) ? out.anyOf : []), ...(Array.isArray(out.oneOf) ? out.oneOf : [])] as { properties?: Record<string, unknown> }[]
    if (out.additionalProperties === false && branches.some((b) => b.properties)) {
      const names = branches.flatMap((b) => Object.keys(b.properties ?? {}))
      out.properties = { ...Object.fromEntries(names.map((n) => [n, true])), ...(out.properties as Record<string, unknown> | undefined) }
    }
    return out
  }
  return visit(schemas) as Record<string, unknown>
}

/**
 * The FX quote messages (FxRequest_FICreditTransferProposal, FxResponse_FICreditTransferConfirmation) use
 * GroupHeader113, which has no PmtInstrXpryDtTm, although FSPIOP requires the conversion's expiration and
 * Mojaloop's ml-schema-transformer-lib writes and reads it exactly there (as for quotes, whose
 * GroupHeader129 has it). GroupHeader113 serves only these two messages: it takes PmtInstrXpryDtTm as
 * GroupHeader129 defines it, so an FX quote can carry its expiry (docs/adr/0010-iso20022-mode.md).
 */
export function withFxQuoteExpiry(schemas: Record<string, unknown>): Record<string, unknown> {
  const fx = schemas.GroupHeader113 as { properties?: Record<string, unknown> } | undefined
  const expiry = (schemas.GroupHeader129 as { properties?: Record<string, unknown> } | undefined)?.properties?.PmtInstrXpryDtTm
  if (!fx?.properties || !expiry || fx.properties.PmtInstrXpryDtTm) return schemas
  return { ...schemas, GroupHeader113: { ...fx, properties: { ...fx.properties, PmtInstrXpryDtTm: expiry } } }
}

export function fromDocument(name: ApiDocumentName, document: Node, opts: LoadOptions = {}): ApiDefinition {
  const resolver = createResolver(name, document, opts.schemaOverrides ?? {})
  const paths = document.paths as Node
  const operations = new Map<string, OperationSchemas>()
  for (const [path, item] of Object.entries(paths)) {
    if (!isNode(item)) continue
    const shared = Array.isArray(item.parameters) ? item.parameters : []
    for (const method of HTTP_METHODS) {
      const op = item[method]
      if (!isNode(op)) continue
      const own = Array.isArray(op.parameters) ? op.parameters : []
      operations.set(`${method} ${path}`, operationSchemas(resolver, method, path, op, [...shared, ...own]))
    }
  }
  const schemas = isNode(document.components) && isNode(document.components.schemas) ? document.components.schemas : {}
  return {
    name,
    paths: Object.keys(paths),
    operation: (method, path) => operations.get(`${method.toLowerCase()} ${path}`),
    schema: (schemaName) => (Object.hasOwn(schemas, schemaName) ? resolver.resolve({ $ref: `#/components/schemas/${schemaName}` }) as JsonSchema : undefined),
  }
}

function operationSchemas(resolver: Resolver, method: HttpMethod, path: string, op: Node, parameterRefs: unknown[]): OperationSchemas {
  const params = { type: 'object', properties: {} as Node, required: [] as string[] }
  const headers = { type: 'object', properties: {} as Node, required: [] as string[] }
  // An operation's own parameter replaces a path-level one of the same name and place (OpenAPI 3.0 §4.7.9).
  const byKey = new Map<string, Node>()
  for (const ref of parameterRefs) {
    const p = resolver.resolve(ref)
    if (!isNode(p) || typeof p.name !== 'string') continue
    byKey.set(`${p.in} ${p.in === 'header' ? p.name.toLowerCase() : p.name}`, p)
  }
  for (const p of byKey.values()) {
    const name = p.in === 'header' ? (p.name as string).toLowerCase() : (p.name as string)
    const target = p.in === 'header' ? headers : p.in === 'path' ? params : undefined
    if (!target) continue
    target.properties[name] = isNode(p.schema) ? p.schema : {}
    if (p.required === true) target.required.push(name)
  }
  const requestBody = op.requestBody === undefined ? undefined : resolver.resolve(op.requestBody)
  const content = isNode(requestBody) && isNode(requestBody.content) ? requestBody.content : undefined
  const json = content && isNode(content['application/json']) ? content['application/json'] : undefined
  return {
    operationId: typeof op.operationId === 'string' ? op.operationId : `${method} ${path}`,
    method, path,
    body: json && isNode(json.schema) ? json.schema : undefined,
    bodySchemaName: bodySchemaName(resolver, op.requestBody),
    bodyRequired: isNode(requestBody) && requestBody.required === true,
    params, headers,
  }
}

/** The name of the component schema a request body's application/json schema refers to, read before resolving. */
function bodySchemaName(resolver: Resolver, requestBody: unknown): string | undefined {
  // The requestBody itself may be a $ref to #/components/requestBodies/...: follow that one level only.
  const body = isNode(requestBody) && typeof requestBody.$ref === 'string' ? resolver.unresolved(requestBody.$ref) : requestBody
  const content = isNode(body) && isNode(body.content) ? body.content : undefined
  const json = content && isNode(content['application/json']) ? content['application/json'] : undefined
  const ref = json && isNode(json.schema) ? json.schema.$ref : undefined
  const prefix = '#/components/schemas/'
  return typeof ref === 'string' && ref.startsWith(prefix) ? ref.slice(prefix.length) : undefined
}

interface Resolver {
  resolve(node: unknown): unknown
  /** The node a ref points at, as the document has it (its own refs unresolved). */
  unresolved(ref: string): unknown
}

/**
 * Replaces every `{ $ref: '#/...' }` with the node it points at, deeply. A ref is resolved once and
 * shared wherever it is used (the result is a DAG, not a copy per use). A document whose refs loop
 * is refused: JSON schemas for validation here must be finite.
 */
function createResolver(name: string, document: Node, overrides: Record<string, JsonSchema>): Resolver {
  const done = new Map<string, unknown>()
  const inProgress = new Set<string>()

  function target(ref: string): unknown {
    const prefix = '#/components/schemas/'
    if (ref.startsWith(prefix) && Object.hasOwn(overrides, ref.slice(prefix.length))) return overrides[ref.slice(prefix.length)]
    if (!ref.startsWith('#/')) throw new Error(`${name}: external $ref ${ref} is not supported`)
    let node: unknown = document
    for (const raw of ref.slice(2).split('/')) {
      const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~')
      if (!isNode(node) || !Object.hasOwn(node, key)) throw new Error(`${name}: $ref ${ref} points at nothing`)
      node = node[key]
    }
    return node
  }

  function resolve(node: unknown): unknown {
    if (Array.isArray(node)) return node.map(resolve)
    if (!isNode(node)) return node
    if (typeof node.$ref === 'string') {
      const ref = node.$ref
      if (done.has(ref)) return done.get(ref)
      if (inProgress.has(ref)) throw new Error(`${name}: $ref ${ref} refers to itself`)
      inProgress.add(ref)
      const resolved = resolve(target(ref))
      inProgress.delete(ref)
      done.set(ref, resolved)
      return resolved
    }
    const out: Node = {}
    for (const [key, value] of Object.entries(node)) out[key] = resolve(value)
    return out
  }

  return { resolve, unresolved: target }
}

const cache = new Map<string, ApiDefinition>()

/**
 * The document each content-type version is checked against. 1.0 uses the 1.1 document: 1.1 is a
 * compatible revision of 1.0 with the same data types, and the package's 1.0 document lost them in
 * conversion (transferId, condition, transferState ... are bare strings there: no pattern, no enum, no
 * length), so checking 1.0 against it would let through what every Mojaloop component refuses.
 */
export const DOCUMENT_OF_VERSION = { '1.0': 'fspiop-1.1', '1.1': 'fspiop-1.1', '2.0': 'fspiop-2.0' } as const satisfies Record<string, ApiDocumentName>

/**
 * The FSPIOP definition for a content-type version, loaded once per process. CorrelationId is v2.0's
 * (a lowercase UUID or an uppercase ULID) on every version: Mojaloop clients send ULIDs with 1.0 and 1.1 too.
 */
export function fspiopApiDefinition(version: keyof typeof DOCUMENT_OF_VERSION): ApiDefinition {
  return cached(DOCUMENT_OF_VERSION[version])
}

/** Any of the package's FSPIOP documents, loaded once per process, with v2.0's CorrelationId. */
export function cached(name: ApiDocumentName): ApiDefinition {
  let definition = cache.get(name)
  if (!definition) {
    const v2 = name === 'fspiop-2.0' ? undefined : cached('fspiop-2.0')
    const correlationId = v2?.schema('CorrelationId')
    definition = loadApiDefinition(name, correlationId ? { schemaOverrides: { CorrelationId: correlationId } } : {})
    cache.set(name, definition)
  }
  return definition
}
