// The web view for keyboard users and screen readers, in a real headless Chromium: every control of every
// view has a label (or its own text), the views are reached and tables sorted from the keyboard, an
// action's confirmation is cancelled with Escape, and text contrasts with its background by at least
// WCAG AA's 4.5:1 (checked on the computed colours of what each view shows).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { commitTransfer } from '../support/committed-transfers.ts'
import { call, onboardTwoBanks, signIn, startWebViewWorld, tableRows, type WebViewWorld } from './web-view-world.ts'

const CONTRAST_MIN = 4.5
const VIEWS = ['#participants', '#participant/bank-a', '#settlements', '#audit', '#overview']
let world: WebViewWorld
let settlementId: number

before(async () => {
  world = await startWebViewWorld('web_a11y')
  await onboardTwoBanks(world.admin)
  const { windowId } = await commitTransfer(world.testDb.db, 'bank-a', 'wallet-b', '10')
  await call(world.admin, 'POST', `/v2/settlementWindows/${windowId}`, { state: 'CLOSED', reason: 'test' })
  settlementId = (await call(world.admin, 'POST', '/v2/settlements', { settlementModel: 'DEFERRED_NET_USD', reason: 'test', settlementWindows: [{ id: Number(windowId) }] })).body.id
})
after(async () => {
  await world?.close()
})

async function show(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => { location.hash = h }, hash)
  await page.waitForLoadState('networkidle')
  await page.waitForSelector(`#view-${hash.slice(1).split('/')[0]}:not([hidden]) tbody`)
}

/** Visible controls without an accessible name: no label, no aria-label, no text of their own. */
function unlabelled(page: Page): Promise<string[]> {
  return page.$$eval('input, select, button, a[href]', (elements) => elements.filter((e) => (e as HTMLElement).offsetParent !== null).filter((e) => {
    const labelled = (e as HTMLInputElement).labels?.length || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')
    return !labelled && !(e.textContent ?? '').trim()
  }).map((e) => e.outerHTML.slice(0, 120)))
}

/** Visible text whose colour contrasts less than the minimum with the first opaque background behind it.
 *  Plain JavaScript in a string: what tsx compiles would carry its helpers into the page. */
const LOW_CONTRAST_JS = `(min) => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number)
  const channel = (v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4 }
  const luminance = (c) => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2])
  const background = (e) => {
    for (let n = e; n; n = n.parentElement) { const c = rgb(getComputedStyle(n).backgroundColor); if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3) }
    return [255, 255, 255]
  }
  const bad = []
  for (const el of document.querySelectorAll('h1, h2, h3, p, label, th, td, a, button, dt, dd, span, strong, caption, legend, time')) {
    if (el.offsetParent === null || ![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue
    const style = getComputedStyle(el)
    if (el.disabled) continue // disabled controls are exempt (WCAG 1.4.3)
    const fg = luminance(rgb(style.color)), bg = luminance(background(el))
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05)
    if (ratio < min) bad.push(ratio.toFixed(2) + ': ' + el.outerHTML.slice(0, 100))
  }
  return bad
}`

function lowContrast(page: Page, minimum: number): Promise<string[]> {
  return page.evaluate(`(${LOW_CONTRAST_JS})(${minimum})`)
}

test('every control in every view has a label or its own text, for the regulator and the operator', async () => {
  for (const person of ['rita', 'otto'] as const) {
    const { context, page } = await signIn(world, person)
    for (const hash of [...VIEWS, `#settlement/${settlementId}`]) {
      await show(page, hash)
      assert.deepEqual(await unlabelled(page), [], `${person} ${hash}`)
    }
    await context.close()
  }
})

test(`text in every view contrasts with its background by at least ${CONTRAST_MIN}:1`, async () => {
  const { context, page } = await signIn(world, 'otto')
  for (const hash of [...VIEWS, `#settlement/${settlementId}`]) {
    await show(page, hash)
    assert.deepEqual(await lowContrast(page, CONTRAST_MIN), [], hash)
  }
  await context.close()
})

test('the keyboard reaches the views, sorts a table and cancels a confirmation with Escape', async () => {
  const { context, page } = await signIn(world, 'otto')
  await page.focus('nav a[data-view=participants]')
  await page.keyboard.press('Tab')
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-view')), 'settlements', 'Tab moves along the navigation')
  await page.keyboard.press('Enter')
  await page.waitForSelector('#view-settlements:not([hidden]) #windows tbody tr')
  assert.equal(await page.getAttribute('nav a[data-view=settlements]', 'aria-current'), 'page')
  await page.focus('#windows button.sort[data-sort=id]')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Enter')
  await page.waitForSelector('#windows th[aria-sort=descending]')
  const ids = (await tableRows(page, '#windows')).map((r) => Number(r.id))
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a))
  const open = (await call(world.admin, 'GET', '/v2/settlementWindows?state=OPEN')).body[0].settlementWindowId
  await page.focus(`[data-close="${open}"]`)
  await page.keyboard.press('Enter')
  await page.waitForSelector('#confirm[open]')
  assert.equal(await page.evaluate(() => document.activeElement?.closest('dialog')?.id), 'confirm', 'the focus moves into the dialog')
  await page.keyboard.press('Escape')
  await page.waitForFunction(() => !document.getElementById('confirm')!.hasAttribute('open'))
  assert.equal((await call(world.admin, 'GET', `/v2/settlementWindows/${open}`)).body.state, 'OPEN', 'cancelled: nothing changed')
  await context.close()
})
