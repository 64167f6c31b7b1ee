// A connector for a core that can make one HTTP call: the connector core (FSPIOP, its database,
// recovery) with the core's backend API as its payee backend, and the synchronous API for the core.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { startConnector, type Connector } from '../connector-core/connector.ts'
import { createBackendClient } from './backend-client.ts'
import { registerSyncRoutes } from './sync-routes.ts'
import type { SyncConnectorConfig } from './sync-config.ts'

export const API_BODY_BYTES_MAX = 65_536

export interface SyncConnector {
  connector: Connector
  /** Where the core calls: POST /payments, … */
  apiUrl: string
  stop(): Promise<void>
}

export async function startSyncConnector(config: SyncConnectorConfig, logger: Logger): Promise<SyncConnector> {
  const connector = await startConnector(config.connector, createBackendClient(config.backendUrl), logger)
  const api: FastifyInstance = Fastify({ loggerInstance: logger.child({ fspId: config.connector.fspId, part: 'sync-api' }, { level: 'warn' }) as FastifyBaseLogger, bodyLimit: API_BODY_BYTES_MAX, forceCloseConnections: true })
  registerSyncRoutes(api, connector)
  try {
    await api.listen({ host: config.api.host, port: config.api.port })
  } catch (error) {
    await connector.stop()
    throw error
  }
  return {
    connector,
    apiUrl: `http://${config.api.host}:${(api.server.address() as { port: number }).port}`,
    async stop() {
      await connector.stop()
      await api.close()
    },
  }
}
