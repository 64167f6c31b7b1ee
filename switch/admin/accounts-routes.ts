// Accounts and funds: GET /participants/{name}/accounts, PUT /participants/{name}/accounts/{id} (isActive),
// POST /participants/{name}/accounts/{id} (recordFundsIn, recordFundsOutPrepareReserve),
// PUT /participants/{name}/accounts/{id}/transfers/{transferId} (recordFundsOutCommit, recordFundsOutAbort).
// Funds move through the ledger port (ledger/funds-settlement-port.ts), its audit entry in the same unit of
// work; listing accounts and setting one active or not read and write the participants' store directly.
import type { FastifyInstance } from 'fastify'
import type { Knex } from 'knex'
import { FspiopError, type FspiopErrorCode } from '../fspiop/errors.ts'
import { recordAudit } from '../../ledger/store/audit.ts'
import { accountsOf, findAccountById, setAccountActive, type AccountRow, type ParticipantRow } from '../../ledger/store/participants.ts'
import type { AdminAccount, AdminParticipant, FundsProblem, FundsResult } from '../../ledger/funds-settlement-port.ts'
import type { LedgerTx } from '../../ledger/ledger-port.ts'
import { checkAmount } from '../../ledger/domain/money.ts'
import { requestHash } from '../../ledger/domain/request-hash.ts'
import { actorOf } from './operator.ts'
import { accountView } from './views.ts'
import { accountStateBody, fundsBody, fundsCompletionBody, nameParam } from './schemas.ts'
import { requireParticipant } from './participants-routes.ts'
import { adminLedger, type AdminDeps } from './admin-deps.ts'

type AccountParams = { name: string; id: number }
const accountParams = {
  type: 'object', required: ['name', 'id'],
  properties: { name: nameParam.properties.name, id: { type: 'integer', minimum: 1 }, transferId: { type: 'string', minLength: 1, maxLength: 36 } },
} as const

interface FundsBody {
  transferId: string
  externalReference?: string
  action: 'recordFundsIn' | 'recordFundsOutPrepareReserve'
  reason?: string
  amount: { amount: string; currency: string }
  extensionList?: unknown
}

const PROBLEM_CODES: Record<FundsProblem, FspiopErrorCode> = {
  'hub-account-missing': '3000',
  'insufficient-funds': '4001',
  'modified-request': '3106',
  'unknown-funds-transfer': '3208',
  'account-mismatch': '3000',
}

export async function accountsRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { db } = deps
  const ledger = adminLedger(deps)

  app.get<{ Params: { name: string } }>('/participants/:name/accounts', { schema: { params: nameParam } }, async (request) => {
    const p = await requireParticipant(db, request.params.name)
    return (await accountsOf(db, [p.id])).map(accountView)
  })

  app.put<{ Params: AccountParams; Body: { isActive: boolean } }>('/participants/:name/accounts/:id', { schema: { params: accountParams, body: accountStateBody } }, async (request) => {
    const { name, id } = request.params
    const account = await db.transaction(async (trx) => {
      const p = await requireParticipant(trx, name)
      const a = await requireOwnAccount(trx, p, id)
      await setAccountActive(trx, a.id, request.body.isActive)
      await recordAudit(trx, { actor: actorOf(request), action: 'account.update', target: `${name}/${id}`, detail: request.body })
      return { ...a, isActive: request.body.isActive }
    })
    deps.participantChanges.changed(name)
    return accountView(account)
  })

  app.post<{ Params: AccountParams; Body: FundsBody }>('/participants/:name/accounts/:id', { schema: { params: accountParams, body: fundsBody } }, async (request, reply) => {
    const { name, id } = request.params
    const body = request.body
    const check = checkAmount(body.amount.amount, body.amount.currency)
    if (!check.ok) throw new FspiopError('3100', check.message)
    const actor = actorOf(request)
    await ledger.transaction(async (tx) => {
      const p = await requireLedgerParticipant(tx, name)
      const account = await requireLedgerAccount(tx, p, id)
      if (account.type !== 'SETTLEMENT') throw new FspiopError('3000', `account ${id} is a ${account.type} account; funds move through SETTLEMENT accounts`)
      if (account.currency !== body.amount.currency) throw new FspiopError('3000', `account ${id} is in ${account.currency}, not ${body.amount.currency}`)
      if (!account.isActive) throw new FspiopError('3000', `account ${id} is inactive`)
      const req = {
        transferId: body.transferId, account, hub: await tx.findHubFundsAccounts(deps.config.hubName, account.currency),
        amount: check.value, reason: body.reason, extensionList: body.extensionList, requestHash: requestHash(body), actor,
      }
      const result = body.action === 'recordFundsIn' ? await tx.recordFundsIn(req) : await tx.reserveFundsOut(req)
      throwIfFailed(result)
      if (result.ok && !result.duplicate) await tx.recordAudit({ actor, action: `funds.${body.action}`, target: `${name}/${id}`, detail: body })
    })
    deps.participantChanges.changed(name)
    return reply.code(202).send()
  })

  app.put<{ Params: AccountParams & { transferId: string }; Body: { action: 'recordFundsOutCommit' | 'recordFundsOutAbort'; reason?: string } }>(
    '/participants/:name/accounts/:id/transfers/:transferId',
    { schema: { params: accountParams, body: fundsCompletionBody } },
    async (request, reply) => {
      const { name, id, transferId } = request.params
      const actor = actorOf(request)
      await ledger.transaction(async (tx) => {
        const p = await requireLedgerParticipant(tx, name)
        const account = await requireLedgerAccount(tx, p, id)
        const result = await tx.completeFundsOut({
          transferId, participantId: p.id, accountId: account.id, hub: await tx.findHubFundsAccounts(deps.config.hubName, account.currency),
          action: request.body.action === 'recordFundsOutCommit' ? 'commit' : 'abort', reason: request.body.reason, actor,
        })
        throwIfFailed(result)
        // A funds out that is no longer RESERVED is answered 202 and changes nothing, as in central-ledger.
        if (result.ok && !result.duplicate) await tx.recordAudit({ actor, action: `funds.${request.body.action}`, target: `${name}/${id}/${transferId}`, detail: request.body })
      })
      deps.participantChanges.changed(name)
      return reply.code(202).send()
    },
  )
}

async function requireOwnAccount(trx: Knex.Transaction, p: ParticipantRow, id: number): Promise<AccountRow> {
  const account = await findAccountById(trx, id)
  if (!account || account.participantId !== p.id) throw new FspiopError('3200', `participant ${p.name} has no account ${id}`)
  return account
}

/** requireParticipant's answer, through the ledger port. */
async function requireLedgerParticipant(tx: LedgerTx, name: string): Promise<AdminParticipant> {
  const p = await tx.findParticipant(name)
  if (!p) throw new FspiopError('3200', `participant ${name} does not exist`)
  return p
}

/** requireOwnAccount's answer, through the ledger port. */
async function requireLedgerAccount(tx: LedgerTx, p: AdminParticipant, id: number): Promise<AdminAccount> {
  const account = await tx.findAccount(id)
  if (!account || account.participantId !== p.id) throw new FspiopError('3200', `participant ${p.name} has no account ${id}`)
  return account
}

function throwIfFailed(result: FundsResult): void {
  if (!result.ok) throw new FspiopError(PROBLEM_CODES[result.problem], result.message)
}
