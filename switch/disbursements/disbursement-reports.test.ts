import { test } from 'node:test'
import assert from 'node:assert/strict'
import { XMLParser } from 'fast-xml-parser'
import { reportAnswer } from './disbursement-reports.ts'
import { refusalAnswer } from './refusals.ts'
import type { DisbursementRow, ItemRow } from './disbursement-store.ts'

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, isArray: (n) => n === 'TxInfAndSts' || n === 'OrgnlPmtInfAndSts' })
const NOW = new Date('2026-12-03T08:00:00Z')

const row = (format: DisbursementRow['format'], meta: Record<string, string> = {}): DisbursementRow => ({
  id: 'MOF-1', payerFsp: 'govbank', format, currency: 'USD', contentHash: 'h', state: 'COMPLETED', total: 3, totalAmount: '60', meta, createdAt: NOW, completedAt: NOW,
})
const item = (itemNo: number, state: ItemRow['state'], errorCode: string | null = null): ItemRow => ({
  itemNo, idType: 'MSISDN', idValue: `255${itemNo}`, amount: '20', name: `B${itemNo}`, reference: `E2E-${itemNo}`, state, payeeFsp: state === 'UNRESOLVED' ? null : 'mmp', errorCode, errorDescription: errorCode ? 'why' : null,
})
const ITEMS = [item(0, 'PAID'), item(1, 'FAILED', '4200'), item(2, 'UNRESOLVED', '3204')]

test('pain.002 report: ACCC for a paid beneficiary, RJCT with an ISO reason for a failed or unresolved one, group PART', () => {
  const answer = reportAnswer(row('pain.001', { paymentInfos: JSON.stringify([['PMT-1', 3]]) }), ITEMS, NOW)
  assert.match(answer.contentType, /application\/xml/)
  const report = parser.parse(answer.body).Document.CstmrPmtStsRpt
  assert.equal(report.OrgnlGrpInfAndSts.OrgnlMsgId, 'MOF-1')
  assert.equal(report.OrgnlGrpInfAndSts.GrpSts, 'PART')
  assert.equal(report.OrgnlGrpInfAndSts.OrgnlCtrlSum, '60')
  const txs = report.OrgnlPmtInfAndSts[0].TxInfAndSts
  assert.deepEqual(txs.map((t: { OrgnlEndToEndId: string; TxSts: string }) => [t.OrgnlEndToEndId, t.TxSts]), [['E2E-0', 'ACCC'], ['E2E-1', 'RJCT'], ['E2E-2', 'RJCT']])
  assert.equal(txs[1].StsRsnInf.Rsn.Cd, 'AM04')
  assert.equal(txs[2].StsRsnInf.Rsn.Cd, 'BE06')
})

test('CSV report: the submitted columns plus status and reason, one line per beneficiary in order', () => {
  const lines = reportAnswer(row('csv'), ITEMS, NOW).body.trim().split('\n')
  assert.equal(lines[0], 'id_type,id_value,amount,currency,name,reference,status,payee_fsp,error_code,error_description')
  assert.deepEqual(lines.slice(1).map((l) => l.split(',')[6]), ['PAID', 'FAILED', 'UNRESOLVED'])
  assert.equal(lines[2]!.split(',')[8], '4200')
})

test('GSMA report: completions for the paid, rejections with a GSMA error for the others', () => {
  const report = JSON.parse(reportAnswer(row('gsma'), ITEMS, NOW).body)
  assert.equal(report.batchStatus, 'completed')
  assert.deepEqual(report.completions.map((c: { requestingOrganisationTransactionReference: string }) => c.requestingOrganisationTransactionReference), ['E2E-0'])
  assert.deepEqual(report.rejections.map((r: { errorCategory: string; errorCode: string }) => `${r.errorCategory}/${r.errorCode}`), ['businessRule/insufficientFunds', 'identification/identifierError'])
  assert.deepEqual(report.rejections[1].creditParty, [{ key: 'msisdn', value: '2552' }])
})

test("a refusal is answered in the caller's format: pain.002 RJCT with a reason code, plain text naming rows, GSMA error object", () => {
  const refusal = { kind: 'amount' as const, message: '1 bad row(s), nothing was accepted: row 3: bad amount', rows: [3] }
  const iso = refusalAnswer('pain.001', refusal, { originalMsgId: 'MOF-9', now: NOW })
  const group = parser.parse(iso.body).Document.CstmrPmtStsRpt.OrgnlGrpInfAndSts
  assert.deepEqual([iso.status, group.OrgnlMsgId, group.GrpSts, group.StsRsnInf.Rsn.Cd], [400, 'MOF-9', 'RJCT', 'AM12'])
  const csv = refusalAnswer('csv', refusal)
  assert.match(csv.body, /row 3/)
  const gsma = JSON.parse(refusalAnswer('gsma', { kind: 'conflict', message: 'exists' }).body)
  assert.deepEqual([gsma.errorCategory, gsma.errorCode], ['businessRule', 'duplicateRequest'])
  assert.equal(refusalAnswer('gsma', { kind: 'conflict', message: 'exists' }).status, 409)
})
