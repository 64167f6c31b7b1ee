// Two reference DFSPs pay each other in a steady trickle through the switch as its own process, while the
// switch is SIGKILLed and started again, one DFSP is stopped and started again on its books file, and the
// DFSPs' HTTP server refuses some of the switch's transfer callbacks (some with 400, dead-lettered at once;
// some with 503 a few times, retried and so delivered late). Afterwards each DFSP's own books reconcile
// exactly with the ledger: every transfer it booked final has that state in the ledger, nothing is
// pending, and what it booked net is its position change.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { switchProcess } from '../support/switch-process.ts'
import { onboardDfsp, setupHub } from '../support/fixtures.ts'
import { ReferenceDfsp, TransferOutcomeUnknown } from '../../adapters/reference-dfsp/reference-dfsp.ts'
import { startDfspHost, type Refusal } from '../../adapters/reference-dfsp/dfsp-host.ts'
import { ilpPacketFor } from '../../adapters/reference-dfsp/ilp.ts'
import { ledgerViewOfDb, reconcileWithLedger } from '../../adapters/reference-dfsp/ledger-reconciliation.ts'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { pipelineInvariants } from '../../switch/invariants/pipeline-invariants.ts'

const TRICKLE_INTERVAL_MS = 60
const TRAFFIC_BEFORE_KILL_MS = 4_000
const SWITCH_DOWN_MS = 2_000
const TRAFFIC_BEFORE_DFSP_RESTART_MS = 2_000
const TRAFFIC_AFTER_RESTART_MS = 4_000
/** The restarted switch's consumers wait for the killed ones' Kafka sessions (30 s) to end; then expiries. */
const BOOKS_FINAL_WITHIN_MS = 150_000
const AMOUNTS = ['1', '2.5', '0.75', '3', '1.2']
/** Callbacks for transfer ids ending in these hex digits are refused. */
const DEAD_LETTERED_IDS = /[0]$/
const RETRIED_IDS = /[1]$/
const REFUSED_WITH_503_TIMES = 3

test('after a switch crash, a DFSP restart and refused callbacks, each reference DFSP\'s books reconcile exactly with the ledger', async (t) => {
  const sw = switchProcess('refdfspfaults')
  const booksDir = mkdtempSync(path.join(tmpdir(), 'agora-refdfsp-faults-'))
  const dfspOptions = {
    switchUrl: sw.apiUrl, callbackTimeout_ms: 400, resolveAfter_ms: 2_000, transferExpiry_ms: 10_000, resolveBackoffFirst_ms: 200, resolveBackoffMax_ms: 2_000,
  }
  const bank = new ReferenceDfsp({ ...dfspOptions, name: 'faultbank', secret: 'bank-secret', customers: [{ idType: 'MSISDN', id: '255711100001', name: 'Amani', balance: '1000' }] })
  let wallet = new ReferenceDfsp({
    ...dfspOptions, name: 'faultwallet', secret: 'wallet-secret', payeeAnswers: 'COMMITTED', booksFile: path.join(booksDir, 'faultwallet.jsonl'),
    customers: [{ idType: 'MSISDN', id: '255722200002', name: 'Baraka', balance: '1000' }],
  })
  const refused = { deadLettered: 0, retried: 0 }
  const deliveries = new Map<string, number>()
  const refuse: Refusal = (dfsp, method, path) => {
    const id = /^\/transfers\/([^/?]+)/.exec(path)?.[1]
    if (method === 'POST' || !id) return undefined
    const key = `${dfsp} ${method} ${path}`
    const n = (deliveries.get(key) ?? 0) + 1
    deliveries.set(key, n)
    if (DEAD_LETTERED_IDS.test(id) && n === 1) {
      refused.deadLettered++
      return 400
    }
    if (RETRIED_IDS.test(id) && n <= REFUSED_WITH_503_TIMES) {
      refused.retried++
      return 503
    }
    return undefined
  }
  const host = await startDfspHost([bank, wallet], { refuse })
  let trickling = true
  const outcomes = { committed: 0, aborted: 0, unknown: 0, callerTimedOut: 0, dfspClosed: 0 }
  try {
    await sw.start()
    await setupHub(sw.admin, 'USD')
    for (const d of [bank, wallet]) await onboardDfsp(sw.admin, { name: d.name, ndc: '10000', fundsIn: '10000', endpointBase: host.endpointBase(d.name) })

    const pay = async (payer: ReferenceDfsp, payee: ReferenceDfsp, amount: string) => {
      const payeeCustomer = payee.options.customers[0]!.id
      const ilpPacket = ilpPacketFor({ payee: payeeCustomer, amount: { amount, currency: 'USD' } })
      try {
        await payer.transfer(payer.options.customers[0]!.id, payee.name, amount, 'USD', { ilpPacket, condition: payee.conditionFor(ilpPacket) })
        outcomes.committed++
      } catch (error) {
        if (error instanceof TransferOutcomeUnknown) outcomes.unknown++
        else if ((error as Error).message.includes('no callback')) outcomes.callerTimedOut++
        else if ((error as Error).message.includes('closed')) outcomes.dfspClosed++
        else outcomes.aborted++
      }
    }
    const calls: Promise<void>[] = []
    const trickle = (async () => {
      for (let i = 0; trickling; i++) {
        const [payer, payee] = i % 2 === 0 ? [bank, wallet] : [wallet, bank]
        calls.push(pay(payer, payee, AMOUNTS[i % AMOUNTS.length]!))
        await sleep(TRICKLE_INTERVAL_MS)
      }
    })()
    await sleep(TRAFFIC_BEFORE_KILL_MS)
    await sw.kill()
    await sleep(SWITCH_DOWN_MS)
    await sw.start()
    await sleep(TRAFFIC_BEFORE_DFSP_RESTART_MS)
    await wallet.close()
    const walletHeld = wallet.books.pendingCount
    wallet = new ReferenceDfsp(wallet.options)
    host.serve(wallet)
    assert.equal(wallet.books.pendingCount, walletHeld, 'the restarted DFSP has its pending transfers back')
    await sleep(TRAFFIC_AFTER_RESTART_MS)
    trickling = false
    await trickle
    await Promise.all(calls)

    const deadline = Date.now() + BOOKS_FINAL_WITHIN_MS
    while ((bank.books.pendingCount > 0 || wallet.books.pendingCount > 0) && Date.now() < deadline) await sleep(250)
    const ledger = ledgerViewOfDb(sw.db)
    assert.deepEqual(await reconcileWithLedger(bank, ledger, { currency: 'USD' }), [], 'faultbank reconciles')
    assert.deepEqual(await reconcileWithLedger(wallet, ledger, { currency: 'USD' }), [], 'faultwallet reconciles')
    assert.equal(bank.books.total() + wallet.books.total(), 20_000_000n, 'no money made or lost between the two DFSPs')
    await assertLedgerInvariants(sw.db, pipelineInvariants())

    // The faults happened, and the DFSPs got through them the ways this test is about.
    const ledgerTransfers = await ledger.transfersOf(bank.name, 'USD')
    assert.ok(ledgerTransfers.some((t) => t.state === 'COMMITTED'), 'transfers committed')
    assert.ok(outcomes.unknown > 0, 'prepares failed on the way while the switch was down')
    assert.ok(refused.deadLettered > 0 && refused.retried > 0, `callbacks refused: ${JSON.stringify(refused)}`)
    assert.ok(Number((await sw.db('callback_dead_letter').count({ n: '*' }))[0]!.n) > 0, 'the switch dead-lettered the refused callbacks')
    assert.ok(bank.transferStatesAsked > 0 && wallet.transferStatesAsked > 0, 'both resolved transfers with GET /transfers/{id}')
    assert.ok(bank.lateFinals + wallet.lateFinals > 0, 'final states heard after the caller stopped waiting were booked')
    const states: Record<string, number> = {}
    for (const x of ledgerTransfers) states[x.state] = (states[x.state] ?? 0) + 1
    t.diagnostic(`ledger ${JSON.stringify(states)}; callers ${JSON.stringify(outcomes)}; refused ${JSON.stringify(refused)}; `
      + `GETs ${bank.transferStatesAsked}+${wallet.transferStatesAsked}; late finals ${bank.lateFinals}+${wallet.lateFinals}`)
  } catch (error) {
    console.error(`outcomes ${JSON.stringify(outcomes)}; refused ${JSON.stringify(refused)}; switch output:\n${sw.output().slice(-5_000)}`)
    throw error
  } finally {
    trickling = false
    await bank.close()
    await wallet.close()
    await host.close()
    await sw.stop()
    rmSync(booksDir, { recursive: true, force: true })
  }
})
