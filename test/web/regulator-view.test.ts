// The web view in a real headless Chromium, as a regulator walks it: positions with amounts in the currency's
// scale and the viewer's locale grouping (checked against the reports API), sorting and filtering, a
// participant's statement and transfers, one transfer's life with its dead-lettered callback, a settlement's
// net positions and CSV, the audit trail; no action controls anywhere, and every action refused by the server.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { commitTransfer, positionAccount } from '../support/committed-transfers.ts'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { call, columnValues, onboardTwoBanks, screenshot, signIn, startWebViewWorld, tableRows, type WebViewWorld } from './web-view-world.ts'

let world: WebViewWorld
let settlementId: number
let openWindowId: number
let abortedId: string

before(async () => {
  world = await startWebViewWorld('web_regulator', { schemeTimeZone: 'Africa/Nairobi' })
  const { admin, testDb } = world
  await onboardTwoBanks(admin)
  const { windowId } = await commitTransfer(testDb.db, 'bank-a', 'wallet-b', '1234.56')
  await commitTransfer(testDb.db, 'wallet-b', 'bank-a', '34.5')
  abortedId = randomUUID()
  await testDb.db('transfer').insert({
    id: abortedId, payer_fsp: 'bank-a', payee_fsp: 'wallet-b', payer_account_id: await positionAccount(testDb.db, 'bank-a'), payee_account_id: await positionAccount(testDb.db, 'wallet-b'),
    amount: '77', currency: 'USD', ilp_condition: randomBytes(32).toString('base64url'), ilp_packet: 'AQ', expiration: new Date(Date.now() + 60_000), state: 'ABORTED',
    prepare_hash: 'test', error_code: '5105', error_description: 'Payee transaction limit reached', completed_at: new Date(),
  })
  await testDb.db('transfer_state_change').insert([{ transfer_id: abortedId, state: 'RECEIVED' }, { transfer_id: abortedId, state: 'ABORTED', reason: 'payee rejected' }])
  await testDb.db('callback_dead_letter').insert({ recipient: 'bank-a', method: 'PUT', url: 'http://bank-a.example/transfers', reference: abortedId, payload: '{}', reason: 'connect ECONNREFUSED', attempts: 6 })
  openWindowId = (await call(admin, 'POST', `/v2/settlementWindows/${windowId}`, { state: 'CLOSED', reason: 'day end' })).body.settlementWindowId
  settlementId = (await call(admin, 'POST', '/v2/settlements', { settlementModel: 'DEFERRED_NET_USD', reason: 'daily', settlementWindows: [{ id: Number(windowId) }] })).body.id
})
after(async () => {
  await world?.close()
})

test('a wrong password does not get in', async () => {
  const page = await world.browser.newPage()
  await page.goto(`${world.url}/ui`)
  await page.fill('#name', 'rita')
  await page.fill('#password', 'guess')
  await page.click('#login button[type=submit]')
  await page.waitForSelector('#login-error:has-text("wrong password")')
  assert.equal(await page.isVisible('#app'), false)
  await page.close()
})

test('positions show the ledger\'s amounts with the currency\'s two decimals and the viewer\'s grouping, sortable and filterable', async () => {
  const { context, page } = await signIn(world, 'rita')
  assert.match(await page.textContent('#who') ?? '', /rita \(regulator\) · times in Africa\/Nairobi/)
  const report = (await call(world.admin, 'GET', '/reports/positions')).body as Record<string, string>[]
  for (const key of ['position', 'reserved', 'netDebitCap', 'funds']) {
    assert.deepEqual(await columnValues(page, '#participants', key), report.map((r) => r[key]), `${key} as the reports API says`)
  }
  const shown = await tableRows(page, '#participants')
  assert.deepEqual(shown.map((r) => [r.participant, r.position, r.netDebitCap, r.funds]), [
    ['bank-a', '1,200.06', '1,000,000.00', '250,000.50'],
    ['wallet-b', '-1,200.06', '1,000,000.00', '5,000.00'],
  ])
  await screenshot(page, 'regulator', 'participants')
  await page.click('#participants button.sort[data-sort=position]')
  await page.waitForSelector('#participants th[aria-sort=ascending] [data-sort=position]')
  assert.deepEqual((await tableRows(page, '#participants')).map((r) => r.participant), ['wallet-b', 'bank-a'])
  await page.click('#participants button.sort[data-sort=position]')
  await page.waitForSelector('#participants th[aria-sort=descending] [data-sort=position]')
  assert.deepEqual((await tableRows(page, '#participants')).map((r) => r.participant), ['bank-a', 'wallet-b'])
  await page.fill('#participants-name', 'wallet')
  await page.waitForFunction(() => document.querySelectorAll('#participants tbody tr').length === 1)
  assert.equal((await tableRows(page, '#participants'))[0]!.participant, 'wallet-b')
  assert.match(await page.textContent('#participants-pager') ?? '', /Rows 1–1 of 1/)
  await context.close()
})

test('a German viewer sees the same amounts with German grouping and decimal comma', async () => {
  const { context, page } = await signIn(world, 'rita', 'de-DE')
  assert.deepEqual((await tableRows(page, '#participants')).map((r) => r.position), ['1.200,06', '-1.200,06'])
  await context.close()
})

test('drill-down: participant → statement with the running balance → transfers filtered by state → one transfer\'s life', async () => {
  const { context, page } = await signIn(world, 'rita')
  await page.click('#participants a[href="#participant/bank-a"]')
  await page.waitForSelector('#statement tbody td[data-key=balance]')
  const statement = ((await call(world.admin, 'GET', '/reports/participants/bank-a/statement')).body as Record<string, string>[]).filter((l) => l.account === 'POSITION')
  assert.deepEqual(await columnValues(page, '#statement', 'balance'), statement.map((l) => l.balance))
  assert.deepEqual((await tableRows(page, '#statement')).map((r) => [r.kind, r.amount, r.balance]), [['TRANSFER_COMMIT', '1,234.56', '1,234.56'], ['TRANSFER_COMMIT', '-34.50', '1,200.06']])
  const time = page.locator('#statement tbody td[data-key=time] time').first()
  assert.match(await time.textContent() ?? '', /GMT\+3|EAT/, 'in the scheme\'s time zone')
  assert.match(await time.getAttribute('title') ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC$/, 'UTC on hover')
  await page.waitForSelector('#position-history tbody td[data-key=position]')
  assert.deepEqual((await tableRows(page, '#position-history')).map((r) => r.position).at(-1), '1,200.06', 'the position by hour ends at today\'s position')
  await page.waitForSelector('#position-chart canvas')
  assert.deepEqual(await page.$$eval('#position-chart .u-legend .u-series th', (ths) => ths.map((th) => th.textContent?.trim())).then((l) => l.filter(Boolean)), ['Time', 'position', 'net debit cap'], 'the chart (uPlot, served by the switch) draws the position against the cap')
  await page.waitForSelector('#transfers tbody td[data-key=state]')
  assert.equal((await tableRows(page, '#transfers')).length, 3)
  await page.selectOption('#transfers-state', 'ABORTED')
  await page.waitForFunction(() => document.querySelectorAll('#transfers tbody tr').length === 1 && document.querySelector('#transfers tbody td[data-key=state]')?.textContent === 'ABORTED')
  await screenshot(page, 'regulator', 'participant')
  await page.click(`#transfers a[href="#transfer/${abortedId}"]`)
  await page.waitForSelector('#transfer-callbacks tbody td[data-key=outcome]')
  assert.equal(await page.textContent('[data-fact=State]'), 'ABORTED')
  assert.equal(await page.textContent('[data-fact=Error]'), '5105 Payee transaction limit reached')
  assert.deepEqual((await tableRows(page, '#transfer-states')).map((r) => [r.state, r.reason]), [['RECEIVED', ''], ['ABORTED', 'payee rejected']])
  assert.deepEqual((await tableRows(page, '#transfer-callbacks')).map((r) => [r.recipient, r.outcome, r.attempts, r.reason]), [['bank-a', 'dead-lettered', '6', 'connect ECONNREFUSED']])
  await screenshot(page, 'regulator', 'transfer')
  await context.close()
})

test('a settlement shows each participant\'s multilateral net position, balanced per currency, downloadable as CSV', async () => {
  const { context, page } = await signIn(world, 'rita')
  await page.click('nav a[data-view=settlements]')
  await page.click(`[data-report="${settlementId}"]`)
  await page.waitForSelector('#report tbody td[data-key=netSettlementAmount]')
  const report = (await call(world.admin, 'GET', `/reports/settlements/${settlementId}`)).body as Record<string, string>[]
  assert.deepEqual(await columnValues(page, '#report', 'netSettlementAmount'), report.map((r) => r.netSettlementAmount))
  assert.deepEqual((await tableRows(page, '#report')).map((r) => [r.participant, r.netSettlementAmount, r.direction, r.state]).sort(),
    [['bank-a', '1,200.06', 'pays', 'PENDING_SETTLEMENT'], ['wallet-b', '-1,200.06', 'receives', 'PENDING_SETTLEMENT']])
  assert.deepEqual((await tableRows(page, '#net-totals')).map((r) => [r.currency, r.total, r.check]), [['USD', '0.00', 'balanced']])
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#settlement-csv')])
  const csv = await readFile((await download.path())!, 'utf8')
  assert.match(csv, /^settlement,participant,currency,netSettlementAmount,direction,state,externalReference\n/)
  assert.match(csv, /,bank-a,USD,1200.06,pays,PENDING_SETTLEMENT,/)
  await page.emulateMedia({ media: 'print' })
  assert.equal(await page.isVisible('#settlement-print'), false, 'the printed report has no controls')
  assert.equal(await page.isVisible('#report'), true)
  await screenshot(page, 'regulator', 'settlement-print')
  await context.close()
})

test('a regulator sees no action control in any view', async () => {
  const { context, page } = await signIn(world, 'rita')
  for (const hash of ['#participants', '#participant/bank-a', '#settlements', `#settlement/${settlementId}`, '#audit', '#overview']) {
    await page.evaluate((h) => { location.hash = h }, hash)
    await page.waitForLoadState('networkidle')
    assert.equal(await page.locator('button.action:visible, .actions:visible, form.action-form:visible').count(), 0, hash)
  }
  await context.close()
})

test('the server refuses every operator action to a regulator, whatever the page shows, and nothing changes', async () => {
  const { context, page } = await signIn(world, 'rita')
  const accounts = (await call(world.admin, 'GET', '/participants/bank-a/accounts')).body as { id: number; ledgerAccountType: string }[]
  const settlementAccount = accounts.find((a) => a.ledgerAccountType === 'SETTLEMENT')!.id
  const attempts: [string, string, unknown][] = [
    ['POST', `/v2/settlementWindows/${openWindowId}`, { state: 'CLOSED', reason: 'x' }],
    ['POST', '/v2/settlements', { settlementModel: 'DEFERRED_NET_USD', reason: 'x', settlementWindows: [{ id: openWindowId }] }],
    ['PUT', `/v2/settlements/${settlementId}`, { state: 'ABORTED', reason: 'x' }],
    ['POST', `/participants/bank-a/accounts/${settlementAccount}`, { transferId: randomUUID(), action: 'recordFundsIn', amount: { amount: '1', currency: 'USD' } }],
    ['PUT', `/participants/bank-a/accounts/${settlementAccount}/transfers/${randomUUID()}`, { action: 'recordFundsOutCommit' }],
    ['PUT', '/participants/bank-a/limits', { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 1 } }],
    ['PUT', '/participants/bank-a', { isActive: false }],
  ]
  const auditBefore = await world.testDb.db('audit_log').count({ n: '*' }).first()
  for (const [method, path, data] of attempts) {
    const r = await page.request.fetch(`${world.url}/ui/api/admin${path}`, { method, data })
    assert.equal(r.status(), 403, `${method} ${path}`)
    assert.equal((await r.json()).errorInformation.errorCode, '3000')
  }
  assert.equal((await call(world.admin, 'GET', `/v2/settlementWindows/${openWindowId}`)).body.state, 'OPEN')
  assert.equal((await call(world.admin, 'GET', `/v2/settlements/${settlementId}`)).body.state, 'PENDING_SETTLEMENT')
  assert.deepEqual(await world.testDb.db('audit_log').count({ n: '*' }).first(), auditBefore, 'no action recorded')
  const positions = (await call(world.admin, 'GET', '/reports/positions')).body as Record<string, string>[]
  assert.deepEqual(positions.map((p) => [p.participant, p.active, p.netDebitCap, p.funds]), [['bank-a', 'yes', '1000000', '250000.5'], ['wallet-b', 'yes', '1000000', '5000']])
  await context.close()
  await assertLedgerInvariants(world.testDb.db)
})

test('the audit view shows who did what, the funds moved outside transfers, and the chain: intact, then broken at the edited entry', async () => {
  const { context, page } = await signIn(world, 'rita')
  const violations: string[] = []
  page.on('console', (message) => { if (/Content Security Policy/i.test(message.text())) violations.push(message.text()) })
  await page.click('nav a[data-view=audit]')
  await page.waitForSelector('#chain-state.intact')
  const head = await world.testDb.db('audit_chain_head').first()
  assert.equal(await page.textContent('#chain-state'), `Hash chain intact up to seq ${head.seq} (head ${head.hash.slice(0, 16)}…).`)
  await page.waitForSelector('#audit tbody td[data-key=action]')
  assert.ok((await tableRows(page, '#audit')).some((r) => r.action === 'settlement.create'))
  await page.fill('#audit-action', 'funds.recordFundsIn')
  await page.waitForFunction(() => [...document.querySelectorAll('#audit tbody td[data-key=action]')].every((td) => td.textContent === 'funds.recordFundsIn'))
  assert.deepEqual((await tableRows(page, '#funds')).map((r) => [r.participant, r.direction, r.amount, r.state]).sort(), [['bank-a', 'IN', '250,000.50', 'COMMITTED'], ['wallet-b', 'IN', '5,000.00', 'COMMITTED']])
  await screenshot(page, 'regulator', 'audit')
  const response = await page.reload()
  assert.match(response!.headers()['content-security-policy'] ?? '', /frame-ancestors 'none'/)
  const edited = await world.testDb.db('audit_log').where({ action: 'settlement.create' }).first()
  await world.testDb.db('audit_log').where({ id: edited.id }).update({ actor: 'nobody' })
  await page.evaluate(() => { location.hash = '#participants' })
  await page.click('nav a[data-view=audit]')
  await page.waitForSelector('#chain-state.error')
  assert.match(await page.textContent('#chain-state') ?? '', new RegExp(`BROKEN at seq ${edited.seq} .*seq ${edited.seq} \\(id ${edited.id}\\) was edited`))
  await world.testDb.db('audit_log').where({ id: edited.id }).update({ actor: edited.actor })
  // bank-a's cap lowered to 1,400.00 under its position of 1,200.06 (85.7 %): the overview alerts it, as the reports API does.
  const capOf = () => world.testDb.db('participant_limit').where({ type: 'NET_DEBIT_CAP' }).whereIn('account_id', world.testDb.db('account as a').join('participant as p', 'p.id', 'a.participant_id').where({ 'p.name': 'bank-a', 'a.type': 'POSITION' }).select('a.id'))
  const cap = await capOf().first()
  await capOf().update({ value: '1400' })
  await page.click('nav a[data-view=overview]')
  await page.waitForSelector('#alerts li[data-kind=cap]')
  assert.deepEqual((await call(world.admin, 'GET', '/reports/alerts')).body.map((a: Record<string, string>) => [a.participant, a.capUsedPercent]), [['bank-a', '85.7']])
  assert.match(await page.textContent('#alerts li[data-kind=cap]') ?? '', /^bank-a: position and reservations at 85\.7 % of its net debit cap \(1,400\.00 USD\)$/)
  await capOf().update({ value: cap.value })
  await page.waitForSelector('#hub tbody td[data-key=value]')
  await page.waitForSelector('#health tbody td[data-key=committed]')
  const health = (await call(world.admin, 'GET', '/reports/health?hours=24')).body as { committed: number; failed: number; failureRatePercent: string }[]
  assert.deepEqual(health.map((h) => [h.committed, h.failed, h.failureRatePercent]), [[2, 1, '33.3']], 'the reports API: 2 committed, 1 failed')
  assert.deepEqual((await tableRows(page, '#health')).map((r) => [r.committed, r.failed, r.failureRatePercent, r.codes]), [['2', '1', '33.3 %', '5105: 1']])
  await page.waitForSelector('#health-chart canvas')
  await page.waitForSelector('#latency-chart canvas')
  assert.equal(await page.getAttribute('#health-chart', 'aria-label'), 'Transfers per hour: see the table below for the figures')
  await screenshot(page, 'regulator', 'overview')
  assert.deepEqual(violations, [])
  await context.close()
})
