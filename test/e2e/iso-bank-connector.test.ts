// Two banks whose cores speak ISO 20022 XML pay each other through their connectors and the real switch
// (Kafka, MariaDB): pacs.008 in, lookup + quote + transfer over FSPIOP, pacs.008 to the payee's core,
// pacs.002 back, camt.054 to both cores; acmt.023 look-ups and pacs.028 status requests; a camt.053 of the
// day from the switch's admin API. Every message either side gets is XSD-valid (the cores check), the
// references and names arrive as the payer's bank wrote them, and the books, positions and the ledger's
// invariants agree.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { call as admin, setupHub } from '../support/fixtures.ts'
import { assertSwitchInvariantsAfterEach } from '../support/switch-invariants.ts'
import { dropIsoDatabases, postXml, startIsoBank, type IsoBank } from '../support/iso-banks.ts'
import { readDocument, text } from '../../adapters/iso20022-bank/iso-xml.ts'
import { readPacs008 } from '../../adapters/iso20022-bank/pacs008.ts'
import { readPacs002 } from '../../adapters/iso20022-bank/pacs002.ts'
import { readAcmt024, writeAcmt023 } from '../../adapters/iso20022-bank/acmt.ts'
import { assertValidIso, namespaceOf } from '../../adapters/iso20022-bank/xsd-validation.ts'
import { Decimal } from '../../ledger/domain/money.ts'

const POLL_ATTEMPTS_MAX = 200
const POLL_INTERVAL_MS = 50
const ALICE = '255711100001'
const BOB = '255722200002'

let sw: SwitchHarness
let a: IsoBank
let b: IsoBank
let adminUrl: string

async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < POLL_ATTEMPTS_MAX && !(await check()); i++) await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS))
  assert.ok(await check(), what)
}
const position = async (name: string) => new Decimal((await admin(sw.admin, 'GET', `/participants/${name}/positions?currency=USD`)).body.value)
const committed = async (id: string) => Number((await sw.testDb.db('transfer').where({ id, state: 'COMMITTED' }).count({ n: '*' }))[0]!.n)


before(async () => {
  sw = await startSwitch('isobank')
  await setupHub(sw.admin, 'USD')
  await sw.admin.listen({ host: '127.0.0.1', port: 0 })
  adminUrl = `http://127.0.0.1:${(sw.admin.server.address() as { port: number }).port}`
  a = await startIsoBank(sw, 'isobanka', [{ idType: 'MSISDN', idValue: ALICE, name: 'Alice Payer', balance: '10000' }], { adminUrl })
  b = await startIsoBank(sw, 'isobankb', [{ idType: 'MSISDN', idValue: BOB, name: 'Bob Payee', balance: '0' }])
})
after(async () => {
  for (const bank of [a, b]) { await bank?.connector.stop(); await bank?.core.close() }
  await dropIsoDatabases()
  await sw.stop()
})
assertSwitchInvariantsAfterEach(() => sw)

test('a pacs.008 pays another ISO bank: ACSC, the payee core gets a pacs.008 with the payer bank\'s references and names, both get camt.054, books and positions agree', async () => {
  const uetr = randomUUID()
  const t = a.core.creditTransfer({ msgId: 'A-PAY-1', uetr, from: ALICE, to: BOB, amount: '100.25', toName: 'Bob as Alice wrote him' })
  const answer = await a.core.pay(a.connector.apiUrl, t)
  assert.equal(answer.status, 'ACSC', answer.info)
  const report = readDocument(answer.xml)
  assert.equal(text(report, 'OrgnlGrpInfAndSts', 'OrgnlMsgId'), 'A-PAY-1')
  assert.equal(text(report, 'TxInfAndSts', 'OrgnlEndToEndId'), t.endToEndId)
  assert.equal(text(report, 'TxInfAndSts', 'OrgnlUETR'), uetr)
  assert.equal(text(report, 'TxInfAndSts', 'OrgnlTxRef', 'IntrBkSttlmAmt'), '100.25')
  assert.equal(text(report, 'TxInfAndSts', 'OrgnlTxRef', 'Cdtr', 'Pty', 'Nm'), 'Bob Payee', 'the creditor as its bank names him')
  assert.equal(await committed(uetr), 1, 'the UETR is the FSPIOP transfer id')

  const credit = b.core.received.find((m) => m.type === 'pacs.008')!
  const delivered = readPacs008(readDocument(credit.xml))
  assert.ok(delivered.ok)
  const d = delivered.transfer
  assert.deepEqual([d.endToEndId, d.txId, d.uetr, d.amount, d.currency, d.remittance], [t.endToEndId, t.txId, uetr, '100.25', 'USD', t.remittance])
  assert.deepEqual([d.debtor, d.creditor.idValue, d.creditor.name, d.debtorAgent, d.creditorAgent], [t.debtor, BOB, 'Bob as Alice wrote him', 'isobanka', 'isobankb'])

  assert.equal(a.core.balance(ALICE), '9899.75')
  await eventually(() => b.core.balance(BOB) === '100.25', 'the payee core books the credit on its camt.054 CRDT')
  await eventually(() => a.core.received.some((m) => m.type === 'camt.054' && m.xml.includes('<CdtDbtInd>DBIT</CdtDbtInd>')), 'the payer core gets a camt.054 DBIT')
  assert.equal(a.core.pendingCount + b.core.pendingCount, 0)
  assert.ok((await position('isobanka')).equals('100.25'))
  assert.ok((await position('isobankb')).equals('-100.25'))
})

test('acmt.023 looks a party up through the switch: acmt.024 with the holder\'s name and FSP; an unknown one is not verified (AC01)', async () => {
  const ask = (idValue: string) => writeAcmt023({ msgId: `L-${idValue}`, createdAt: new Date().toISOString(), id: `V-${idValue}`, party: { idType: 'MSISDN', idValue }, assigner: 'isobanka', assignee: 'Hub' })
  const found = await postXml(a.connector.apiUrl, ask(BOB))
  assertValidIso(found, 'acmt.024')
  assert.deepEqual(readAcmt024(readDocument(found)), { verified: true, reason: undefined, name: 'Bob Payee' })
  assert.equal(text(readDocument(found), 'Rpt', 'UpdtdPtyAndAcctId', 'Agt', 'FinInstnId', 'Othr', 'Id'), 'isobankb')
  const missing = await postXml(a.connector.apiUrl, ask('255700000999'))
  assertValidIso(missing, 'acmt.024')
  assert.equal(readAcmt024(readDocument(missing)).verified, false)
  assert.equal(readAcmt024(readDocument(missing)).reason, 'AC01')
})

test('pacs.028 asks for a payment by its message id or UETR: the pacs.002 of the payment; an unknown one RJCT', async () => {
  const uetr = randomUUID()
  assert.equal((await a.core.pay(a.connector.apiUrl, a.core.creditTransfer({ msgId: 'A-PAY-2', uetr, from: ALICE, to: BOB, amount: '1' }))).status, 'ACSC')
  const ask = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="${namespaceOf('pacs.028')}"><FIToFIPmtStsReq><GrpHdr><MsgId>Q-${randomUUID().slice(0, 8)}</MsgId><CreDtTm>${new Date().toISOString()}</CreDtTm></GrpHdr>${inner}</FIToFIPmtStsReq></Document>`
  const byMsgId = await postXml(a.connector.apiUrl, ask('<OrgnlGrpInf><OrgnlMsgId>A-PAY-2</OrgnlMsgId><OrgnlMsgNmId>pacs.008.001.09</OrgnlMsgNmId></OrgnlGrpInf>'))
  assertValidIso(byMsgId, 'pacs.002')
  assert.equal(readPacs002(readDocument(byMsgId)).status, 'ACSC')
  const byUetr = await postXml(a.connector.apiUrl, ask(`<TxInf><OrgnlUETR>${uetr}</OrgnlUETR></TxInf>`))
  assert.deepEqual([readPacs002(readDocument(byUetr)).status, readPacs002(readDocument(byUetr)).uetr], ['ACSC', uetr])
  const unknown = readPacs002(readDocument(await postXml(a.connector.apiUrl, ask(`<TxInf><OrgnlUETR>${randomUUID()}</OrgnlUETR></TxInf>`))))
  assert.equal(unknown.status, 'RJCT')
})

test('camt.053: the day\'s statement of the position and settlement accounts, closing at the switch\'s values', async () => {
  const response = await fetch(`${a.connector.apiUrl}/statements/camt.053?date=${new Date().toISOString().slice(0, 10)}`)
  assert.equal(response.status, 200)
  const xml = await response.text()
  assertValidIso(xml, 'camt.053')
  const accounts = (await admin(sw.admin, 'GET', '/participants/isobanka/accounts')).body as { ledgerAccountType: string; value: number }[]
  for (const type of ['POSITION', 'SETTLEMENT']) {
    const statement = xml.split('<Stmt>').find((s) => s.includes(`<Prtry>${type}</Prtry>`))!
    const closing = /<Cd>CLBD<\/Cd><\/CdOrPrtry><\/Tp><Amt Ccy="USD">([\d.]+)<\/Amt><CdtDbtInd>(\w+)<\/CdtDbtInd>/.exec(statement)!
    const signed = new Decimal(closing[1]!).times(closing[2] === 'CRDT' ? -1 : 1)
    const value = accounts.find((x) => x.ledgerAccountType === type)!.value
    assert.ok(signed.equals(String(value)), `${type}: statement closes at ${signed}, the ledger says ${value}`)
  }
})

