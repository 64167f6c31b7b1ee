// The participants view with 1,000 DFSPs (seeded straight into the ledger's tables: participants, their
// USD position and settlement accounts, caps, positions), and a statement of 20,000 lines: prints how
// long the page takes to show them (a measurement, no timing assertion), and checks that paging,
// sorting and filtering run on the server over all of them.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { commitTransfer, positionAccount } from '../support/committed-transfers.ts'
import { onboardTwoBanks, screenshot, signIn, startWebViewWorld, tableRows, type WebViewWorld } from './web-view-world.ts'

const PARTICIPANTS = 1_000
const STATEMENT_LINES = 20_000
let world: WebViewWorld

const nameOf = (i: number) => `dfsp-${String(i).padStart(4, '0')}`

before(async () => {
  world = await startWebViewWorld('web_scale')
  await onboardTwoBanks(world.admin)
  const db = world.testDb.db
  const started = Date.now()
  await db.batchInsert('participant', Array.from({ length: PARTICIPANTS }, (_, i) => ({ name: nameOf(i), created_by: 'seed' })), 500)
  const ids: { id: number; name: string }[] = await db('participant').where('name', 'like', 'dfsp-%').select('id', 'name')
  const accounts = ids.flatMap((p) => ['POSITION', 'SETTLEMENT'].map((type) => ({ participant_id: p.id, currency: 'USD', type })))
  await db.batchInsert('account', accounts, 500)
  const positions: { id: number; participant_id: number }[] = await db('account').whereIn('participant_id', ids.map((p) => p.id)).andWhere({ type: 'POSITION' }).select('id', 'participant_id')
  await db.batchInsert('participant_limit', positions.map((a, i) => ({ account_id: a.id, type: 'NET_DEBIT_CAP', value: String(10_000 + i * 10), changed_by: 'seed' })), 500)
  // Positions only, for sorting to have something to sort: not a ledger that balances (no invariant check here).
  await db('account').whereIn('id', positions.map((a) => a.id)).update({ value: db.raw('id * 3 % 9000') })
  // A long statement for bank-a: committed transfers in bulk, one journal entry each.
  const payer = await positionAccount(db, 'bank-a'), payee = await positionAccount(db, 'wallet-b')
  const { windowId } = await commitTransfer(db, 'bank-a', 'wallet-b', '1')
  const transfers = Array.from({ length: STATEMENT_LINES - 1 }, () => randomUUID())
  await db.batchInsert('transfer', transfers.map((id) => ({
    id, payer_fsp: 'bank-a', payee_fsp: 'wallet-b', payer_account_id: payer, payee_account_id: payee, amount: '1.25', currency: 'USD', ilp_condition: randomBytes(32).toString('base64url'),
    ilp_packet: 'AQ', expiration: new Date(Date.now() + 60_000), state: 'COMMITTED', prepare_hash: 'seed', settlement_window_id: windowId, completed_at: new Date(),
  })), 1000)
  await db.batchInsert('journal_entry', transfers.map((id) => ({ kind: 'TRANSFER_COMMIT', reference: id, currency: 'USD', settlement_window_id: windowId, created_by: 'seed' })), 1000)
  const entries: { id: number }[] = await db('journal_entry').whereIn('reference', db('transfer').where({ prepare_hash: 'seed' }).select('id')).select('id')
  await db.batchInsert('journal_line', entries.flatMap((e) => [{ entry_id: e.id, account_id: payer, amount: '1.25' }, { entry_id: e.id, account_id: payee, amount: '-1.25' }]), 1000)
  console.log(`seeded ${PARTICIPANTS} participants and ${STATEMENT_LINES} statement lines in ${Date.now() - started} ms`)
})
after(async () => {
  await world?.close()
})

test(`the participants page with ${PARTICIPANTS} DFSPs loads a page at a time; the measurement is printed`, async () => {
  const started = Date.now()
  const { context, page } = await signIn(world, 'rita')
  const loaded_ms = Date.now() - started
  assert.equal((await tableRows(page, '#participants')).length, 50, 'one page of 50')
  assert.match(await page.textContent('#participants-pager') ?? '', /Rows 1–50 of 1,002/)
  const reloadStarted = Date.now()
  await page.reload()
  await page.waitForSelector('#participants-pager .range:has-text("of 1,002")')
  const reloaded_ms = Date.now() - reloadStarted
  const sortStarted = Date.now()
  await page.click('#participants button.sort[data-sort=netDebitCap]')
  await page.click('#participants button.sort[data-sort=netDebitCap]')
  await page.waitForSelector('#participants th[aria-sort=descending] [data-sort=netDebitCap]')
  const sorted_ms = Date.now() - sortStarted
  assert.deepEqual((await tableRows(page, '#participants')).slice(0, 3).map((r) => r.participant), ['bank-a', 'wallet-b', nameOf(PARTICIPANTS - 1)], 'the largest caps of all 1,002, not of the page')
  const lastPageStarted = Date.now()
  for (let i = 0; i < 3; i++) {
    const range = await page.textContent('#participants-pager .range')
    await page.click('#participants-pager [data-go=next]')
    await page.waitForFunction((before) => document.querySelector('#participants-pager .range')?.textContent !== before, range)
  }
  const paged_ms = (Date.now() - lastPageStarted) / 3
  assert.match(await page.textContent('#participants-pager') ?? '', /Rows 151–200 of 1,002/)
  await page.fill('#participants-name', 'dfsp-099')
  await page.waitForFunction(() => document.querySelectorAll('#participants tbody tr').length === 10)
  await screenshot(page, 'scale', 'participants')
  const statementStarted = Date.now()
  await page.evaluate(() => { location.hash = '#participant/bank-a' })
  await page.waitForSelector('#statement-pager .range:has-text("of 20,000")')
  const statement_ms = Date.now() - statementStarted
  await page.click('#statement-pager [data-go=next]')
  await page.waitForSelector('#statement-pager .range:has-text("Rows 51–100")')
  assert.equal((await tableRows(page, '#statement')).at(-1)!.balance, '124.75', 'the running balance carries over the pages: 1 + 99 × 1.25')
  console.log(`web view, ${PARTICIPANTS} participants: signed in and first page shown in ${loaded_ms} ms, page reloaded in ${reloaded_ms} ms; sort ${sorted_ms} ms (two clicks); next page ${paged_ms.toFixed(0)} ms each; `
    + `bank-a with ${STATEMENT_LINES} statement lines and transfers shown in ${statement_ms} ms`)
  await context.close()
})
