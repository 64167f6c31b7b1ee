// How messages reach the bank core: a notification written whole to the outbox (never half a file), or
// POSTed to the core's URL; a core's reply that is not the XML expected is a refusal, not an answer.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Fastify from 'fastify'
import { createCoreLink, CoreRefused } from './core-link.ts'
import { writePacs002 } from './pacs002.ts'

const report = writePacs002({ msgId: 'R', createdAt: '2026-12-02T10:00:00Z', originalMsgId: 'M', originalMsgType: 'pacs.008.001.09', status: 'ACSC', endToEndId: 'E' })

test('notifyTo outbox: the notification is a file in the outbox under its name, and nothing else is left there', async () => {
  const outbox = path.join(mkdtempSync(path.join(tmpdir(), 'agora-core-link-')), 'outbox')
  const link = createCoreLink({ outbox, notifyTo: 'outbox' })
  await link.notify('camt.054-x-DBIT.xml', '<Document/>')
  assert.deepEqual(readdirSync(outbox), ['camt.054-x-DBIT.xml'])
  assert.equal(readFileSync(path.join(outbox, 'camt.054-x-DBIT.xml'), 'utf8'), '<Document/>')
})

test('notifyTo core: POSTed as application/xml; a reply that is not the expected message is refused', async () => {
  const received: { type: string | undefined; body: string }[] = []
  const app = Fastify()
  app.addContentTypeParser('application/xml', { parseAs: 'string' }, (_r, body, done) => done(null, body))
  app.post('/good', async (request, reply) => { received.push({ type: request.headers['content-type'], body: request.body as string }); return reply.type('application/xml').send(report) })
  app.post('/bad', async (_request, reply) => reply.type('application/xml').send('<Document xmlns="urn:other"/>'))
  await app.listen({ host: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  try {
    await createCoreLink({ coreUrl: `${base}/good`, notifyTo: 'core' }).notify('n.xml', '<Document/>')
    assert.deepEqual(received, [{ type: 'application/xml', body: '<Document/>' }])
    assert.equal(await createCoreLink({ coreUrl: `${base}/good`, notifyTo: 'core' }).ask('<Document/>', 'pacs.002'), report)
    await assert.rejects(createCoreLink({ coreUrl: `${base}/bad`, notifyTo: 'core' }).ask('<Document/>', 'pacs.002'), CoreRefused)
  } finally {
    await app.close()
  }
})
