// The ISO 20022 variant of FSPIOP v2.0 as published in @mojaloop/api-snippets, and validators of the
// request bodies it defines. Kept in one file so it can be folded into a shared api-definition loader.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { parse } from 'yaml'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

export const ISO_DOCUMENT_FILE = 'fspiop-rest-v2.0-ISO20022-openapi3-snippets.yaml'
const DOCUMENT_ID = 'fspiop-v2.0-iso20022'

type HttpMethod = 'get' | 'put' | 'post' | 'patch'
interface OpenApiDocument {
  paths: Record<string, Partial<Record<HttpMethod, { requestBody?: { content: Record<string, { schema: { $ref: string } }> } }>>>
  components: { schemas: Record<string, unknown> }
}

export function isoDocumentPath(): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('@mojaloop/api-snippets/package.json')), 'docs', ISO_DOCUMENT_FILE)
}

let loaded: { document: OpenApiDocument; ajv: Ajv; validators: Map<string, ValidateFunction> } | undefined

function load() {
  if (loaded) return loaded
  const document = parse(readFileSync(isoDocumentPath(), 'utf8')) as OpenApiDocument
  // OpenAPI 3.0 schemas carry `example` and other annotations that are not JSON Schema keywords.
  const ajv = addFormats(new Ajv({ strict: false, allErrors: false }))
  ajv.addSchema({ $id: DOCUMENT_ID, components: { schemas: closeChoices(document.components.schemas) } })
  loaded = { document, ajv, validators: new Map() }
  return loaded
}

/**
 * The document's choice types (Party40Choice, StatusReason6Choice, ...) put `additionalProperties: false`
 * beside `anyOf` branches that hold the properties. In JSON Schema that refuses every property, so no
 * real message would pass; the document means "only the properties of the branches", which is what this
 * states, by naming the branches' properties at the top level.
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

/** The schema name of a request body in the document, e.g. ('/transfers', 'post') -> Execute_FIToFICustomerCreditTransferV13. */
export function requestBodySchemaName(path: string, method: HttpMethod): string {
  const operation = load().document.paths[path]?.[method]
  const content = operation?.requestBody?.content
  const ref = content ? Object.values(content)[0]?.schema.$ref : undefined
  if (!ref) throw new Error(`the ISO 20022 document defines no request body for ${method.toUpperCase()} ${path}`)
  return ref.replace('#/components/schemas/', '')
}

export type IsoValidation = { ok: true } | { ok: false; errors: ErrorObject[] }

/** Validates a request body against the document's schema for that path and method. */
export function validateIsoBody(path: string, method: HttpMethod, body: unknown): IsoValidation {
  const { ajv, validators } = load()
  const key = `${method} ${path}`
  let validate = validators.get(key)
  if (!validate) {
    validate = ajv.compile({ $ref: `${DOCUMENT_ID}#/components/schemas/${requestBodySchemaName(path, method)}` })
    validators.set(key, validate)
  }
  return validate(body) ? { ok: true } : { ok: false, errors: validate.errors ?? [] }
}
