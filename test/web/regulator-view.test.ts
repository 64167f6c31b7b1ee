// The web view in a real headless Chromium: a regulator logs in, sees a settlement report with the right
// numbers, downloads it as CSV, and can reach no action that changes state; the finance role can.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser } from 'playwright-core'
import type { FastifyInstance } from 'fastify'
import { createTestDb, type TestDb } from '../support/db.ts'
import { testAdminApp } from '../support/apps.ts'
import { call, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { commitTransfer } from '../support/committed-transfers.ts'
import { hashPassword } from '../../switch/web/passwords.ts'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'

const chromiumPath = execFileSync('bash', [fileURLToPath(new URL('../../scripts/chromium.sh', import.meta.url))], { encoding: 'utf8', timeout: 600_000 }).trim()
let testDb: TestDb
let admin: FastifyInstance
let browser: Browser
let url: string
let settlementId: number
let openWindowId: number

before(async () => {
  testDb = await createTestDb('web')
  const users = [{ name: 'rita', roles: ['regulator' as const], passwordHash: hashPassword('rita-secret') }, { name: 'fiona', roles: ['finance' as const], passwordHash: hashPassword('fiona-secret') }]
  admin = await testAdminApp(testDb.db, { config: { web: { users, sessionSecret: 'test-secret' } } })
  await admin.listen({ host: '127.0.0.1', port: 0 })
  url = `http://127.0.0.1:${(admin.server.address() as { port: number }).port}`
  await setupHub(admin, 'USD')
  await onboardDfsp(admin, { name: 'bank-a', ndc: '10000', fundsIn: '5000' })
  await onboardDfsp(admin, { name: 'wallet-b', ndc: '10000', fundsIn: '5000' })
  const { windowId } = await commitTransfer(testDb.db, 'bank-a', 'wallet-b', '1234.56')
  await commitTransfer(testDb.db, 'wallet-b', 'bank-a', '34.5')
  openWindowId = (await call(admin, 'POST', `/v2/settlementWindows/${windowId}`, { state: 'CLOSED', reason: 'day end' })).body.settlementWindowId
  settlementId = (await call(admin, 'POST', '/v2/settlements', { settlementModel: 'DEFERRED_NET_USD', reason: 'daily', settlementWindows: [{ id: Number(windowId) }] })).body.id
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
})
after(async () => {
  await browser?.close()
  await admin.close()
  await testDb.drop()
})

async function signIn(name: string, password: string) {
  const context = await browser.newContext({ acceptDownloads: true })
  const page = await context.newPage()
  await page.goto(`${url}/ui`)
  await page.fill('#name', name)
  await page.fill('#password', password)
  await page.click('#login button[type=submit]')
  await page.waitForSelector('#positions tr:nth-child(2)')
  return { context, page }
}

test('a wrong password does not get in', async () => {
  const page = await browser.newPage()
  await page.goto(`${url}/ui`)
  await page.fill('#name', 'rita')
  await page.fill('#password', 'guess')
  await page.click('#login button[type=submit]')
  await page.waitForSelector('#login-error:has-text("wrong password")')
  assert.equal(await page.isVisible('#app'), false)
  await page.close()
})

test('a regulator sees the settlement report, downloads the CSV, and can change nothing', async () => {
  const { context, page } = await signIn('rita', 'rita-secret')
  assert.match(await page.textContent('#who') ?? '', /rita \(regulator\)/)
  assert.match(await page.textContent('#positions') ?? '', /bank-a/)
  await page.click(`[data-report="${settlementId}"]`)
  await page.waitForSelector('#report tr:nth-child(2)')
  const rows = await page.$$eval('#report tr', (trs) => trs.slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)))
  assert.deepEqual(rows.map((r) => [r[0], r[2], r[3]]).sort(), [['bank-a', '1200.06', 'pays'], ['wallet-b', '-1200.06', 'receives']])
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#report-csv')])
  const csv = await readFile((await download.path())!, 'utf8')
  assert.match(csv, /^settlement,participant,currency,netSettlementAmount,direction,state,externalReference\n/)
  assert.match(csv, /,bank-a,USD,1200.06,pays,PENDING_SETTLEMENT,/)
  assert.equal(await page.locator('button.action').count(), 0, 'no action buttons for a regulator')
  const close = await page.request.post(`${url}/ui/api/windows/${openWindowId}/close`)
  assert.equal(close.status(), 403)
  const settle = await page.request.post(`${url}/ui/api/settlements`, { data: { windowIds: [openWindowId], model: 'DEFERRED_NET_USD' } })
  assert.equal(settle.status(), 403)
  const malformed = await page.request.post(`${url}/ui/api/settlements`, { data: { nonsense: true } })
  assert.equal(malformed.status(), 403, 'refused for the role before the body is even read')
  assert.equal((await call(admin, 'GET', `/v2/settlementWindows/${openWindowId}`)).body.state, 'OPEN', 'nothing changed')
  await context.close()
})

test('the finance role can close the open window from the view, and it is audited', async () => {
  const { context, page } = await signIn('fiona', 'fiona-secret')
  await page.click(`[data-close="${openWindowId}"]`)
  await page.waitForSelector(`[data-settle="${openWindowId}"]`)
  assert.equal((await call(admin, 'GET', `/v2/settlementWindows/${openWindowId}`)).body.state, 'CLOSED')
  const audit = await testDb.db('audit_log').where({ actor: 'fiona', action: 'settlementWindow.close' }).first()
  assert.ok(audit)
  await context.close()
  await assertLedgerInvariants(testDb.db)
})

test('a finance user\'s bad input is refused with a clear error and changes nothing', async () => {
  const { context, page } = await signIn('fiona', 'fiona-secret')
  const settlementsBefore = await testDb.db('settlement').count({ n: '*' }).first()
  for (const data of [{}, { windowIds: 'x', model: 'DEFERRED_NET_USD' }, { windowIds: [], model: 'DEFERRED_NET_USD' }]) {
    const r = await page.request.post(`${url}/ui/api/settlements`, { data })
    assert.equal(r.status(), 400, JSON.stringify(data))
    assert.match((await r.json()).errorInformation.errorDescription, /windowIds/)
  }
  const notANumber = await page.request.post(`${url}/ui/api/windows/abc/close`)
  assert.equal(notANumber.status(), 400)
  assert.deepEqual(await testDb.db('settlement').count({ n: '*' }).first(), settlementsBefore)
  await context.close()
})

test('the page works under its Content-Security-Policy and shows the audit chain: intact, then broken at the edited entry', async () => {
  const { context, page } = await signIn('rita', 'rita-secret')
  const violations: string[] = []
  page.on('console', (message) => { if (/Content Security Policy/i.test(message.text())) violations.push(message.text()) })
  const response = await page.reload()
  assert.match(response!.headers()['content-security-policy'] ?? '', /frame-ancestors 'none'/)
  assert.equal(response!.headers()['x-frame-options'], 'DENY')
  await page.waitForSelector('#chain-state.intact')
  const head = await testDb.db('audit_chain_head').first()
  assert.equal(await page.textContent('#chain-state'), `Hash chain intact up to seq ${head.seq} (head ${head.hash.slice(0, 16)}…).`)
  assert.match(await page.textContent('#audit') ?? '', /settlementWindow\.close/)
  assert.match(await page.getAttribute('#positions .bar > span', 'style') ?? '', /width: \d/, 'cap bars drawn by the script, not inline styles')
  const edited = await testDb.db('audit_log').where({ action: 'settlement.create' }).first()
  await testDb.db('audit_log').where({ id: edited.id }).update({ actor: 'nobody' })
  await page.reload()
  await page.waitForSelector('#chain-state.error')
  assert.match(await page.textContent('#chain-state') ?? '', new RegExp(`BROKEN at seq ${edited.seq} .*seq ${edited.seq} \\(id ${edited.id}\\) was edited`))
  await testDb.db('audit_log').where({ id: edited.id }).update({ actor: edited.actor })
  assert.deepEqual(violations, [])
  await context.close()
})
