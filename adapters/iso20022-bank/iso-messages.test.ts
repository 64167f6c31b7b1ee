// Every message this connector writes is valid against its official XSD, and what it reads back from a
// message is what was written.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { assertValidIso, validateIso } from './xsd-validation.ts'
import { readDocument } from './iso-xml.ts'
import { readPacs008, writePacs008, type CreditTransfer } from './pacs008.ts'
import { readPacs002, writePacs002 } from './pacs002.ts'
import { readAcmt023, readAcmt024, writeAcmt023, writeAcmt024 } from './acmt.ts'
import { writeCamt053, writeCamt054 } from './camt.ts'

const now = '2026-12-02T10:00:00.000Z'
const transfer: CreditTransfer = {
  msgId: 'MSG-1', createdAt: now, instrId: 'INSTR-1', endToEndId: 'E2E-1', txId: 'TX-1', uetr: randomUUID(), amount: '100.50', currency: 'USD', settlementDate: '2026-12-02',
  debtor: { name: 'Ada Payer', idType: 'MSISDN', idValue: '255711000001' }, creditor: { name: 'Bob & Co <Payee>', idType: 'IBAN', idValue: 'DE89370400440532013000' },
  debtorAgent: 'isobanka', creditorAgent: 'isobankb', remittance: 'invoice 42',
}

test('a pacs.008 written for a bank core is XSD-valid and reads back as written (amount text, parties, references)', () => {
  const xml = writePacs008(transfer)
  assertValidIso(xml, 'pacs.008')
  const read = readPacs008(readDocument(xml))
  assert.ok(read.ok)
  assert.deepEqual(read.transfer, { ...transfer, deadline: undefined })
})

test('a pacs.008 with SttlmTmReq/TillTm has a deadline on its settlement date', () => {
  const xml = writePacs008(transfer).replace('<ChrgBr>', '<SttlmTmReq><TillTm>09:30:00Z</TillTm></SttlmTmReq><ChrgBr>')
  assertValidIso(xml, 'pacs.008')
  const read = readPacs008(readDocument(xml))
  assert.ok(read.ok)
  assert.equal(read.transfer.deadline, '2026-12-02T09:30:00.000Z')
})

test('pacs.002 reports, transaction level and group level, are XSD-valid and read back', () => {
  const tx = writePacs002({
    msgId: 'R-1', createdAt: now, originalMsgId: 'MSG-1', originalMsgType: 'pacs.008.001.09', status: 'RJCT', reason: 'AM04', info: 'x'.repeat(300),
    endToEndId: 'E2E-1', txId: 'TX-1', uetr: transfer.uetr, amount: { amount: '100.50', currency: 'USD' }, debtor: transfer.debtor, creditor: transfer.creditor,
  })
  assertValidIso(tx, 'pacs.002')
  assert.deepEqual(readPacs002(readDocument(tx)), { originalMsgId: 'MSG-1', status: 'RJCT', reason: 'AM04', info: 'x'.repeat(105), uetr: transfer.uetr })
  const group = writePacs002({ msgId: 'R-2', createdAt: now, originalMsgId: 'NOTPROVIDED', originalMsgType: 'unknown', status: 'RJCT', reason: 'FF01', info: 'bad' })
  assertValidIso(group, 'pacs.002')
  assert.deepEqual(readPacs002(readDocument(group)), { originalMsgId: 'NOTPROVIDED', status: 'RJCT', reason: 'FF01', info: 'bad', uetr: undefined })
})

test('acmt.023 and acmt.024 (found and not found) are XSD-valid and read back', () => {
  const request = writeAcmt023({ msgId: 'A-1', createdAt: now, id: 'V-1', party: transfer.debtor, assigner: 'isobanka', assignee: 'Hub' })
  assertValidIso(request, 'acmt.023')
  assert.deepEqual(readAcmt023(readDocument(request)), { msgId: 'A-1', createdAt: now, id: 'V-1', party: { ...transfer.debtor, name: undefined }, assigner: 'isobanka' })
  const found = writeAcmt024({ msgId: 'A-2', createdAt: now, originalMsgId: 'A-1', originalId: 'V-1', assigner: 'Hub', assignee: 'isobanka', asked: transfer.creditor, found: { party: transfer.creditor, fspId: 'isobankb' } })
  assertValidIso(found, 'acmt.024')
  assert.deepEqual(readAcmt024(readDocument(found)), { verified: true, reason: undefined, name: 'Bob & Co <Payee>' })
  const missing = writeAcmt024({ msgId: 'A-3', createdAt: now, originalMsgId: 'A-1', originalId: 'V-1', assigner: 'Hub', assignee: 'isobanka', asked: transfer.creditor, reason: 'AC01' })
  assertValidIso(missing, 'acmt.024')
  assert.deepEqual(readAcmt024(readDocument(missing)), { verified: false, reason: 'AC01', name: undefined })
})

test('camt.054 and camt.053 are XSD-valid', () => {
  assertValidIso(writeCamt054({
    msgId: 'N-1', createdAt: now, account: transfer.creditor,
    entry: { direction: 'CRDT', amount: '100.5', currency: 'USD', bookedAt: now, msgId: 'MSG-1', endToEndId: 'E2E-1', txId: 'TX-1', uetr: transfer.uetr, debtor: transfer.debtor, creditor: transfer.creditor, debtorAgent: 'isobanka', creditorAgent: 'isobankb', remittance: 'invoice 42' },
  }), 'camt.054')
  assertValidIso(writeCamt053({
    msgId: 'S-1', createdAt: now, fspId: 'isobanka', from: '2026-12-02T00:00:00.000Z', to: '2026-12-03T00:00:00.000Z',
    accounts: [
      { type: 'POSITION', currency: 'USD', opening: '0', closing: '100.5', lines: [{ time: now, kind: 'TRANSFER_COMMIT', reference: randomUUID(), amount: '100.5' }] },
      { type: 'SETTLEMENT', currency: 'USD', opening: '-1000', closing: '-1000', lines: [] },
    ],
  }), 'camt.053')
})

test('validation tells malformed XML, an unknown namespace and a schema error apart', () => {
  assert.equal(validateIso('<Document').ok, false)
  const wrongNs = validateIso(writePacs008(transfer).replace('pacs.008.001.09', 'pacs.008.001.08'))
  assert.deepEqual(wrongNs.ok ? undefined : wrongNs.problem, 'namespace')
  const invalid = validateIso(writePacs008(transfer).replace('<ChrgBr>SLEV</ChrgBr>', ''))
  assert.equal(invalid.ok ? undefined : invalid.problem, 'schema')
  assert.match(invalid.ok ? '' : invalid.message, /Element 'Dbtr': This element is not expected/)
})
