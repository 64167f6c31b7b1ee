// A 100,000-beneficiary pain.001 (27 MB) is read inside the heap `npm start` gives the switch (256 MB):
// the file is walked in libxml2's memory, not turned into a JS object tree (which ran the switch out of
// heap and killed it, every payment with it).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const BENEFICIARIES = 100_000
const HEAP_MB = 256

const reader = `
import { parsePain001Submission } from './switch/disbursements/pain001-format.ts'
const now = new Date().toISOString()
const txs = []
for (let i = 0; i < ${BENEFICIARIES}; i++) txs.push('<CdtTrfTxInf><PmtId><EndToEndId>E2E-' + i + '</EndToEndId></PmtId><Amt><InstdAmt Ccy="USD">' + ((i % 50) + 1) + '.25</InstdAmt></Amt><Cdtr><Nm>Beneficiary ' + i + '</Nm></Cdtr><CdtrAcct><Id><Othr><Id>2557' + String(i).padStart(8, '0') + '</Id><SchmeNm><Prtry>MSISDN</Prtry></SchmeNm></Othr></Id></CdtrAcct></CdtTrfTxInf>')
const xml = '<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.10"><CstmrCdtTrfInitn><GrpHdr><MsgId>HEAP-1</MsgId><CreDtTm>' + now.slice(0, 19) + 'Z</CreDtTm><NbOfTxs>${BENEFICIARIES}</NbOfTxs><InitgPty><Nm>Ministry</Nm></InitgPty></GrpHdr><PmtInf><PmtInfId>PMT-1</PmtInfId><PmtMtd>TRF</PmtMtd><ReqdExctnDt><Dt>' + now.slice(0, 10) + '</Dt></ReqdExctnDt><Dbtr><Nm>Ministry</Nm></Dbtr><DbtrAcct><Id><Othr><Id>MOF-001</Id></Othr></Id></DbtrAcct><DbtrAgt><FinInstnId><Othr><Id>bank</Id></Othr></FinInstnId></DbtrAgt>' + txs.join('') + '</PmtInf></CstmrCdtTrfInitn></Document>'
txs.length = 0
const parsed = parsePain001Submission(xml)
const last = parsed.ok ? parsed.submission.beneficiaries.at(-1) : undefined
console.log(JSON.stringify({ ok: parsed.ok, count: parsed.ok ? parsed.submission.beneficiaries.length : 0, last }))
`

test(`a ${BENEFICIARIES.toLocaleString('en')}-beneficiary pain.001 is validated and read within npm start's ${HEAP_MB} MB heap`, () => {
  const run = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', '--input-type=module', '-e', reader], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 })
  assert.equal(run.status, 0, `the reader died: ${run.stderr.slice(-600)}`)
  const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!)
  assert.equal(result.ok, true)
  assert.equal(result.count, BENEFICIARIES)
  assert.equal(result.last.idValue, `2557${String(BENEFICIARIES - 1).padStart(8, '0')}`)
  assert.equal(result.last.reference, `E2E-${BENEFICIARIES - 1}`)
})
