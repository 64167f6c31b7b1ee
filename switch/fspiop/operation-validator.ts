// Validators of one FSPIOP operation (headers, path parameters, body) compiled with ajv from the
// official API definition, and the mapping of a failure to the FSPIOP error Mojaloop gives for it
// (central-services-error-handling createFSPIOPErrorFromOpenapiError: required 3102,
// additionalProperties 3103, type 3101, anything else 3100; description "<path> <ajv message>", the
// path prefixed as openapi-backend does: /header, /path, /requestBody).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { ApiDefinition, JsonSchema, OperationSchemas } from './api-definition.ts'
import { FspiopError, type FspiopErrorCode } from './errors.ts'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

function newAjv(coerceTypes: boolean): Ajv {
  // strict off: the documents carry OpenAPI keywords (example, ...) that are not JSON schema.
  const ajv = new Ajv({ strict: false, allErrors: false, coerceTypes })
  addFormats(ajv)
  return ajv
}

/** Bodies are checked as sent; headers and path parameters arrive as strings and are coerced (as openapi-backend does). */
const bodyAjv = newAjv(false)
const parameterAjv = newAjv(true)

export interface RequestParts {
  /** Lowercase header names, as Node gives them. */
  headers: Record<string, unknown>
  /** Path parameters named as in the document (ID, Type, SubId). */
  params: Record<string, unknown>
  body: unknown
}

export interface OperationValidator {
  operation: OperationSchemas
  /** Headers, then path parameters, then the body; throws the FspiopError of the first failure. */
  check(parts: RequestParts): void
  /**
   * The body alone, against the same compiled schema: ajv's errors (the first failure), empty when the
   * body follows it. For messages that are not answered with an FSPIOP error (the ISO 20022 translation).
   */
  bodyErrors(body: unknown): ErrorObject[]
}

export interface ValidatorOptions {
  /** Schemas to use for path parameters instead of the document's (e.g. ID as a CorrelationId). */
  paramOverrides?: Record<string, JsonSchema>
  /** Headers (lowercase) this switch requires on the operation beyond those the document marks required. */
  requiredHeaders?: readonly string[]
}

const compiled = new WeakMap<ApiDefinition, Map<string, OperationValidator>>()

/** The validator of an operation, compiled once per definition and operation; undefined when the document lacks it. */
export function operationValidator(definition: ApiDefinition, method: string, path: string, opts: ValidatorOptions = {}): OperationValidator | undefined {
  const key = `${method.toLowerCase()} ${path} ${Object.keys(opts.paramOverrides ?? {}).join(',')} ${(opts.requiredHeaders ?? []).join(',')}`
  let byOperation = compiled.get(definition)
  if (!byOperation) compiled.set(definition, (byOperation = new Map()))
  const existing = byOperation.get(key)
  if (existing) return existing
  const operation = definition.operation(method, path)
  if (!operation) return undefined
  const validator = compileOperation(operation, opts)
  byOperation.set(key, validator)
  return validator
}

function compileOperation(operation: OperationSchemas, opts: ValidatorOptions): OperationValidator {
  const params = withProperties(operation.params, opts.paramOverrides ?? {})
  const headerSchema = opts.requiredHeaders?.length
    ? { ...operation.headers, required: [...new Set([...((operation.headers.required as string[] | undefined) ?? []), ...opts.requiredHeaders])] }
    : operation.headers
  // Compiled at first use, not when the route is added: compiling every operation of every version took
  // about half a second of each start, time a restarted switch does not serve.
  let validators: { headers: ValidateFunction; path: ValidateFunction; body: ValidateFunction | undefined } | undefined
  const compiledOnce = () => (validators ??= {
    headers: parameterAjv.compile(headerSchema),
    path: parameterAjv.compile(params),
    body: operation.body ? bodyAjv.compile(sharedOnce(operation.body)) : undefined,
  })
  return {
    operation,
    check(parts) {
      const { headers, path, body } = compiledOnce()
      // Coercion writes into the object it checks: check copies, never the request's own headers.
      run(headers, { ...parts.headers }, '/header')
      run(path, { ...parts.params }, '/path')
      if (!body) return
      if (parts.body === undefined) {
        if (operation.bodyRequired) throw fromAjvError({ keyword: 'required', instancePath: '', message: "must have required property 'requestBody'" }, '')
        return
      }
      run(body, parts.body, '/requestBody')
    },
    bodyErrors(data) {
      const { body } = compiledOnce()
      if (!body || body(data)) return []
      return body.errors ?? []
    },
  }
}

/** The ajv schema id of each subschema used in more than one place, registered once with bodyAjv. */
const sharedIds = new WeakMap<object, string>()

/**
 * The resolved documents share one node for every use of a component schema. ajv would generate that
 * schema's code again at every use (the ISO 20022 messages nest the same types many times over), so a
 * node met more than once is registered with ajv under its own id and referred to, and compiled once.
 */
function sharedOnce(schema: JsonSchema): JsonSchema {
  const uses = new Map<object, number>()
  const count = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return
    const seen = uses.get(node) ?? 0
    uses.set(node, seen + 1)
    if (seen === 0) for (const child of Object.values(node)) count(child)
  }
  count(schema)
  const rebuild = (node: unknown, root = false): unknown => {
    if (typeof node !== 'object' || node === null) return node
    if (!root && !Array.isArray(node) && (uses.get(node) ?? 0) > 1) return { $ref: register(node as JsonSchema) }
    if (Array.isArray(node)) return node.map((child) => rebuild(child))
    return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, rebuild(child)]))
  }
  const register = (node: JsonSchema): string => {
    let id = sharedIds.get(node)
    if (!id) {
      id = `agora-shared-${nextSharedId++}`
      sharedIds.set(node, id)
      bodyAjv.addSchema(rebuild(node, true) as JsonSchema, id)
    }
    return id
  }
  return rebuild(schema, true) as JsonSchema
}
let nextSharedId = 0

function withProperties(schema: JsonSchema, overrides: Record<string, JsonSchema>): JsonSchema {
  const properties = { ...(schema.properties as Record<string, JsonSchema>) }
  for (const [name, override] of Object.entries(overrides)) if (Object.hasOwn(properties, name)) properties[name] = override
  return { ...schema, properties }
}

function run(validate: ValidateFunction, data: unknown, prefix: string): void {
  if (validate(data)) return
  const first = validate.errors?.[0]
  throw first ? fromAjvError(first, prefix) : new FspiopError('3100')
}

const CODE_OF_KEYWORD: Record<string, FspiopErrorCode> = { required: '3102', additionalProperties: '3103', type: '3101' }

/** Mojaloop's mapping of one validation error (openapi-backend shape) to an FspiopError. */
export function fromAjvError(error: Pick<ErrorObject, 'keyword' | 'instancePath' | 'message'>, prefix: string): FspiopError {
  const code = CODE_OF_KEYWORD[error.keyword] ?? '3100'
  const where = `${prefix}${error.instancePath}`
  const detail = where ? `${where} ${error.message ?? ''}`.trim() : (error.message ?? error.keyword)
  return new FspiopError(code, detail)
}
