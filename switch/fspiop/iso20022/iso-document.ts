// The ISO 20022 variant of FSPIOP v2.0 as published in @mojaloop/api-snippets: loaded (choice types
// repaired) by api-definition.ts and compiled once per operation by operation-validator.ts, like every
// other FSPIOP document. These are the two questions the ISO edge asks of it.
import type { ErrorObject } from 'ajv'
import { cached } from '../api-definition.ts'
import { operationValidator, type OperationValidator } from '../operation-validator.ts'

type HttpMethod = 'get' | 'put' | 'post' | 'patch'

function withBody(path: string, method: HttpMethod): OperationValidator {
  const validator = operationValidator(cached('fspiop-2.0-iso20022'), method, path)
  if (!validator?.operation.body) throw new Error(`the ISO 20022 document defines no request body for ${method.toUpperCase()} ${path}`)
  return validator
}

/** The schema name of a request body in the document, e.g. ('/transfers', 'post') -> Execute_FIToFICustomerCreditTransferV13. */
export function requestBodySchemaName(path: string, method: HttpMethod): string {
  const name = withBody(path, method).operation.bodySchemaName
  if (!name) throw new Error(`the ISO 20022 document names no schema for the body of ${method.toUpperCase()} ${path}`)
  return name
}

export type IsoValidation = { ok: true } | { ok: false; errors: ErrorObject[] }

/** Validates a request body against the document's schema for that path and method. */
export function validateIsoBody(path: string, method: HttpMethod, body: unknown): IsoValidation {
  const errors = withBody(path, method).bodyErrors(body)
  return errors.length === 0 ? { ok: true } : { ok: false, errors }
}
