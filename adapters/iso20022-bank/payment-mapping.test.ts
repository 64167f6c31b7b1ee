// Property tests: a bank's credit transfer → the FSPIOP payment → what the payee's bank is sent and what
// the payer's bank is answered keeps the amount (exactly), the currency, the parties and the references.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { Decimal } from '../../ledger/domain/money.ts'
import { currencyScale } from '../../ledger/domain/currencies.ts'
import type { PaymentRow } from '../connector-core/payment-store.ts'
import { fspiopAmountOf, isoAmountOf } from './iso-amount.ts'
import { readDocument } from './iso-xml.ts'
import { readPacs008, writePacs008, type CreditTransfer } from './pacs008.ts'
import { readPacs002, writePacs002 } from './pacs002.ts'
import { creditTransferOf, paymentRequestOf, refsOfExtensions, reportOfPayment } from './payment-mapping.ts'
import { assertValidIso } from './xsd-validation.ts'

const CURRENCIES = ['USD', 'EUR', 'JPY', 'KWD', 'TZS']
const id35 = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 /.-]{0,34}$/).filter((s) => s.trim() === s)
const name = fc.stringMatching(/^[A-Za-zÀ-ÿ&'<>.,-][A-Za-zÀ-ÿ &'<>.,-]{0,60}$/).map((s) => s.trim()).filter((s) => s.length > 0)
const party = fc.record({ name, idType: fc.constantFrom('MSISDN', 'ACCOUNT_ID', 'EMAIL'), idValue: fc.stringMatching(/^[0-9a-z@.]{1,34}$/) })
const money = fc.constantFrom(...CURRENCIES).chain((currency) => {
  const scale = currencyScale(currency)!
  // An amount of at most the currency's decimals, written with trailing zeros or not (as banks do).
  return fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 15n }), fc.integer({ min: 0, max: scale }), fc.integer({ min: 0, max: scale })).map(([units, decimals, written]) => {
    const value = new Decimal(units.toString()).dividedBy(new Decimal(10).pow(decimals))
    return { currency, amount: value.toFixed(Math.max(value.decimalPlaces(), written)) }
  })
})
const creditTransfer = fc.record({
  msgId: id35, endToEndId: id35, txId: id35, instrId: id35, uetr: fc.uuid({ version: 4 }), money, debtor: party, creditor: party,
  remittance: fc.stringMatching(/^[A-Za-z0-9 ]{1,100}$/).map((s) => s.trim()).filter((s) => s.length > 0),
}).map(({ money: m, ...t }): CreditTransfer => ({ ...t, ...m, createdAt: '2026-12-02T10:00:00.000Z', debtorAgent: 'banka', creditorAgent: 'bankb' }))

test('ISO amount → FSPIOP → ISO: the same value, exactly, written with the currency\'s decimals', () => {
  fc.assert(fc.property(money, ({ amount, currency }) => {
    const fspiop = fspiopAmountOf(amount, currency)
    assert.ok(fspiop.ok)
    assert.ok(new Decimal(fspiop.amount).equals(amount))
    const back = isoAmountOf(fspiop.amount, currency)
    assert.ok(new Decimal(back).equals(amount))
    assert.equal(back.split('.')[1]?.length ?? 0, currencyScale(currency))
  }))
})

test('pacs.008 → FSPIOP payment → pacs.008 for the payee bank and pacs.002 for the payer bank: amount, currency, parties and references kept', () => {
  fc.assert(fc.property(creditTransfer, (t) => {
    const read = readPacs008(readDocument(writePacs008(t)))
    assert.ok(read.ok)
    const amount = fspiopAmountOf(read.transfer.amount, read.transfer.currency)
    assert.ok(amount.ok)
    const request = paymentRequestOf('banka', read.transfer, amount.amount)
    assert.equal(request.transferId, t.uetr)
    // What the switch carries to the payee: the quote's extensions and the ILP transaction.
    const transaction = {
      quoteId: 'q', transactionId: request.transactionId!, transactionType: {}, expiration: '2026-12-02T10:01:00Z', amount: { amount: request.amount, currency: request.currency },
      payee: { partyIdInfo: { partyIdType: request.to.idType, partyIdentifier: request.to.idValue, fspId: 'bankb' } },
      payer: { partyIdInfo: { partyIdType: request.from.idType, partyIdentifier: request.from.idValue, fspId: 'banka' }, name: request.from.displayName },
    }
    const delivered = creditTransferOf({ transferId: request.transferId!, transaction, amount: transaction.amount, payerFsp: 'banka', fspId: 'bankb', refs: refsOfExtensions(request.extensions), now: '2026-12-02T10:00:01.000Z' })
    const xml = writePacs008(delivered)
    assertValidIso(xml, 'pacs.008')
    const payee = readPacs008(readDocument(xml))
    assert.ok(payee.ok)
    const p = payee.transfer
    assert.ok(new Decimal(p.amount).equals(t.amount))
    assert.deepEqual([p.currency, p.endToEndId, p.txId, p.instrId, p.uetr, p.remittance], [t.currency, t.endToEndId, t.txId, t.instrId, t.uetr, t.remittance])
    assert.deepEqual([p.debtor, p.creditor], [{ ...t.debtor }, { ...t.creditor }])

    const payment = { transferId: request.transferId!, homeTransactionId: t.endToEndId, state: 'COMPLETED', request, payeeFsp: 'bankb', party: { name: t.creditor.name }, completedTimestamp: '2026-12-02T10:00:02.000Z' } as PaymentRow
    const report = writePacs002(reportOfPayment(payment, 'R1', '2026-12-02T10:00:02.000Z'))
    assertValidIso(report, 'pacs.002')
    const answered = readDocument(report)
    assert.deepEqual(readPacs002(answered), { originalMsgId: t.msgId, status: 'ACSC', reason: undefined, info: undefined, uetr: t.uetr })
  }), { numRuns: 150 })
})
