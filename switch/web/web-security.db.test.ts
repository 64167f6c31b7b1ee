// The web view's defences through its real routes: brute-force logins are throttled (the attack from
// issue 10: 50 wrong passwords, then the right one), the session cookie is HttpOnly, SameSite=Strict and
// Secure, and every response carries a CSP that runs only the page's own code and forbids framing.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { testAdminApp } from '../../test/support/apps.ts'
import { hashPassword } from './passwords.ts'
import { PAGE_HTML } from './page.ts'
import { LOGIN_FAILURES_FREE_PER_NAME } from './login-throttle.ts'
import type { Config } from '../config/config.ts'

let testDb: TestDb
let production: FastifyInstance
let development: FastifyInstance
const users = [{ name: 'rita', roles: ['regulator'] as const, passwordHash: hashPassword('rita-secret') }, { name: 'olga', roles: ['operator'] as const, passwordHash: hashPassword('olga-secret') }]

before(async () => {
  testDb = await createTestDb('websec')
  const web = (extra: Partial<Config['web']>) => ({ users, sessionSecret: 'test-secret', ...extra })
  production = await testAdminApp(testDb.db, { config: { env: 'production', web: web({}) } })
  development = await testAdminApp(testDb.db, { config: { env: 'development', web: web({}) } })
})
after(async () => {
  await production.close()
  await development.close()
  await testDb.drop()
})

const login = (app: FastifyInstance, name: string, password: string, remoteAddress = '127.0.0.1') =>
  app.inject({ method: 'POST', url: '/ui/login', payload: { name, password }, remoteAddress })

test('50 wrong passwords from one address, then the right one: locked out with 429, the right password does not get in', async () => {
  const statuses: number[] = []
  for (let i = 0; i < 50; i++) statuses.push((await login(production, 'olga', `guess-${i}`, '198.51.100.1')).statusCode)
  assert.deepEqual(statuses.slice(0, LOGIN_FAILURES_FREE_PER_NAME + 1), Array(LOGIN_FAILURES_FREE_PER_NAME + 1).fill(400), 'the first ones are checked and wrong')
  assert.deepEqual([...new Set(statuses.slice(LOGIN_FAILURES_FREE_PER_NAME + 1))], [429], 'the rest are refused unchecked')
  const right = await login(production, 'olga', 'olga-secret', '198.51.100.1')
  assert.equal(right.statusCode, 429)
  assert.ok(Number(right.headers['retry-after']) >= 1)
  assert.equal(right.headers['set-cookie'], undefined, 'no session')
  assert.match(right.json().errorInformation.errorDescription, /too many failed logins/)
  const audited = await testDb.db('audit_log').where({ action: 'web.login.failed', actor: 'olga' }).count({ n: '*' }).first()
  assert.equal(Number(audited!.n), LOGIN_FAILURES_FREE_PER_NAME + 1, 'only the checked attempts are failures')
})

test('50 wrong passwords sent at once are counted one by one: only the free ones are checked', async () => {
  const fresh = await testAdminApp(testDb.db, { config: { env: 'production', web: { users, sessionSecret: 'test-secret' } } })
  const statuses = (await Promise.all(Array.from({ length: 50 }, (_, i) => login(fresh, 'olga', `parallel-${i}`, `198.51.100.${100 + i}`)))).map((r) => r.statusCode)
  assert.equal(statuses.filter((s) => s === 400).length, LOGIN_FAILURES_FREE_PER_NAME + 1)
  assert.equal(statuses.filter((s) => s === 429).length, 50 - LOGIN_FAILURES_FREE_PER_NAME - 1)
  assert.equal((await login(fresh, 'olga', 'olga-secret', '198.51.100.250')).statusCode, 429)
  await fresh.close()
})

test('the lock-out follows the user name across addresses (a spread-out attack)', async () => {
  for (let i = 0; i < 10; i++) await login(production, 'rita', `guess-${i}`, `203.0.113.${i}`)
  assert.equal((await login(production, 'rita', 'rita-secret', '203.0.113.200')).statusCode, 429)
  assert.equal((await login(development, 'rita', 'rita-secret', '203.0.113.200')).statusCode, 200, 'another process keeps its own count')
})

test('the session cookie is HttpOnly, SameSite=Strict and Secure in production', async () => {
  const d = await login(development, 'olga', 'olga-secret', '192.0.2.10')
  assert.equal(d.statusCode, 200)
  const devCookie = String(d.headers['set-cookie'])
  assert.match(devCookie, /^agora_session=[^;]+; HttpOnly; SameSite=Strict; Path=\/ui; Max-Age=\d+$/)
  assert.doesNotMatch(devCookie, /Secure/, 'plain http in development')
  const fresh = await testAdminApp(testDb.db, { config: { env: 'production', web: { users, sessionSecret: 'test-secret' } } })
  const p = await login(fresh, 'olga', 'olga-secret')
  assert.match(String(p.headers['set-cookie']), /; HttpOnly; SameSite=Strict; Path=\/ui; Secure; Max-Age=/)
  const logout = await fresh.inject({ method: 'POST', url: '/ui/logout' })
  assert.match(String(logout.headers['set-cookie']), /^agora_session=; HttpOnly; SameSite=Strict; Path=\/ui; Secure; Max-Age=0$/)
  await fresh.close()
  const configured = await testAdminApp(testDb.db, { config: { env: 'development', web: { users, sessionSecret: 'test-secret', cookieSecure: true } } })
  assert.match(String((await login(configured, 'olga', 'olga-secret')).headers['set-cookie']), /; Secure;/)
  await configured.close()
})

test('every web view response forbids framing and sniffing, and its CSP runs only the page\'s own script and style and the chart library the switch serves', async () => {
  const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`
  const script = /<script>([\s\S]*?)<\/script>/.exec(PAGE_HTML)![1]!
  const style = /<style>([\s\S]*?)<\/style>/.exec(PAGE_HTML)![1]!
  assert.doesNotMatch(PAGE_HTML, /\sstyle="|\son[a-z]+="/, 'no inline style or handler attributes')
  for (const [method, url] of [['GET', '/ui'], ['GET', '/ui/api/me'], ['POST', '/ui/login'], ['GET', '/ui/api/audit/verify']] as const) {
    const r = await development.inject({ method, url, payload: method === 'POST' ? { name: 'x', password: 'y' } : undefined, remoteAddress: '192.0.2.99' })
    const csp = String(r.headers['content-security-policy'])
    assert.match(csp, /default-src 'none'/, url)
    assert.ok(csp.includes(`script-src 'self' ${sha(script)};`), `${url}: ${csp}`)
    assert.ok(csp.includes(`style-src 'self' ${sha(style)};`), url)
    assert.match(csp, /frame-ancestors 'none'/)
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/)
    assert.match(PAGE_HTML, /<script src="\/ui\/assets\/uplot\.js\?v=[\d.]+"><\/script>/, 'the chart library comes from the switch, not from elsewhere')
    assert.equal(r.headers['x-frame-options'], 'DENY')
    assert.equal(r.headers['x-content-type-options'], 'nosniff')
    assert.equal(r.headers['referrer-policy'], 'no-referrer')
  }
})

test('the chart library is served by the switch itself to anyone, as JavaScript and CSS, cached for a day', async () => {
  const app = await testAdminApp(testDb.db)
  for (const [url, type] of [['/ui/assets/uplot.js', 'text/javascript'], ['/ui/assets/uplot.css', 'text/css']] as const) {
    const r = await app.inject({ method: 'GET', url: `${url}?v=1` })
    assert.equal(r.statusCode, 200, url)
    assert.match(String(r.headers['content-type']), new RegExp(`^${type}`))
    assert.equal(r.headers['cache-control'], 'public, max-age=86400')
    assert.ok(r.body.length > 1000, `${url} has the library's content`)
  }
  await app.close()
})
