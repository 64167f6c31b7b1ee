// The switch runs compiled JavaScript: `npm run build` compiles it to dist/, and the image's command (the
// Containerfile's CMD, which `npm start` shares) starts it on the real MariaDB and Kafka without loading
// tsx or any TypeScript file, on a database migrated before from the TypeScript sources.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { loadConfig } from '../../switch/config/config.ts'
import { ensureDatabase, openDb } from '../../ledger/store/db.ts'
import { migrateSwitchDatabase } from '../../switch/store/migrate.ts'
import { createSwitchTopics } from '../support/kafka.ts'
import { fspiopHeaders } from '../support/fspiop-client.ts'
import { START_TIMEOUT_MS } from '../support/switch-process.ts'
import { imageCommand } from '../support/containerfile.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const MIGRATION_FOLDERS = ['ledger/store/migrations', 'switch/store/migrations']

/** A preload that writes the URL of every module the process resolves (ESM and require) to `file`. */
function moduleRecorder(file: string): string {
  const recorder = path.join(mkdtempSync(path.join(tmpdir(), 'agora-modules-')), 'record-modules.mjs')
  writeFileSync(recorder, [
    "import { appendFileSync } from 'node:fs'",
    "import { registerHooks } from 'node:module'",
    `const out = ${JSON.stringify(file)}`,
    'registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); appendFileSync(out, r.url + "\\n"); return r } })',
  ].join('\n'))
  return recorder
}

async function waitFor(url: string, output: () => string): Promise<Response> {
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url)
      if (r.ok) return r
    } catch {}
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${url}: no 200 answer within ${START_TIMEOUT_MS} ms; output:\n${output()}`)
}

test('the compiled switch starts from the image command without tsx, on a database migrated from the sources, and serves FSPIOP', async () => {
  const orphan = path.join(root, 'dist/switch/store/migrations/29990101_0001_source_deleted.js') // as left by a build before its source was deleted
  mkdirSync(path.dirname(orphan), { recursive: true })
  writeFileSync(orphan, "throw new Error('a migration whose source is gone ran')\n")
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' })
  assert.equal(built.status, 0, `npm run build failed:\n${built.stdout}${built.stderr}`)
  assert.equal(existsSync(orphan), false, 'the build removes compiled files whose source is gone')
  assert.deepEqual(readdirSync(path.join(root, 'dist/adapters/iso20022-bank/xsd')).sort(), readdirSync(path.join(root, 'adapters/iso20022-bank/xsd')).sort(), 'the schemas the ISO connector reads beside its code are in dist/')
  const compiledXsd: typeof import('../../adapters/iso20022-bank/xsd-validation.ts') = await import(pathToFileURL(path.join(root, 'dist/adapters/iso20022-bank/xsd-validation.js')).href)
  const pacs008 = `<Document xmlns="${compiledXsd.namespaceOf('pacs.008')}"><FIToFICstmrCdtTrf/></Document>`
  assert.deepEqual(compiledXsd.validateIso(pacs008), {
    ok: false, problem: 'schema', type: 'pacs.008', message: "Element 'FIToFICstmrCdtTrf': Missing child element(s). Expected is ( GrpHdr ).",
  }, 'and the compiled connector validates against them')

  const database = `agora_compiled_${randomBytes(4).toString('hex')}`
  const settings = { ...loadConfig().db, database }
  await ensureDatabase(settings)
  const db = openDb(settings)
  await migrateSwitchDatabase(db) // from the .ts sources, as a switch run through tsx left it
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  await createSwitchTopics({ AGORA_KAFKA_TOPIC_PREFIX: `t${database}.` })

  const [command, ...args] = imageCommand(readFileSync(path.join(root, 'Containerfile'), 'utf8'))
  assert.equal(command, 'node')
  const loaded = path.join(mkdtempSync(path.join(tmpdir(), 'agora-loaded-')), 'modules.txt')
  writeFileSync(loaded, '')
  const child = spawn(process.execPath, ['--import', pathToFileURL(moduleRecorder(loaded)).href, ...args], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, NODE_OPTIONS: '', AGORA_ENV: 'development', AGORA_DB_NAME: database, AGORA_HTTP_PORT: String(port), AGORA_ADMIN_PORT: String(port + 1),
      AGORA_KAFKA_TOPIC_PREFIX: `t${database}.`, AGORA_LOG_LEVEL: 'warn',
    },
  })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  try {
    await waitFor(`http://127.0.0.1:${port}/ready`, () => output)
    const health = (await (await waitFor(`http://127.0.0.1:${port + 1}/health`, () => output)).json()) as { services: unknown }
    assert.deepEqual(health.services, [{ name: 'datastore', status: 'OK' }, { name: 'broker', status: 'OK' }])

    const migrations = (await db('knex_migrations').select('name')).map((r: { name: string }) => r.name).sort()
    const sources = MIGRATION_FOLDERS.flatMap((f) => readdirSync(path.join(root, f)).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))).sort()
    assert.deepEqual(migrations, sources, 'the compiled switch applied no migration again under a .js name')

    const created = await fetch(`http://127.0.0.1:${port + 1}/participants`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-agora-operator': 'test-operator' }, body: JSON.stringify({ name: 'compiledfsp', currency: 'USD' }),
    })
    assert.equal(created.status, 201, await created.text())
    const transferId = '01J0000000000000000000000A'
    const registered = await fetch(`http://127.0.0.1:${port}/transfers/${transferId}`, { headers: fspiopHeaders('compiledfsp', undefined) })
    assert.equal(registered.status, 202, await registered.text())
    const { date: _date, ...withoutDate } = fspiopHeaders('compiledfsp', undefined)
    const undated = await fetch(`http://127.0.0.1:${port}/transfers/${transferId}`, { headers: withoutDate })
    assert.equal(undated.status, 400, 'checked against the FSPIOP API definition the compiled code loads')
    assert.equal(((await undated.json()) as { errorInformation: { errorCode: string } }).errorInformation.errorCode, '3102')

    const modules = readFileSync(loaded, 'utf8').split('\n').filter(Boolean)
    assert.ok(modules.includes(pathToFileURL(path.join(root, 'dist/switch/main.js')).href), 'dist/switch/main.js ran')
    assert.deepEqual(modules.filter((m) => m.includes('/node_modules/tsx/') || m.includes('/node_modules/esbuild/')), [], 'tsx is not loaded')
    assert.deepEqual(modules.filter((m) => /\.[cm]?ts$/.test(new URL(m).pathname)), [], 'no TypeScript file is loaded')
    child.kill('SIGTERM')
    assert.equal(await exited, 0, output)
  } finally {
    child.kill('SIGKILL')
    await db.raw('DROP DATABASE IF EXISTS ??', [database])
    await db.destroy()
  }
})

test('agora runs the compiled CLI when dist/ was built after the last source change, else the sources through tsx', () => {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' })
  assert.equal(built.status, 0, `npm run build failed:\n${built.stdout}${built.stderr}`)
  const run = () => {
    const loaded = path.join(mkdtempSync(path.join(tmpdir(), 'agora-loaded-')), 'modules.txt')
    writeFileSync(loaded, '')
    const help = spawnSync(process.execPath, ['--import', pathToFileURL(moduleRecorder(loaded)).href, 'bin/agora.mjs', '--help'], {
      cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' },
    })
    assert.equal(help.status, 0, help.stderr)
    assert.match(help.stdout, /usage: agora <command>/)
    return readFileSync(loaded, 'utf8').split('\n').filter(Boolean)
  }
  const compiledCli = pathToFileURL(path.join(root, 'dist/switch/cli/agora.js')).href
  const sourceCli = pathToFileURL(path.join(root, 'switch/cli/agora.ts')).href
  const current = run()
  assert.ok(current.includes(compiledCli) && !current.includes(sourceCli), 'built: the compiled CLI')
  assert.deepEqual(current.filter((m) => m.includes('/node_modules/tsx/')), [])

  const stamp = path.join(root, 'dist/.built')
  const { atime, mtime } = statSync(stamp)
  utimesSync(stamp, atime, new Date(0)) // as if a source changed after the build
  try {
    const stale = run()
    assert.ok(stale.includes(sourceCli) && !stale.includes(compiledCli), 'stale: the sources')
    assert.ok(stale.some((m) => m.includes('/node_modules/tsx/')), 'through tsx')
  } finally {
    utimesSync(stamp, atime, mtime)
  }
})
