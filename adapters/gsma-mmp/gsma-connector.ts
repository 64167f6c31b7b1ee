// A GSMA Mobile Money API connector: the connector core (FSPIOP, its database, recovery) with the MMP's own
// GSMA API as its payee backend, and the GSMA API for the MMP platform's payments out. Its tables are
// migrated before the core starts; at start it resumes requests whose payment never started, and its sweep
// delivers every callback still owed.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { startConnector, type Connector } from '../connector-core/connector.ts'
import { Waiters } from '../connector-core/waiters.ts'
import { createCallbackDelivery } from './callback-delivery.ts'
import { createDisbursementClient } from './disbursement-client.ts'
import { createBatchStore } from './gsma-batch-store.ts'
import { createGsmaBatches } from './gsma-batches.ts'
import type { GsmaConnectorConfig } from './gsma-config.ts'
import { openGsmaDb } from './gsma-db.ts'
import { createGsmaPayments } from './gsma-payments.ts'
import { registerGsmaRoutes, type GsmaRouteDeps } from './gsma-routes.ts'
import { createCreditStore, createRequestStore } from './gsma-store.ts'
import { createMmpBackend } from './mmp-backend.ts'

export const API_BODY_BYTES_MAX = 65_536

export interface GsmaConnector {
  connector: Connector
  /** Where the MMP platform calls the GSMA API. */
  apiUrl: string
  stop(): Promise<void>
}

export async function startGsmaConnector(config: GsmaConnectorConfig, logger: Logger): Promise<GsmaConnector> {
  const log = logger.child({ fspId: config.connector.fspId, part: 'gsma' })
  const gsmaDb = await openGsmaDb(config.connector.db)
  const api: FastifyInstance = Fastify({
    loggerInstance: log.child({}, { level: 'warn' }) as FastifyBaseLogger, bodyLimit: API_BODY_BYTES_MAX, forceCloseConnections: true,
  })
  const late: Partial<GsmaRouteDeps> = {}
  let onCallback: (id: string, body: unknown) => Promise<void> = async () => {}
  // Callbacks from the MMP for credits are taken before the core starts: its recovery may wait for one.
  api.put<{ Params: { id: string } }>('/callbacks/credits/:id', async (request, reply) => {
    await onCallback(request.params.id, request.body)
    return reply.code(204).send()
  })
  api.put('/callbacks/reversals/:id', async (_request, reply) => reply.code(204).send())
  registerGsmaRoutes(api, late)
  try {
    await api.listen({ host: config.api.host, port: config.api.port })
  } catch (error) {
    await gsmaDb.destroy()
    throw error
  }
  const apiUrl = `http://${config.api.host}:${(api.server.address() as { port: number }).port}`
  const creditWaiters = new Waiters()
  const backend = createMmpBackend({ ...config.mmp, callbackBase: (config.publicUrl ?? apiUrl).replace(/\/$/, '') }, { credits: createCreditStore(gsmaDb), waiters: creditWaiters, logger: log })
  onCallback = backend.onCallback
  let connector: Connector
  try {
    connector = await startConnector(config.connector, backend, logger)
  } catch (error) {
    await api.close()
    await gsmaDb.destroy()
    throw error
  }
  const requests = createRequestStore(gsmaDb)
  const callbacks = createCallbackDelivery({ requests, payer: connector.payer, logger: log })
  const payments = createGsmaPayments({ connector, requests, callbacks, logger: log })
  const batches = createGsmaBatches({
    batches: createBatchStore(gsmaDb), disbursements: createDisbursementClient({ switchUrl: config.connector.switchUrl, fspId: config.connector.fspId, jwsPrivateKeyPem: config.connector.jws?.privateKeyPem }), logger: log,
  })
  Object.assign(late, { connector, payments, requests, batches })
  const resumed = await payments.resume()
  if (resumed > 0) log.info({ resumed }, 'gsma: started requests recorded before the last stop')
  return {
    connector, apiUrl,
    async stop() {
      callbacks.stop()
      batches.stop()
      creditWaiters.stopAll()
      await connector.stop()
      await api.close()
      await gsmaDb.destroy()
    },
  }
}
