// Bad input from an ISO 20022 bank core, each answered with a pacs.002 RJCT and its reason code, and
// nothing moved (books, positions, transfers at the switch): a schema-invalid message (FF01), a wrong
// namespace (FF01), the same message twice (paid once, the same answer), the same MsgId with other
// content (DU01), an unknown creditor (AC01), an amount with more decimals than its currency (AM12), a
// payment over the net debit cap (AM04), a payment past its settlement deadline (AB05); and a payee core
// that refuses the credit (its RJCT reason back to the payer's bank).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { call as admin, setupHub } from '../support/fixtures.ts'
import { assertSwitchInvariantsAfterEach } from '../support/switch-invariants.ts'
import { dropIsoDatabases, postXml, startIsoBank, type IsoBank } from '../support/iso-banks.ts'
import { readDocument } from '../../adapters/iso20022-bank/iso-xml.ts'
import { writePacs008, type CreditTransfer } from '../../adapters/iso20022-bank/pacs008.ts'
import { readPacs002 } from '../../adapters/iso20022-bank/pacs002.ts'
import { assertValidIso } from '../../adapters/iso20022-bank/xsd-validation.ts'
import { Decimal } from '../../ledger/domain/money.ts'

const ALICE = '255711300001'
const BOB = '255722400002'
const CLOSED = '255722400099'

let sw: SwitchHarness
let a: IsoBank
let b: IsoBank

const position = async (name: string) => new Decimal((await admin(sw.admin, 'GET', `/participants/${name}/positions?currency=USD`)).body.value).toFixed()
/** Transfers the switch committed (a refused prepare leaves an aborted one, which moved nothing). */
const transferCount = async () => Number((await sw.testDb.db('transfer').where({ state: 'COMMITTED' }).count({ n: '*' }))[0]!.n)
const snapshot = async () => [a.core.balance(ALICE), b.core.balance(BOB), await position('refusea'), await position('refuseb'), await transferCount()]
const pay = (o: Partial<Parameters<IsoBank['core']['creditTransfer']>[0]> = {}) => a.core.creditTransfer({ msgId: `M-${randomUUID().slice(0, 8)}`, uetr: randomUUID(), from: ALICE, to: BOB, amount: '10', ...o })

async function refused(xml: string, t?: CreditTransfer): Promise<{ reason?: string; info?: string }> {
  const answer = t ? (await a.core.pay(a.connector.apiUrl, t, xml)).xml : await postXml(a.connector.apiUrl, xml)
  assertValidIso(answer, 'pacs.002')
  const status = readPacs002(readDocument(answer))
  assert.equal(status.status, 'RJCT', answer)
  return status
}

before(async () => {
  sw = await startSwitch('isorefuse')
  await setupHub(sw.admin, 'USD')
  a = await startIsoBank(sw, 'refusea', [{ idType: 'MSISDN', idValue: ALICE, name: 'Alice', balance: '100000' }], { ndc: '1000' })
  b = await startIsoBank(sw, 'refuseb', [{ idType: 'MSISDN', idValue: BOB, name: 'Bob', balance: '0' }, { idType: 'MSISDN', idValue: CLOSED, name: 'Closed', balance: '0' }])
  // The closed account is registered at the switch but no longer in the payee core's books.
  b.core.accounts.delete(CLOSED)
})
after(async () => {
  for (const bank of [a, b]) { await bank?.connector.stop(); await bank?.core.close() }
  await dropIsoDatabases()
  await sw.stop()
})
assertSwitchInvariantsAfterEach(() => sw)

test('a schema-invalid pacs.008 and one in a namespace the connector does not speak: RJCT FF01 with the validation error, nothing paid', async () => {
  const before = await snapshot()
  const invalid = await refused(writePacs008(pay()).replace('<ChrgBr>SLEV</ChrgBr>', ''))
  assert.equal(invalid.reason, 'FF01')
  assert.match(invalid.info ?? '', /schema: Element 'Dbtr': This element is not expected/)
  const wrongNamespace = await refused(writePacs008(pay()).replace('pacs.008.001.09', 'pacs.008.001.02'))
  assert.equal(wrongNamespace.reason, 'FF01')
  assert.match(wrongNamespace.info ?? '', /namespace: unknown message/)
  const notXml = await refused('<Document><MsgId>X-1</MsgId>')
  assert.equal(notXml.reason, 'FF01')
  assert.deepEqual(await snapshot(), before)
})

test('the same message twice is paid once and answered the same; the same MsgId with other content is refused DU01', async () => {
  const t = pay({ amount: '7' })
  const xml = writePacs008(t)
  const first = await postXml(a.connector.apiUrl, xml)
  const again = await postXml(a.connector.apiUrl, xml)
  assert.equal(readPacs002(readDocument(first)).status, 'ACSC')
  assert.equal(again, first, 'the recorded answer, as it was')
  assert.equal(Number((await sw.testDb.db('transfer').where({ id: t.uetr }).count({ n: '*' }))[0]!.n), 1)
  assert.deepEqual(b.core.creditRequests.filter((id) => id === t.uetr), [t.uetr], 'the payee core was asked once')
  const before = await sw.testDb.db('transfer').count({ n: '*' })
  const other = await refused(writePacs008({ ...t, uetr: randomUUID(), amount: '8' }))
  assert.equal(other.reason, 'DU01')
  assert.deepEqual(await sw.testDb.db('transfer').count({ n: '*' }), before, 'nothing was sent to the switch')
})

test('an unknown creditor (AC01), a creditor account the payee core has closed (AC04 back from it), too many decimals (AM12): nothing moved', async () => {
  const before = await snapshot()
  const unknown = pay({ to: '255700000404' })
  assert.equal((await refused(writePacs008(unknown), unknown)).reason, 'AC01')
  const closed = pay({ to: CLOSED })
  const closedAnswer = await refused(writePacs008(closed), closed)
  assert.equal(closedAnswer.reason, 'AC04', 'the payee core\'s own reason, through FSPIOP 5107 and back')
  const scale = pay({ amount: '1.001' })
  const scaleAnswer = await refused(writePacs008(scale), scale)
  assert.equal(scaleAnswer.reason, 'AM12')
  assert.match(scaleAnswer.info ?? '', /more decimals than USD allows/)
  assert.deepEqual(await snapshot(), before)
  assert.equal(a.core.pendingCount + b.core.pendingCount, 0)
})

test('a payment over the payer bank\'s net debit cap is refused AM04; one past its settlement deadline AB05: nothing moved', async () => {
  const before = await snapshot()
  const tooMuch = pay({ amount: '5000' })
  const limit = await refused(writePacs008(tooMuch), tooMuch)
  assert.equal(limit.reason, 'AM04')
  assert.match(limit.info ?? '', /FSPIOP 4(001|200)/)
  const late = pay()
  const lateXml = writePacs008({ ...late, settlementDate: new Date().toISOString().slice(0, 10) }).replace('<ChrgBr>', '<SttlmTmReq><TillTm>00:00:01Z</TillTm></SttlmTmReq><ChrgBr>')
  const expired = await refused(lateXml, late)
  assert.equal(expired.reason, 'AB05')
  assert.deepEqual(await snapshot(), before)
  assert.equal(a.core.pendingCount + b.core.pendingCount, 0)
})

test('a payment whose deadline passes while the payee core is slow: the switch expires it, the payer bank gets RJCT AB05 and the payee core a RJCT for the credit it took', async () => {
  const before = await snapshot()
  let release!: () => void
  b.core.creditGate = new Promise<void>((r) => { release = r })
  const t = pay({ amount: '3' })
  const deadline = new Date(Date.now() + 3_000).toISOString()
  const xml = writePacs008({ ...t, settlementDate: deadline.slice(0, 10) }).replace('<ChrgBr>', `<SttlmTmReq><TillTm>${deadline.slice(11)}</TillTm></SttlmTmReq><ChrgBr>`)
  const paying = a.core.pay(a.connector.apiUrl, t, xml)
  for (let i = 0; i < 100 && !b.core.creditRequests.includes(t.uetr!); i++) await new Promise((r) => setTimeout(r, 50))
  const answer = await paying
  assert.equal(answer.status, 'RJCT', answer.info)
  assert.equal(answer.reason, 'AB05')
  assert.match(answer.info ?? '', /FSPIOP 3303/)
  release()
  b.core.creditGate = undefined
  const aborted = () => b.core.received.some((m) => m.type === 'pacs.002' && m.xml.includes(t.uetr!) && m.xml.includes('<TxSts>RJCT</TxSts>'))
  for (let i = 0; i < 200 && !aborted(); i++) await new Promise((r) => setTimeout(r, 50))
  assert.ok(aborted(), 'the payee core is told the credit it took does not stand (pacs.002 RJCT)')
  assert.equal(b.core.pendingCount, 0, 'the payee core released the credit it had taken')
  assert.equal((await sw.testDb.db('transfer').where({ id: t.uetr }).first())?.state, 'EXPIRED')
  assert.deepEqual(await snapshot(), before)
})
