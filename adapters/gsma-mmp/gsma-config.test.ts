import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadGsmaConfig } from './gsma-config.ts'

const switchDb = { host: 'db.example', port: 3306, user: 'agora', password: 'secret', database: 'agora', poolMax: 5, acquireTimeout_ms: 2_000 }
const example = path.join(path.dirname(fileURLToPath(import.meta.url)), 'examples', 'mmpa.yaml')

test('the sample configuration loads: connector settings, the GSMA API address and the MMP’s own GSMA API', () => {
  const config = loadGsmaConfig(example, switchDb)
  assert.equal(config.connector.fspId, 'mmpa')
  assert.deepEqual(config.api, { host: '127.0.0.1', port: 4301 })
  assert.deepEqual(config.mmp, { baseUrl: 'http://127.0.0.1:4302' })
  assert.equal(config.connector.db.database, 'agora_connector_mmpa')
  assert.equal(config.connector.db.host, 'db.example', 'the database host defaults to the switch’s')
})

test('a configuration without mmp.baseUrl is refused at start', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'gsma-config-')), 'c.yaml')
  writeFileSync(file, 'fspId: mmpx\nswitchUrl: http://127.0.0.1:3000\nfspiop: { port: 1 }\napi: { port: 2 }\nilpSecret: s\n')
  assert.throws(() => loadGsmaConfig(file, switchDb), /mmp\) ?: baseUrl is required|baseUrl is required/)
})
