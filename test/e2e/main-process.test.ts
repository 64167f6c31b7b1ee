// The switch as an operator runs it: `switch/main.ts` as its own process starts on the real MariaDB and
// Kafka, answers /health on both faces, and stops cleanly on SIGTERM.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { loadConfig } from '../../switch/config.ts'
import { createSwitchTopics } from '../support/kafka.ts'
import { openDb } from '../../ledger/store/db.ts'
import { createTestPki, tlsClient } from '../support/mtls.ts'
import { fspiopHeaders } from '../support/fspiop-client.ts'
import { generateOperatorKey, writeOperatorKey } from '../../switch/operators/local-keys.ts'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

test('the switch process starts, is healthy, and stops on SIGTERM', async () => {
  const database = `agora_main_${randomBytes(4).toString('hex')}`
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  await createSwitchTopics({ AGORA_KAFKA_TOPIC_PREFIX: `t${database}.` })
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './switch/observability/tracing-preload.ts', 'switch/main.ts'], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AGORA_DB_NAME: database, AGORA_HTTP_PORT: String(port), AGORA_ADMIN_PORT: String(port + 1), AGORA_KAFKA_TOPIC_PREFIX: `t${database}.`, AGORA_LOG_LEVEL: 'warn', AGORA_ENV: 'development' },
  })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  try {
    let health: any
    for (let i = 0; i < 120 && !health; i++) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/health`)
        if (r.ok) health = await r.json()
      } catch {}
      if (!health) await new Promise((r) => setTimeout(r, 250))
    }
    assert.ok(health, `no health answer; output:\n${output}`)
    assert.deepEqual(health.services, [{ name: 'datastore', status: 'OK' }, { name: 'broker', status: 'OK' }])
    assert.equal((await fetch(`http://127.0.0.1:${port + 1}/health`)).status, 200)
    assert.match(output, /Agora switch is running/)
    assert.match(output, /AGORA_ENV=development: PARTICIPANT AUTHENTICATION IS OFF/, 'development says so loudly')
    assert.match(output, /AGORA_ENV=development: the admin API is OPEN/, 'development mode says so loudly')
    child.kill('SIGTERM')
    assert.equal(await exited, 0, output)
    assert.match(output, /"msg":"development mode: participant authentication is off/, 'and in the log (flushed at the latest on exit)')
  } finally {
    child.kill('SIGKILL')
    const db = openDb({ ...loadConfig().db, database: '' })
    await db.raw('DROP DATABASE IF EXISTS ??', [database])
    await db.destroy()
  }
})

test('production without the TLS settings refuses to start and names what is missing', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'switch/main.ts'], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AGORA_ENV: 'production', AGORA_TLS_CERT_FILE: '', AGORA_TLS_KEY_FILE: '', AGORA_TLS_CA_FILE: '' },
  })
  let output = ''
  child.stderr.on('data', (d) => (output += d))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  assert.equal(code, 1)
  assert.match(output, /AGORA_ENV=production authenticates participants by mutual TLS and needs AGORA_TLS_CERT_FILE, AGORA_TLS_KEY_FILE, AGORA_TLS_CA_FILE/)
})

test('in production the FSPIOP port wants a client certificate, and probes use the plain-HTTP health port', async () => {
  const database = `agora_mainp_${randomBytes(4).toString('hex')}`
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  const pki = createTestPki()
  await createSwitchTopics({ AGORA_KAFKA_TOPIC_PREFIX: `t${database}.` })
  const operatorKeys = await writeOperatorKey(mkdtempSync(path.join(tmpdir(), 'agora-operators-')), await generateOperatorKey('ES256'))
  const child = spawn(process.execPath, ['--import', 'tsx', 'switch/main.ts'], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, AGORA_ENV: 'production', AGORA_TLS_CERT_FILE: pki.files.certFile, AGORA_TLS_KEY_FILE: pki.files.keyFile, AGORA_TLS_CA_FILE: pki.files.caFile,
      AGORA_OPERATOR_JWKS_FILE: operatorKeys.jwksFile,
      AGORA_DB_NAME: database, AGORA_HTTP_PORT: String(port), AGORA_ADMIN_PORT: String(port + 1), AGORA_HEALTH_PORT: String(port + 2),
      AGORA_KAFKA_TOPIC_PREFIX: `t${database}.`, AGORA_LOG_LEVEL: 'warn',
    },
  })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  const clients = [tlsClient(pki), tlsClient(pki, pki.issue('someone'))]
  try {
    let healthy = false
    for (let i = 0; i < 120 && !healthy; i++) {
      try { healthy = (await fetch(`http://127.0.0.1:${port + 2}/health`)).ok } catch {}
      if (!healthy) await new Promise((r) => setTimeout(r, 250))
    }
    assert.ok(healthy, `no health answer on the health port; output:\n${output}`)
    assert.equal((await fetch(`http://127.0.0.1:${port + 2}/metrics`)).status, 200)
    assert.doesNotMatch(output, /AUTHENTICATION IS OFF/)
    assert.match(output, new RegExp(`FSPIOP API   https://127.0.0.1:${port}`))
    const apiUrl = `https://127.0.0.1:${port}`
    await assert.rejects(clients[0]!.send(apiUrl, 'GET', '/transfers/01J0000000000000000000000A', fspiopHeaders('someone', undefined)))
    const unregistered = await clients[1]!.send(apiUrl, 'GET', '/transfers/01J0000000000000000000000A', fspiopHeaders('someone', undefined))
    assert.equal(unregistered.body.errorInformation.errorCode, '3100')
    child.kill('SIGTERM')
    assert.equal(await exited, 0, output)
  } finally {
    for (const c of clients) await c.close()
    child.kill('SIGKILL')
    const db = openDb({ ...loadConfig().db, database: '' })
    await db.raw('DROP DATABASE IF EXISTS ??', [database])
    await db.destroy()
  }
})
