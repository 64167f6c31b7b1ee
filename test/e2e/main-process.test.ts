// The switch as an operator runs it: `switch/main.ts` as its own process starts on the real MariaDB and
// Kafka, answers /health on both faces, and stops cleanly on SIGTERM.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { loadConfig } from '../../switch/config.ts'
import { openDb } from '../../ledger/store/db.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

test('the switch process starts, is healthy, and stops on SIGTERM', async () => {
  const database = `agora_main_${randomBytes(4).toString('hex')}`
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './switch/observability/tracing-preload.ts', 'switch/main.ts'], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AGORA_ENV: 'development', AGORA_DB_NAME: database, AGORA_HTTP_PORT: String(port), AGORA_ADMIN_PORT: String(port + 1), AGORA_KAFKA_TOPIC_PREFIX: `t${database}.`, AGORA_LOG_LEVEL: 'warn' },
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
    assert.match(output, /AGORA_ENV=development: the admin API is OPEN/, 'development mode says so loudly')
    child.kill('SIGTERM')
    assert.equal(await exited, 0, output)
  } finally {
    child.kill('SIGKILL')
    const db = openDb({ ...loadConfig().db, database: '' })
    await db.raw('DROP DATABASE IF EXISTS ??', [database])
    await db.destroy()
  }
})
