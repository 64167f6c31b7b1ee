// The GSMA batch services (Bulk Disbursement): POST /batchtransactions (202, a pending request state, the
// Batch Transaction object by callback), GET /batchtransactions/{batchId}, its completions and rejections
// (arrays, with X-Records-Available-Count). Approving or updating a batch (PATCH) is not offered: the switch
// pays a batch as soon as it has resolved it.
import type { FastifyInstance } from 'fastify'
import { BATCH_BODY_BYTES_MAX } from './gsma-batch-requests.ts'
import type { GsmaBatches } from './gsma-batches.ts'

export function registerBatchRoutes(app: FastifyInstance, late: { batches?: GsmaBatches }): void {
  const batches = () => late.batches!
  app.post('/batchtransactions', { bodyLimit: BATCH_BODY_BYTES_MAX }, async (request, reply) => reply.code(202).send(await batches().start(request.headers, request.body)))
  app.get<{ Params: { id: string } }>('/batchtransactions/:id', async (request, reply) => reply.code(200).send(await batches().view(request.params.id)))
  for (const part of ['completions', 'rejections'] as const) {
    app.get<{ Params: { id: string } }>(`/batchtransactions/:id/${part}`, async (request, reply) => {
      const records = await batches().reportPart(request.params.id, part)
      return reply.code(200).header('x-records-available-count', String(records.length)).send(records)
    })
  }
}
