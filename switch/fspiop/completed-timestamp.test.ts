import { test } from 'node:test'
import assert from 'node:assert/strict'
import { checkCompletedTimestamp } from './completed-timestamp.ts'
import type { FspiopError } from '../fspiop/errors.ts'

const limits = { ahead_ms_max: 200, behind_s_max: 300 }
const now = Date.parse('2026-01-01T12:00:00.000Z')
const description = (value: string) => {
  try {
    checkCompletedTimestamp(value, limits, now)
    return undefined
  } catch (error) {
    return (error as FspiopError).toBody().errorInformation
  }
}

test('a completedTimestamp within ml-api-adapter\'s tolerance (200 ms ahead, 300 s behind) is accepted', () => {
  for (const value of ['2026-01-01T12:00:00.200Z', '2026-01-01T11:55:00.000Z', '2026-01-01T12:00:00.000Z']) assert.equal(description(value), undefined, value)
})

test('a completedTimestamp in the future is refused with 3100, in ml-api-adapter\'s words', () => {
  assert.deepEqual(description('2026-01-01T12:00:00.201Z'), { errorCode: '3100', errorDescription: 'Generic validation error - completedTimestamp fails because future timestamp was provided' })
})

test('a completedTimestamp older than the fulfil timeout is refused with 3100', () => {
  assert.deepEqual(description('2026-01-01T11:54:59.999Z'), { errorCode: '3100', errorDescription: 'Generic validation error - completedTimestamp fails because provided timestamp exceeded the maximum timeout duration' })
})
