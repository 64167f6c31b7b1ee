// The web view in a real headless Chromium, as an operator works it: every action is confirmed in the page
// (cancelling changes nothing), done by the admin API's own handler and audited with the operator's name:
// change a net debit cap, record funds in and out, deactivate and activate a participant, close a window
// and settle it through to SETTLED. A finance officer sees the settlement actions but not onboarding's.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { commitTransfer } from '../support/committed-transfers.ts'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { call, onboardTwoBanks, screenshot, signIn, startWebViewWorld, tableRows, type WebViewWorld } from './web-view-world.ts'

let world: WebViewWorld

before(async () => {
  world = await startWebViewWorld('web_operator')
  await onboardTwoBanks(world.admin)
  await commitTransfer(world.testDb.db, 'bank-a', 'wallet-b', '1234.56')
  await commitTransfer(world.testDb.db, 'wallet-b', 'bank-a', '34.5')
})
after(async () => {
  await world?.close()
})

const positionOf = async (name: string) => ((await call(world.admin, 'GET', '/reports/positions')).body as Record<string, string>[]).find((p) => p.participant === name)!
const audited = (actor: string, action: string) => world.testDb.db('audit_log').where({ actor, action }).orderBy('id', 'desc').first()

/** Clicks what opens the confirmation, checks what it says, and confirms. */
async function confirmed(page: Page, click: () => Promise<void>, says: RegExp): Promise<void> {
  await page.evaluate(() => { const notice = document.getElementById('notice')!; notice.textContent = ''; notice.className = '' })
  await click()
  await page.waitForSelector('#confirm[open]')
  assert.match(await page.textContent('#confirm-text') ?? '', says)
  await page.click('#confirm-yes')
  await page.waitForSelector('#notice.ok, #notice.error')
  assert.equal(await page.getAttribute('#notice', 'class'), 'ok', await page.textContent('#notice') ?? '')
}

test('an operator changes a net debit cap from the participant view, confirmed and audited; cancelling changes nothing', async () => {
  const { context, page } = await signIn(world, 'otto')
  await page.click('#participants a[href="#participant/bank-a"]')
  await page.waitForSelector('#ndc-form:visible')
  await page.fill('#ndc-value', '5000')
  await page.click('#ndc-form button[type=submit]')
  await page.waitForSelector('#confirm[open]')
  await page.click('#confirm-no')
  assert.equal((await positionOf('bank-a')).netDebitCap, '1000000', 'cancelled: unchanged')
  await confirmed(page, () => page.click('#ndc-form button[type=submit]'), /Set the USD net debit cap of bank-a to 5,000.00/)
  assert.equal((await positionOf('bank-a')).netDebitCap, '5000')
  await page.waitForFunction(() => document.querySelector('#participant-positions td[data-key=netDebitCap]')?.textContent === '5,000.00')
  assert.ok(await audited('otto', 'participant.limits.update'))
  await context.close()
})

test('an operator records funds in and funds out, each audited, and the view shows the new balance', async () => {
  const { context, page } = await signIn(world, 'otto')
  await page.click('#participants a[href="#participant/wallet-b"]')
  await page.waitForSelector('#funds-form:visible')
  await page.fill('#funds-amount', '100.25')
  await page.fill('#funds-reason', 'top-up')
  await confirmed(page, () => page.click('#funds-form button[data-direction=in]'), /Record funds into wallet-b: 100.25 USD/)
  assert.equal((await positionOf('wallet-b')).funds, '5100.25')
  await page.fill('#funds-amount', '50')
  await confirmed(page, () => page.click('#funds-form button[data-direction=out]'), /Record funds out of wallet-b: 50.00 USD/)
  assert.equal((await positionOf('wallet-b')).funds, '5050.25')
  await page.waitForFunction(() => document.querySelector('#participant-positions td[data-key=funds]')?.textContent === '5,050.25')
  for (const action of ['funds.recordFundsIn', 'funds.recordFundsOutPrepareReserve', 'funds.recordFundsOutCommit']) assert.ok(await audited('otto', action), action)
  await page.selectOption('#statement-account', 'SETTLEMENT')
  await page.waitForFunction(() => document.querySelectorAll('#statement tbody td[data-key=balance]').length === 3)
  assert.deepEqual((await tableRows(page, '#statement')).map((r) => r.balance), ['-5,000.00', '-5,100.25', '-5,050.25'], 'a settlement account holds funds as a negative value')
  await screenshot(page, 'operator', 'participant')
  await context.close()
  await assertLedgerInvariants(world.testDb.db)
})

test('an operator deactivates and activates a participant', async () => {
  const { context, page } = await signIn(world, 'otto')
  await page.click('#participants a[href="#participant/wallet-b"]')
  await confirmed(page, () => page.click('#active-toggle'), /^Deactivate wallet-b$/)
  assert.equal((await positionOf('wallet-b')).active, 'no')
  await page.waitForSelector('#active-toggle:has-text("Activate wallet-b")')
  await confirmed(page, () => page.click('#active-toggle'), /^Activate wallet-b$/)
  assert.equal((await positionOf('wallet-b')).active, 'yes')
  assert.ok(await audited('otto', 'participant.update'))
  await context.close()
})

test('an operator closes the window and settles it from the view, step by step to SETTLED, and the positions reset', async () => {
  const { context, page } = await signIn(world, 'otto')
  await page.click('nav a[data-view=settlements]')
  const open = (await call(world.admin, 'GET', '/v2/settlementWindows?state=OPEN')).body[0].settlementWindowId as number
  await confirmed(page, () => page.click(`[data-close="${open}"]`), new RegExp(`Close settlement window ${open}`))
  assert.equal((await call(world.admin, 'GET', `/v2/settlementWindows/${open}`)).body.state, 'CLOSED')
  assert.ok(await audited('otto', 'settlementWindow.close'))
  await page.waitForSelector(`[data-settle="${open}"]`)
  await screenshot(page, 'operator', 'settlements')
  await confirmed(page, () => page.click(`[data-settle="${open}"]`), new RegExp(`Settle window ${open} with the model DEFERRED_NET_USD`))
  await page.waitForSelector('#report tbody td[data-key=state]')
  const settlementId = Number((await page.textContent('#settlement-title'))!.replace('Settlement ', ''))
  assert.ok(await audited('otto', 'settlement.create'))
  for (const next of ['PS_TRANSFERS_RECORDED', 'PS_TRANSFERS_RESERVED', 'PS_TRANSFERS_COMMITTED', 'SETTLED']) {
    await confirmed(page, () => page.click('#settlement-advance'), new RegExp(`Advance settlement ${settlementId} to ${next}`))
    await page.waitForFunction((state) => document.querySelector('[data-fact=State]')?.textContent === state, next)
    assert.equal((await call(world.admin, 'GET', `/v2/settlements/${settlementId}`)).body.state, next)
  }
  assert.equal(await page.isVisible('#settlement-actions'), false, 'nothing left to do')
  assert.deepEqual((await tableRows(page, '#report')).map((r) => r.state), ['SETTLED', 'SETTLED'])
  assert.ok((await tableRows(page, '#settlement-journal')).some((r) => r.kind === 'SETTLEMENT_FUNDS'), 'the funds moved are in the journal')
  assert.equal((await call(world.admin, 'GET', `/v2/settlementWindows/${open}`)).body.state, 'SETTLED')
  assert.equal((await positionOf('bank-a')).position, '0')
  assert.equal(await world.testDb.db('audit_log').where({ actor: 'otto', action: 'settlement.update' }).count({ n: '*' }).first().then((r) => Number(r!.n)), 4)
  await screenshot(page, 'operator', 'settlement')
  await context.close()
  await assertLedgerInvariants(world.testDb.db)
})

test('an operator aborts a settlement from the view', async () => {
  await commitTransfer(world.testDb.db, 'bank-a', 'wallet-b', '10')
  const open = (await call(world.admin, 'GET', '/v2/settlementWindows?state=OPEN')).body[0].settlementWindowId as number
  await call(world.admin, 'POST', `/v2/settlementWindows/${open}`, { state: 'CLOSED', reason: 'test' })
  const id = (await call(world.admin, 'POST', '/v2/settlements', { settlementModel: 'DEFERRED_NET_USD', reason: 'test', settlementWindows: [{ id: open }] })).body.id
  const { context, page } = await signIn(world, 'otto')
  await page.evaluate((h) => { location.hash = h }, `#settlement/${id}`)
  await page.waitForSelector('#settlement-abort:visible')
  await confirmed(page, () => page.click('#settlement-abort'), new RegExp(`Abort settlement ${id}`))
  assert.equal((await call(world.admin, 'GET', `/v2/settlements/${id}`)).body.state, 'ABORTED')
  await context.close()
  await assertLedgerInvariants(world.testDb.db)
})

test('a finance officer sees the settlement actions but not the operator\'s onboarding actions (cap, activation)', async () => {
  const { context, page } = await signIn(world, 'fiona')
  await page.click('#participants a[href="#participant/bank-a"]')
  await page.waitForSelector('#funds-form:visible')
  assert.equal(await page.isVisible('#ndc-form'), false)
  assert.equal(await page.isVisible('#active-action'), false)
  await page.click('nav a[data-view=settlements]')
  await page.waitForSelector('[data-close]')
  const refused = await page.request.put(`${world.url}/ui/api/admin/participants/bank-a/limits`, { data: { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 1 } } })
  assert.equal(refused.status(), 403, 'the server agrees with the page')
  await context.close()
})
