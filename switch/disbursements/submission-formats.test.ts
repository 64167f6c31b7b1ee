import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseCsvSubmission } from './csv-format.ts'
import { parseGsmaSubmission } from './gsma-format.ts'
import { parsePain001Submission } from './pain001-format.ts'
import { BENEFICIARIES_MAX, contentHash, type Parsed } from './submission.ts'
import { pain001Sample } from './examples/pain001-sample.ts'

const HEADER = 'id_type,id_value,amount,currency,name,reference'
const refusal = (p: Parsed) => (p.ok ? assert.fail('expected a refusal') : p.refusal)
const accepted = (p: Parsed) => (p.ok ? p.submission : assert.fail(`refused: ${p.refusal.message}`))

test('pain.001: a valid file gives its MsgId as the disbursement id and one beneficiary per CdtTrfTxInf, amounts without trailing zeros', () => {
  const s = accepted(parsePain001Submission(pain001Sample({ n: 3 })))
  assert.equal(s.disbursementId, 'MOF-2026-12-0001')
  assert.equal(s.currency, 'USD')
  assert.deepEqual(s.beneficiaries[1], { idType: 'MSISDN', idValue: '255700000001', amount: '25.5', name: 'Beneficiary 1', reference: 'E2E-1' })
})

test('pain.001: a file that breaks the XSD is refused as a schema problem, naming the element', () => {
  const broken = pain001Sample().replace('<PmtMtd>TRF</PmtMtd>', '<PmtMtd>XXX</PmtMtd>')
  const r = refusal(parsePain001Submission(broken))
  assert.equal(r.kind, 'schema')
  assert.match(r.message, /PmtMtd/)
})

test('pain.001: not XML, another message, or NbOfTxs that does not match the transactions are refused', () => {
  assert.equal(refusal(parsePain001Submission('<Document')).kind, 'malformed')
  assert.equal(refusal(parsePain001Submission('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.09"/>')).kind, 'malformed')
  assert.match(refusal(parsePain001Submission(pain001Sample({ n: 2, nbOfTxs: '3' }))).message, /NbOfTxs/)
})

test('pain.001: an unknown currency refuses the whole file', () => {
  assert.equal(refusal(parsePain001Submission(pain001Sample({ currency: 'XYZ' }))).kind, 'currency')
})

test('CSV: a header row is required and rows become beneficiaries in order', () => {
  const s = accepted(parseCsvSubmission(`${HEADER}\nMSISDN,2551,10,USD,Ann,"ref, 1"\nMSISDN,2552,20.50,USD,Bob,r2\n`, 'batch-1'))
  assert.equal(s.disbursementId, 'batch-1')
  assert.deepEqual(s.beneficiaries.map((b) => [b.idValue, b.amount, b.reference]), [['2551', '10', 'ref, 1'], ['2552', '20.5', 'r2']])
  assert.equal(refusal(parseCsvSubmission('MSISDN,2551,10,USD,Ann,r1\n', 'batch-1')).kind, 'malformed')
})

test('CSV: bad amount rows refuse the whole file and the refusal names every bad row', () => {
  const r = refusal(parseCsvSubmission(`${HEADER}\nMSISDN,2551,10,USD,A,r\nMSISDN,2552,-5,USD,B,r\nMSISDN,2553,1.23456,USD,C,r\nMSISDN,2554,abc,USD,D,r\n`, 'b'))
  assert.equal(r.kind, 'amount')
  assert.deepEqual(r.rows, [2, 3, 4])
  assert.match(r.message, /row 2: .*row 3: .*row 4: /)
})

test('CSV: a row in another currency, an unknown id type, a wrong field count and an empty file are refused', () => {
  assert.equal(refusal(parseCsvSubmission(`${HEADER}\nMSISDN,1,10,USD,A,r\nMSISDN,2,10,EUR,B,r\n`, 'b')).kind, 'currency')
  assert.equal(refusal(parseCsvSubmission(`${HEADER}\nPHONE,1,10,USD,A,r\n`, 'b')).kind, 'party')
  assert.deepEqual(refusal(parseCsvSubmission(`${HEADER}\nMSISDN,1,10,USD\n`, 'b')).rows, [1])
  assert.equal(refusal(parseCsvSubmission(`${HEADER}\n`, 'b')).kind, 'empty')
})

test(`more than ${BENEFICIARIES_MAX} beneficiaries are refused`, () => {
  const rows = Array.from({ length: BENEFICIARIES_MAX + 1 }, (_, i) => `MSISDN,${i},1,USD,,`).join('\n')
  assert.equal(refusal(parseCsvSubmission(`${HEADER}\n${rows}\n`, 'big')).kind, 'too-many')
})

test('GSMA: a batch body gives one beneficiary per transaction, the party from creditParty', () => {
  const body = JSON.stringify({ batchTitle: 'December grants', batchDescription: 'G2P', transactions: [
    { amount: '15.00', currency: 'USD', type: 'disbursement', creditParty: [{ key: 'msisdn', value: '+255123' }], requestingOrganisationTransactionReference: 'g-1' },
    { amount: '7', currency: 'USD', type: 'disbursement', creditParty: [{ key: 'walletid', value: 'w-9' }], requestingOrganisationTransactionReference: 'g-2' },
  ] })
  const s = accepted(parseGsmaSubmission(body, 'gsma-1'))
  assert.equal(s.meta.batchTitle, 'December grants')
  assert.deepEqual(s.beneficiaries.map((b) => [b.idType, b.idValue, b.amount, b.reference]), [['MSISDN', '+255123', '15', 'g-1'], ['ALIAS', 'w-9', '7', 'g-2']])
})

test('GSMA: malformed JSON, a transaction without a usable creditParty and an amount as a number are refused', () => {
  assert.equal(refusal(parseGsmaSubmission('{"transactions": [', 'g')).kind, 'malformed')
  const noParty = JSON.stringify({ transactions: [{ amount: '1', currency: 'USD', creditParty: [{ key: 'shoe', value: '1' }] }] })
  assert.deepEqual(refusal(parseGsmaSubmission(noParty, 'g')).rows, [1])
  const numeric = JSON.stringify({ transactions: [{ amount: 1, currency: 'USD', creditParty: [{ key: 'msisdn', value: '1' }] }] })
  assert.equal(refusal(parseGsmaSubmission(numeric, 'g')).kind, 'malformed')
})

test('the content hash is the same for the same file and differs when one amount changes', () => {
  const a = accepted(parseCsvSubmission(`${HEADER}\nMSISDN,1,10,USD,A,r\n`, 'h'))
  const b = accepted(parseCsvSubmission(`${HEADER}\nMSISDN,1,10.0,USD,A,r\n`, 'h'))
  const c = accepted(parseCsvSubmission(`${HEADER}\nMSISDN,1,11,USD,A,r\n`, 'h'))
  assert.equal(contentHash(a), contentHash(b))
  assert.notEqual(contentHash(a), contentHash(c))
})
