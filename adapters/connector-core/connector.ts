// One connector: a DFSP's own process between its core and the switch. It owns the FSPIOP half (payer
// and payee, callback server, its database, recovery at start); an adapter (the synchronous API, an
// ISO 20022 bank link) gives it a PayeeBackend and drives payments through `payer`.
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { Db, DbSettings } from '../../ledger/store/db.ts'
import type { FspiopVersion } from '../../switch/fspiop/headers.ts'
import { createBulkPayee, type BulkPayee } from './bulk-payee.ts'
import { buildCallbackServer } from './callback-server.ts'
import { openConnectorDb } from './connector-db.ts'
import { FspiopFailure } from './fspiop-failure.ts'
import { MOJALOOP_ILP_ADDRESS } from './ilp.ts'
import { createPayee, type Payee } from './payee.ts'
import type { PayeeBackend } from './payee-backend.ts'
import { createPayer, LOOKUP_WAIT_MS, type Payer } from './payer.ts'
import { createInboundStore, createPaymentStore } from './payment-store.ts'
import { SwitchClient } from './switch-client.ts'
import { Waiters } from './waiters.ts'

export const REGISTRATION_WAIT_MS = 15_000
/** How often the connector looks for transfers the switch has gone quiet about. */
export const QUIET_SWEEP_INTERVAL_MS = 30_000
/** A transfer unanswered this long is asked about with GET /transfers/{id}. */
export const QUIET_TRANSFER_MS = 60_000

export interface ConnectorSettings {
  fspId: string
  switchUrl: string
  fspiopVersion: FspiopVersion
  /** Where the switch reaches this connector (the DFSP's registered endpoints point here). */
  fspiop: { host: string; port: number }
  db: DbSettings
  /** Keys this payee's fulfilments (HMAC); keep it secret and the same across restarts. */
  ilpSecret: string
  ilpAddress?: string
  autoAcceptParty: boolean
  autoAcceptQuote: boolean
  jws?: { privateKeyPem?: string; verifyKeys?: ReadonlyMap<string, string> }
}

export interface Connector {
  readonly fspId: string
  readonly payer: Payer
  readonly payee: Payee
  readonly bulkPayee: BulkPayee
  readonly db: Db
  /** The callback server's base URL (what the switch's endpoints for this DFSP are). */
  readonly fspiopUrl: string
  /** How many payments and payee messages the start found unfinished and resumed. */
  readonly recoveredAtStart: number
  /** Registers a party this DFSP holds with the switch's account lookup (POST /participants/{type}/{id}). */
  registerParty(idType: string, idValue: string): Promise<void>
  /** Asks the switch who holds a party (GET /parties/{type}/{id}): the payee FSP's answer, or its FspiopFailure. */
  lookupParty(idType: string, idValue: string, subId?: string): Promise<LookedUpParty>
  stop(): Promise<void>
}

export interface LookedUpParty {
  party: { partyIdInfo: { partyIdType: string; partyIdentifier: string; partySubIdOrType?: string; fspId: string }; name?: string; personalInfo?: { complexName?: { firstName?: string; middleName?: string; lastName?: string } } }
}

/** A backend, or how to make one from the connector's database (an adapter with tables of its own). */
export type BackendSource = PayeeBackend | ((db: Db) => Promise<PayeeBackend>)

export async function startConnector(settings: ConnectorSettings, backendSource: BackendSource, logger: Logger): Promise<Connector> {
  const log = logger.child({ fspId: settings.fspId })
  const db = await openConnectorDb(settings.db)
  const backend = typeof backendSource === 'function' ? await backendSource(db) : backendSource
  const client = new SwitchClient({ switchUrl: settings.switchUrl, fspId: settings.fspId, version: settings.fspiopVersion, jwsPrivateKeyPem: settings.jws?.privateKeyPem, logger: log })
  const waiters = new Waiters()
  const payer = createPayer({
    fspId: settings.fspId, payments: createPaymentStore(db), client, waiters,
    autoAcceptParty: settings.autoAcceptParty, autoAcceptQuote: settings.autoAcceptQuote, logger: log,
  })
  const payee = createPayee({
    fspId: settings.fspId, ilpSecret: settings.ilpSecret, ilpAddress: settings.ilpAddress ?? MOJALOOP_ILP_ADDRESS,
    backend, inbound: createInboundStore(db), client, logger: log,
  })
  const bulkPayee = createBulkPayee({
    ilpSecret: settings.ilpSecret, ilpAddress: settings.ilpAddress ?? MOJALOOP_ILP_ADDRESS,
    backend, inbound: createInboundStore(db), client, logger: log, finish: payee.finish,
  })
  const server: FastifyInstance = buildCallbackServer({ payer, payee, bulkPayee, waiters, logger: log, verifyKeys: settings.jws?.verifyKeys })
  // Counted before the switch can reach this process: a callback retried from before the stop may resolve
  // a payment the moment the server listens, and recovery then has nothing left to do for it.
  const recovered = (await payer.unfinished()) + (await payee.unfinished()) + (await bulkPayee.unfinished())
  await server.listen({ host: settings.fspiop.host, port: settings.fspiop.port })
  const fspiopUrl = `http://${settings.fspiop.host}:${(server.server.address() as { port: number }).port}`
  if (recovered > 0) log.info({ recovered }, 'connector: resuming work left unfinished at the last stop')
  await payer.recover()
  await payee.recover()
  await bulkPayee.recover()
  let sweeping = false
  const sweep = setInterval(() => {
    if (sweeping) return
    sweeping = true
    Promise.all([payer.askAboutQuiet(QUIET_TRANSFER_MS), payee.askAboutQuiet(QUIET_TRANSFER_MS)])
      .then(([asPayer, asPayee]) => { if (asPayer + asPayee > 0) log.info({ asPayer, asPayee }, 'connector: asked the switch about quiet transfers') })
      .catch((error) => log.warn({ err: error }, 'connector: sweep for quiet transfers failed'))
      .finally(() => { sweeping = false })
  }, QUIET_SWEEP_INTERVAL_MS)
  sweep.unref()

  return {
    fspId: settings.fspId, payer, payee, bulkPayee, db, fspiopUrl, recoveredAtStart: recovered,
    async registerParty(idType, idValue) {
      const settled = waiters.wait(`participant:${idType}/${idValue}`, REGISTRATION_WAIT_MS)
      const sent = await client.send('POST', `/participants/${idType}/${idValue}`, 'participants', { fspId: settings.fspId }, undefined)
      if (sent.status >= 300) throw FspiopFailure.fromBody(sent.body)
      await settled
    },
    async lookupParty(idType, idValue, subId) {
      const path = `/parties/${idType}/${idValue}${subId ? `/${subId}` : ''}`
      // The same key as a payment's lookup: one callback answers both.
      const key = `party:${path}`
      const settled = waiters.wait(key, LOOKUP_WAIT_MS)
      const sent = await client.send('GET', path, 'parties', undefined, undefined)
      if (sent.status >= 300) waiters.settle(key, undefined, FspiopFailure.fromBody(sent.body))
      const answer = (await settled) as LookedUpParty | undefined
      if (typeof answer?.party?.partyIdInfo?.fspId !== 'string') throw FspiopFailure.of('3204', 'the lookup answer names no FSP')
      return answer
    },
    async stop() {
      clearInterval(sweep)
      waiters.stopAll()
      await server.close()
      await client.close()
      await db.destroy()
    },
  }
}
