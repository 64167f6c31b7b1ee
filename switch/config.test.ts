import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadConfig, ROLES } from './config.ts'

test('defaults run everything on loopback', () => {
  const config = loadConfig({})
  assert.equal(config.http.host, '127.0.0.1')
  assert.equal(config.db.port, 3307)
  assert.deepEqual([...config.roles], [...ROLES])
  assert.equal(config.tracing.enabled, false)
})

test('settings come from the environment and are checked', () => {
  const config = loadConfig({ AGORA_ROLES: 'api,position', AGORA_KAFKA_BROKERS: 'a:1, b:2', AGORA_TRACING: 'true' })
  assert.deepEqual([...config.roles], ['api', 'position'])
  assert.deepEqual(config.kafka.brokers, ['a:1', 'b:2'])
  assert.equal(config.tracing.enabled, true)
  assert.throws(() => loadConfig({ AGORA_ROLES: 'api,bogus' }), /unknown role/)
  assert.throws(() => loadConfig({ AGORA_DB_PORT: 'x' }), /whole number/)
  assert.throws(() => loadConfig({ AGORA_TRACING_SAMPLE_RATIO: '2' }), /between 0 and 1/)
})
