// The grep that guards the logs must itself catch a leak: planted lines with each kind of secret are
// found, clean and redacted lines are not, and a real pino logger that logs a secret in a field outside
// the redaction list is caught.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import pino from 'pino'
import { findLeaks } from './secret-grep.ts'
import { loggerOptions } from '../../switch/observability/logger.ts'

const secrets = [{ label: 'password', value: 'olga-Correct-Horse-7731' }, { label: 'MSISDN', value: '255700111222' }, { label: 'fulfilment', value: 'uU0nuZNNPgilLlLX2n2r-sSE7-N6U4DukIj3rOLvzek' }]

test('a planted secret of each kind is found, with where and on which line', () => {
  const planted = [
    '{"msg":"clean line","transferId":"a1b2"}',
    '{"msg":"login","password":"olga-Correct-Horse-7731"}',
    '{"url":"/parties/MSISDN/255700111222"}',
    '{"fulfilment":"uU0nuZNNPgilLlLX2n2r-sSE7-N6U4DukIj3rOLvzek"}',
    '-----BEGIN PRIVATE KEY-----',
    '{"headers":{"authorization":"Bearer abcdefgh12345678"}}',
    '{"set-cookie":"agora_session=rita%7Cregulator%7C1%7Cxyz123456"}',
    '{"headers":{"authorization":"[redacted]"},"url":"/parties/MSISDN/{ID}"}',
  ].join('\n')
  const leaks = findLeaks(planted, 'planted.log', secrets)
  assert.deepEqual(leaks.map((l) => [l.label, l.line]), [['password', 2], ['MSISDN', 3], ['fulfilment', 4], ['private key', 5], ['bearer token', 6], ['authorization header', 6], ['session cookie', 7]])
  assert.equal(leaks[0]!.where, 'planted.log')
})

test('the switch\'s logger redacts the secret fields, and a secret logged under another field is still caught', () => {
  const lines: string[] = []
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done() } })
  const log = pino(loggerOptions('info'), sink)
  log.info({ password: secrets[0]!.value, headers: { authorization: 'Bearer abcdefgh12345678' }, fulfilment: secrets[2]!.value }, 'redacted fields')
  assert.deepEqual(findLeaks(lines.join(''), 'log', secrets), [])
  log.info({ note: `the customer is ${secrets[1]!.value}` }, 'a careless line')
  assert.deepEqual(findLeaks(lines.join(''), 'log', secrets).map((l) => l.label), ['MSISDN'])
})
