// The FSPIOP ⇄ ISO reason tables: every FSPIOP error code has an ISO reason from the code list, and every
// ISO reason this connector understands has an FSPIOP code; the reasons the brief names map as named.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ERRORS, isFspiopErrorCode } from '../../switch/fspiop/errors.ts'
import { ALL_FSPIOP_CODES, fspiopCodeOf, ISO_REASONS, isIsoReason, isoReasonOf } from './reason-codes.ts'
import { writePacs002 } from './pacs002.ts'
import { assertValidIso } from './xsd-validation.ts'

test('every FSPIOP error code maps to an ISO 20022 ExternalStatusReason1Code this connector knows, valid in a pacs.002', () => {
  assert.equal(ALL_FSPIOP_CODES.length, Object.keys(ERRORS).length)
  for (const code of ALL_FSPIOP_CODES) {
    const reason = isoReasonOf(code)
    assert.ok(isIsoReason(reason), `${code} → ${reason}`)
    assertValidIso(writePacs002({ msgId: 'R', createdAt: '2026-12-02T10:00:00Z', originalMsgId: 'M', originalMsgType: 'pacs.008.001.09', status: 'RJCT', reason, info: ERRORS[code], endToEndId: 'E' }), 'pacs.002')
  }
})

test('every ISO reason this connector knows maps back to an FSPIOP error code; an unknown reason is the payee\'s rejection (5104)', () => {
  for (const reason of Object.keys(ISO_REASONS)) assert.ok(isFspiopErrorCode(fspiopCodeOf(reason)), reason)
  assert.equal(fspiopCodeOf('ZZ99'), '5104')
  assert.equal(fspiopCodeOf(undefined), '5104')
})

test('the named mappings: AM04 for liquidity and limits, AB05 for expiry, AC01/AC04 for unknown and closed parties, FF01 for validation', () => {
  assert.deepEqual(['4001', '4200', '3303', '3300', '3204', '3200', '5107', '3100', '3101'].map(isoReasonOf), ['AM04', 'AM04', 'AB05', 'AB05', 'AC01', 'AC01', 'AC04', 'FF01', 'FF01'])
  assert.deepEqual(['AC01', 'AC04', 'AB05', 'AM12', 'FF01'].map((r) => fspiopCodeOf(r)), ['3204', '5107', '3303', '3100', '3100'])
  assert.equal(isoReasonOf('9999'), 'MS03', 'a code outside the specification')
})

test('an FSPIOP code and back lands in the same family (payer, payee, expiry, unknown id, validation) where the ISO list can say it', () => {
  for (const code of ALL_FSPIOP_CODES.filter((c) => /^(3[0-3]|4|5)/.test(c))) {
    const back = fspiopCodeOf(isoReasonOf(code))
    if (code.startsWith('33')) assert.equal(back.slice(0, 2), '33', code)
    if (code === '3204' || code === '5107') assert.equal(back, code)
  }
})
