import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import { limitParticipantRates } from './rate-limit.ts'

async function appWithLimit(rate: { perParticipant_per_s: number; burst: number }) {
  let now = 0
  const app = Fastify()
  limitParticipantRates(app, rate, () => now)
  app.get('/health', async () => ({ status: 'OK' }))
  app.get('/parties/:Type/:ID', async (_request, reply) => reply.code(202).send())
  await app.ready()
  const get = async (url: string, source?: string) => (await app.inject({ method: 'GET', url, headers: source ? { 'fspiop-source': source } : {} }))
  return { app, get, advance: (ms: number) => { now += ms } }
}

test('over its burst a participant is answered 429, FSPIOP 2005, with the seconds until its next token in Retry-After', async () => {
  const { app, get } = await appWithLimit({ perParticipant_per_s: 0.5, burst: 2 })
  assert.deepEqual([(await get('/parties/MSISDN/1', 'dfsp1')).statusCode, (await get('/parties/MSISDN/1', 'dfsp1')).statusCode], [202, 202])
  const refused = await get('/parties/MSISDN/1', 'dfsp1')
  assert.equal(refused.statusCode, 429)
  assert.equal(refused.headers['retry-after'], '2')
  assert.equal(refused.json().errorInformation.errorCode, '2005')
  await app.close()
})

test('a refused participant gets through again once tokens have come back', async () => {
  const { app, get, advance } = await appWithLimit({ perParticipant_per_s: 10, burst: 1 })
  assert.equal((await get('/parties/MSISDN/1', 'dfsp1')).statusCode, 202)
  assert.equal((await get('/parties/MSISDN/1', 'dfsp1')).statusCode, 429)
  advance(100)
  assert.equal((await get('/parties/MSISDN/1', 'dfsp1')).statusCode, 202)
  await app.close()
})

test('/health is never limited, and requests without FSPIOP-Source share one bucket of their own', async () => {
  const { app, get } = await appWithLimit({ perParticipant_per_s: 1, burst: 1 })
  for (let i = 0; i < 20; i++) assert.equal((await get('/health')).statusCode, 200)
  assert.equal((await get('/parties/MSISDN/1')).statusCode, 202)
  assert.equal((await get('/parties/MSISDN/1')).statusCode, 429)
  assert.equal((await get('/parties/MSISDN/1', 'dfsp1')).statusCode, 202)
  await app.close()
})

test('a rate of 0 adds no limit at all', async () => {
  const { app, get } = await appWithLimit({ perParticipant_per_s: 0, burst: 0 })
  for (let i = 0; i < 50; i++) assert.equal((await get('/parties/MSISDN/1', 'dfsp1')).statusCode, 202)
  await app.close()
})
