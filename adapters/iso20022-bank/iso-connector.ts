// An ISO 20022 bank's connector: the connector core (FSPIOP, its database, recovery) with the bank core
// as its payee backend (iso-payee-backend.ts), the bank's messages in over HTTP (POST / with
// application/xml) and through the inbox folder, and a sweep that sends what could not be sent at once:
// the final pacs.002 of a payment answered PDNG, a notification the core did not take.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { startConnector, type Connector } from '../connector-core/connector.ts'
import { createCoreLink } from './core-link.ts'
import type { IsoConnectorConfig } from './iso-config.ts'
import { createIsoPayeeBackend } from './iso-payee-backend.ts'
import { createIsoPayer } from './iso-payer.ts'
import { createIsoStore, migrateIsoStore, type IsoStore } from './iso-store.ts'
import { watchInbox } from './inbox-folder.ts'
import { statementOf } from './statement.ts'

export const XML_BODY_BYTES_MAX = 1_048_576
const DAY = /^\d{4}-\d{2}-\d{2}$/

export interface IsoConnector {
  connector: Connector
  /** Where the core POSTs its XML. */
  apiUrl: string
  stop(): Promise<void>
}

export async function startIsoConnector(config: IsoConnectorConfig, logger: Logger): Promise<IsoConnector> {
  const log = logger.child({ fspId: config.connector.fspId, part: 'iso20022' })
  const core = createCoreLink({ coreUrl: config.coreUrl, outbox: config.folders?.outbox, notifyTo: config.notifyTo })
  // The adapter's tables live in the connector's database, ready before the core resumes unfinished work.
  let store!: IsoStore
  const connector = await startConnector(config.connector, async (db) => {
    await migrateIsoStore(db)
    store = createIsoStore(db)
    return createIsoPayeeBackend({ fspId: config.connector.fspId, core, store })
  }, logger)
  const payer = createIsoPayer({ fspId: config.connector.fspId, connector, store, core, logger: log })
  const inbox = config.folders ? watchInbox({ inbox: config.folders.inbox, poll_ms: config.folders.poll_ms, payer, core, logger: log }) : undefined

  const api: FastifyInstance = Fastify({ loggerInstance: log.child({}, { level: 'warn' }) as FastifyBaseLogger, bodyLimit: XML_BODY_BYTES_MAX, forceCloseConnections: true })
  api.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string' }, (_request, body, done) => done(null, body))
  api.post('/', async (request, reply) => {
    const answer = await payer.handle(typeof request.body === 'string' ? request.body : '', 'http')
    return reply.type('application/xml').send(answer.xml)
  })
  // The bank's customers in the switch's account lookup (as the synchronous API's POST /parties/{type}/{id}).
  api.post<{ Params: { idType: string; idValue: string } }>('/parties/:idType/:idValue', async (request, reply) => {
    await connector.registerParty(request.params.idType, request.params.idValue)
    return reply.send({ idType: request.params.idType, idValue: request.params.idValue, fspId: connector.fspId })
  })
  api.get<{ Querystring: { date?: string } }>('/statements/camt.053', async (request, reply) => {
    if (!config.admin) return reply.code(404).send({ message: 'no admin API configured: statements are not available' })
    const day = request.query.date ?? new Date().toISOString().slice(0, 10)
    if (!DAY.test(day)) return reply.code(400).send({ message: 'date must be YYYY-MM-DD' })
    return reply.type('application/xml').send(await statementOf(config.admin, config.connector.fspId, day))
  })

  let sweeping = false
  const sweep = setInterval(() => {
    if (sweeping) return
    sweeping = true
    sweepOnce().catch((error) => log.warn({ err: error }, 'iso20022: sweep failed')).finally(() => { sweeping = false })
  }, config.sweep_ms)
  sweep.unref()

  async function sweepOnce(): Promise<void> {
    for (const row of await store.pending()) {
      if (row.source.startsWith('file:') && inbox?.isWorking(row.source.slice(5))) continue
      const payment = await connector.payer.get(row.transferId)
      if (!payment || !connector.payer.isFinal(payment)) continue
      const answer = await payer.settle(row, payment)
      if (row.source.startsWith('file:')) await inbox?.finish(row.source.slice(5), answer.xml)
      else await core.notify(`pacs.002-${row.msgId}.xml`, answer.xml)
    }
    for (const n of await store.undelivered()) {
      await core.notify(`${n.direction === 'RJCT' ? 'pacs.002' : 'camt.054'}-${n.transferId}-${n.direction}.xml`, n.xml)
      await store.delivered(n.transferId, n.direction)
    }
  }

  try {
    await api.listen({ host: config.api.host, port: config.api.port })
    await inbox?.start()
  } catch (error) {
    await connector.stop()
    throw error
  }
  return {
    connector,
    apiUrl: `http://${config.api.host}:${(api.server.address() as { port: number }).port}`,
    async stop() {
      clearInterval(sweep)
      inbox?.stop()
      await api.close()
      await connector.stop()
    },
  }
}
