// A ledger driven by the real position handler without Kafka: two DFSPs onboarded through the admin API,
// and batches of position messages applied in one transaction each, as the batch consumer would. For
// tests of the handler's decisions in one batch and of the invariant checkers on a real ledger.
import { randomBytes, randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { createTestDb, type TestDb } from '../support/db.ts'
import { testAdminApp } from '../support/apps.ts'
import { onboardDfsp, setupHub } from '../support/fixtures.ts'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'
import { requestHash } from '../../ledger/domain/request-hash.ts'
import { positionHandler } from '../../switch/pipeline/position-handler.ts'
import { createMySqlPipelineStore } from '../../switch/store/mysql-pipeline-store.ts'
import type { FulfilBody, Notification, PositionTopicMessage, PrepareMessage, TransferPrepareBody } from '../../switch/pipeline/messages.ts'

export interface PipelineDfsp {
  name: string
  positionAccountId: number
  settlementAccountId: number
}

export interface PreparedTransfer {
  message: PrepareMessage
  fulfilment: string
}

export interface PipelineLedger {
  testDb: TestDb
  admin: FastifyInstance
  payer: PipelineDfsp
  payee: PipelineDfsp
  /** Applies one batch in one transaction; answers the callbacks it queued, in order. */
  run(messages: readonly PositionTopicMessage[], now?: Date): Promise<Notification[]>
  prepare(amount: string, opts?: { expiresIn_ms?: number; from?: PipelineDfsp; to?: PipelineDfsp }): PreparedTransfer
  fulfil(t: PreparedTransfer, opts?: { fulfilment?: string; state?: FulfilBody['transferState']; source?: string }): PositionTopicMessage
  reject(t: PreparedTransfer, code?: string): PositionTopicMessage
  expire(t: PreparedTransfer): PositionTopicMessage
  close(): Promise<void>
}

export async function startPipelineLedger(label: string, opts: { ndc?: string; fundsIn?: string } = {}): Promise<PipelineLedger> {
  const testDb = await createTestDb(label)
  const admin = await testAdminApp(testDb.db)
  await setupHub(admin, 'USD')
  const onboard = async (name: string): Promise<PipelineDfsp> => ({ name, ...await onboardDfsp(admin, { name, ndc: opts.ndc ?? '1000', fundsIn: opts.fundsIn ?? '5000' }) })
  const payer = await onboard('payerfsp')
  const payee = await onboard('payeefsp')
  let offset = 0n

  const fulfilMessage = (t: PreparedTransfer, kind: 'fulfil' | 'error', body: any, source?: string): PositionTopicMessage => ({
    kind, transferId: t.message.transferId, source: source ?? t.message.body.payeeFsp, version: '1.1', hash: requestHash(body), body,
    payerAccountId: t.message.payerAccountId,
  } as PositionTopicMessage)

  return {
    testDb, admin, payer, payee,
    async run(messages, now) {
      const handler = positionHandler({ hubName: 'Hub', topic: (n) => n, now: now ? () => now : undefined })
      const decoded = messages.map((value) => ({ offset: offset++, key: String(value.payerAccountId), value }))
      const out = await createMySqlPipelineStore(testDb.db).batch((uow) => handler.apply(uow, decoded))
      return out.map((m) => JSON.parse(m.payload) as Notification)
    },
    prepare(amount, o = {}) {
      const from = o.from ?? payer
      const to = o.to ?? payee
      const fulfilment = randomBytes(32).toString('base64url')
      const body: TransferPrepareBody = {
        transferId: randomUUID(), payerFsp: from.name, payeeFsp: to.name, amount: { amount, currency: 'USD' },
        ilpPacket: randomBytes(32).toString('base64url'), condition: conditionOf(fulfilment),
        expiration: new Date(Date.now() + (o.expiresIn_ms ?? 60_000)).toISOString(),
      }
      const message: PrepareMessage = {
        kind: 'prepare', transferId: body.transferId, body, version: '1.1', hash: requestHash(body),
        payerAccountId: from.positionAccountId, payeeAccountId: to.positionAccountId, payerSettlementAccountId: from.settlementAccountId,
      }
      return { message, fulfilment }
    },
    fulfil(t, o = {}) {
      const body: FulfilBody = { transferState: o.state ?? 'COMMITTED', fulfilment: o.fulfilment ?? t.fulfilment, completedTimestamp: new Date().toISOString() }
      return fulfilMessage(t, 'fulfil', body, o.source)
    },
    reject(t, code = '5104') {
      return fulfilMessage(t, 'error', { errorInformation: { errorCode: code, errorDescription: 'Payee rejected transaction' } })
    },
    expire(t) {
      return { kind: 'expire', transferId: t.message.transferId, payerAccountId: t.message.payerAccountId }
    },
    async close() {
      await admin.close()
      await testDb.drop()
    },
  }
}
