// Kafka or the database out of reach, or the producer's queue full, is 2003 Service currently unavailable
// (HTTP 503) for the DFSP, never 2001 (a bug of the switch) and never a hang.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyError } from 'fastify'
import { toFspiopError } from './error-handler.ts'
import { PublishRefused } from '../bus/publish-queue.ts'

const mapped = (error: unknown) => {
  const fspiop = toFspiopError(error as FastifyError)
  return [fspiop.code, fspiop.httpStatus]
}

test('a refused publish (queue full, not connected, timed out) is 2003 with HTTP 503, its reason in the description', () => {
  for (const reason of ['saturated', 'not-connected', 'timed-out'] as const) {
    const error = new PublishRefused(reason, `because ${reason}`)
    assert.deepEqual(mapped(error), ['2003', 503])
    assert.equal(toFspiopError(error as unknown as FastifyError).toBody().errorInformation.errorDescription, `Service currently unavailable - because ${reason}`)
  }
})

test('a database that cannot be reached or gives no connection in time is 2003; any other error stays 2001', () => {
  const timeout = Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' })
  assert.deepEqual(mapped(timeout), ['2003', 503])
  for (const code of ['ECONNREFUSED', 'PROTOCOL_CONNECTION_LOST', 'ETIMEDOUT']) assert.deepEqual(mapped(Object.assign(new Error(code), { code })), ['2003', 503])
  assert.deepEqual(mapped(Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY' })), ['2001', 500])
  assert.deepEqual(mapped(new TypeError('x is undefined')), ['2001', 500])
})
