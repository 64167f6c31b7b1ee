// Loading the official FSPIOP documents of @mojaloop/api-snippets: every $ref resolved, CorrelationId
// taken from v2.0 on every version, and the ISO 20022 variant loadable the same way.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { API_DOCUMENTS, cached, fromDocument, fspiopApiDefinition, loadApiDefinition, type ApiDocumentName } from './api-definition.ts'

function refsIn(node: unknown, seen = new Set<unknown>()): string[] {
  if (typeof node !== 'object' || node === null || seen.has(node)) return []
  seen.add(node)
  if (Array.isArray(node)) return node.flatMap((n) => refsIn(n, seen))
  const own = typeof (node as { $ref?: unknown }).$ref === 'string' ? [(node as { $ref: string }).$ref] : []
  return [...own, ...Object.values(node).flatMap((n) => refsIn(n, seen))]
}

describe('the API definitions', () => {
  for (const name of Object.keys(API_DOCUMENTS) as ApiDocumentName[]) {
    test(`${name} loads, and its operations carry no unresolved $ref`, () => {
      const definition = cached(name)
      assert.ok(definition.paths.includes('/transfers'), 'POST /transfers is defined')
      const prepare = definition.operation('POST', '/transfers')
      assert.ok(prepare?.body, 'POST /transfers has a body schema')
      for (const path of definition.paths) {
        for (const method of ['get', 'put', 'post', 'delete', 'patch']) {
          const op = definition.operation(method, path)
          if (op) assert.deepEqual(refsIn([op.body, op.params, op.headers]), [], `${method} ${path}`)
        }
      }
    })
  }

  test('CorrelationId is the v2.0 one (lowercase UUID or uppercase ULID) on 1.0 and 1.1 too', () => {
    const v2 = fspiopApiDefinition('2.0').schema('CorrelationId')
    assert.match(String(v2?.pattern), /\^\[0-9A-HJKMNP-TV-Z\]\{26\}\$/)
    assert.deepEqual(fspiopApiDefinition('1.1').schema('CorrelationId'), v2)
    assert.deepEqual(cached('fspiop-1.0').schema('CorrelationId'), v2)
    const transferId = (fspiopApiDefinition('1.1').operation('post', '/transfers')?.body?.properties as Record<string, unknown> | undefined)?.transferId
    assert.deepEqual(transferId, v2)
  })

  test('without the override, the 1.1 document alone allows only UUIDs', () => {
    assert.doesNotMatch(String(loadApiDefinition('fspiop-1.1').schema('CorrelationId')?.pattern), /\{26\}/)
  })

  test('headers are named in lowercase with the document\'s required ones, path parameters as the document spells them', () => {
    const op = fspiopApiDefinition('1.1').operation('put', '/parties/{Type}/{ID}/{SubId}')
    assert.deepEqual([...((op?.headers.required as string[] | undefined) ?? [])].sort(), ['content-type', 'date', 'fspiop-source'])
    assert.deepEqual([...((op?.params.required as string[] | undefined) ?? [])].sort(), ['ID', 'SubId', 'Type'])
  })

  test('an operation\'s own parameter replaces a path-level one of the same name', () => {
    const header = (required: boolean) => ({ name: 'FSPIOP-Destination', in: 'header', required, schema: { type: 'string' } })
    const doc = { openapi: '3.0.2', paths: { '/x/{ID}': { parameters: [header(false)], put: { parameters: [header(true)] } } } }
    assert.deepEqual(fromDocument('fspiop-1.1', doc).operation('put', '/x/{ID}')?.headers.required, ['fspiop-destination'])
  })

  test('an operation names the component schema of its body: POST /transfers takes TransfersPostRequest, pacs.008 in ISO 20022', () => {
    assert.equal(cached('fspiop-2.0').operation('post', '/transfers')?.bodySchemaName, 'TransfersPostRequest')
    assert.equal(cached('fspiop-2.0-iso20022').operation('post', '/transfers')?.bodySchemaName, 'Execute_FIToFICustomerCreditTransferV13')
    assert.equal(cached('fspiop-2.0').operation('get', '/transfers/{ID}')?.bodySchemaName, undefined)
  })

  test('the ISO 20022 document is read with its choice types closed to their branches\' properties (StatusReason6Choice: Cd or Prtry)', () => {
    const choice = cached('fspiop-2.0-iso20022').schema('StatusReason6Choice')
    assert.equal(choice?.additionalProperties, false)
    assert.deepEqual(Object.keys(choice?.properties as object).sort(), ['Cd', 'Prtry'])
  })

  test('a document whose $refs loop is refused', () => {
    const doc = {
      paths: { '/x': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } } } } } },
      components: { schemas: { A: { type: 'object', properties: { a: { $ref: '#/components/schemas/A' } } } } },
    }
    assert.throws(() => fromDocument('fspiop-1.1', doc), /refers to itself/)
  })
})
