// What the browser tests of the web view share: a test database with a hub and two DFSPs, the admin app
// listening on a port, the people of the view (a regulator, a finance officer, an operator with the
// operator and finance roles), a headless Chromium (scripts/chromium.sh finds or installs one), sign-in,
// and screenshots saved under test-artefacts/web/ (not committed).
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { FastifyInstance } from 'fastify'
import { createTestDb, type TestDb } from '../support/db.ts'
import { testAdminApp } from '../support/apps.ts'
import { call, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { hashPassword } from '../../switch/web/passwords.ts'
import type { Config } from '../../switch/config/config.ts'

export const ARTEFACTS_DIR = fileURLToPath(new URL('../../test-artefacts/web/', import.meta.url))
export const PEOPLE = {
  rita: { roles: ['regulator' as const], password: 'rita-secret' },
  fiona: { roles: ['finance' as const], password: 'fiona-secret' },
  otto: { roles: ['operator' as const, 'finance' as const], password: 'otto-secret' },
}
export type Person = keyof typeof PEOPLE

export interface WebViewWorld {
  testDb: TestDb
  admin: FastifyInstance
  browser: Browser
  url: string
  close(): Promise<void>
}

export async function startWebViewWorld(label: string, config: Partial<Config> = {}): Promise<WebViewWorld> {
  const chromiumPath = execFileSync('bash', [fileURLToPath(new URL('../../scripts/chromium.sh', import.meta.url))], { encoding: 'utf8', timeout: 600_000 }).trim()
  const testDb = await createTestDb(label)
  const users = Object.entries(PEOPLE).map(([name, p]) => ({ name, roles: p.roles, passwordHash: hashPassword(p.password) }))
  const admin = await testAdminApp(testDb.db, { config: { ...config, web: { users, sessionSecret: 'test-secret' } } })
  await admin.listen({ host: '127.0.0.1', port: 0 })
  const url = `http://127.0.0.1:${(admin.server.address() as { port: number }).port}`
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  return {
    testDb, admin, browser, url,
    async close() {
      await browser.close()
      await admin.close()
      await testDb.drop()
    },
  }
}

/** The hub and two DFSPs in USD, with caps and funds. */
export async function onboardTwoBanks(admin: FastifyInstance): Promise<void> {
  await setupHub(admin, 'USD')
  await onboardDfsp(admin, { name: 'bank-a', ndc: '1000000', fundsIn: '250000.5' })
  await onboardDfsp(admin, { name: 'wallet-b', ndc: '1000000', fundsIn: '5000' })
}

export async function signIn(world: WebViewWorld, name: Person, locale = 'en-US', timezoneId = 'UTC') {
  const context = await world.browser.newContext({ acceptDownloads: true, locale, timezoneId, viewport: { width: 1366, height: 900 } })
  const page = await context.newPage()
  await page.goto(`${world.url}/ui`)
  await page.fill('#name', name)
  await page.fill('#password', PEOPLE[name].password)
  await page.click('#login button[type=submit]')
  await page.waitForSelector('#participants tbody tr td[data-key=participant]')
  return { context, page }
}

export async function screenshot(page: Page, test: string, name: string): Promise<void> {
  const dir = path.join(ARTEFACTS_DIR, test)
  mkdirSync(dir, { recursive: true })
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true })
}

/** The rows of a table as the page shows them: each cell's text, keyed by its column. */
export async function tableRows(page: Page, selector: string): Promise<Record<string, string>[]> {
  return page.$$eval(`${selector} tbody tr`, (trs) => trs.map((tr) => Object.fromEntries([...tr.querySelectorAll('td[data-key]')].map((td) => [(td as HTMLElement).dataset.key!, td.textContent ?? '']))))
}

/** The raw value (a ledger amount or an ISO time) behind each cell of a column. */
export async function columnValues(page: Page, selector: string, key: string): Promise<string[]> {
  return page.$$eval(`${selector} tbody td[data-key="${key}"]`, (tds) => tds.map((td) => (td as HTMLElement).dataset.value ?? ''))
}

export { call }
