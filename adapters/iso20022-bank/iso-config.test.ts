// The committed example configuration loads: the connector core's part as the synchronous connector reads
// it, the bank's folders resolved beside the file, notifications to the outbox.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadIsoConfig } from './iso-config.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const switchDb = { host: '127.0.0.1', port: 3307, user: 'root', password: '', database: 'agora', poolMax: 10, acquireTimeout_ms: 10_000 }

test('examples/isobank.yaml is a whole configuration: FSPIOP side, core URL, folders beside the file, admin API', () => {
  const config = loadIsoConfig(path.join(here, 'examples', 'isobank.yaml'), switchDb)
  assert.equal(config.connector.fspId, 'payerfsp')
  assert.deepEqual(config.connector.fspiop, { host: '127.0.0.1', port: 4300 })
  assert.equal(config.connector.db.database, 'agora_connector_payerfsp')
  assert.equal(config.coreUrl, 'http://127.0.0.1:4302/')
  assert.deepEqual(config.folders, { inbox: path.join(here, 'examples', 'iso-inbox'), outbox: path.join(here, 'examples', 'iso-outbox'), poll_ms: 500 })
  assert.equal(config.notifyTo, 'outbox')
  assert.deepEqual(config.admin, { url: 'http://127.0.0.1:3001', token: undefined })
})
