// A DFSP's core system as Mojaloop's SDK scheme adapter calls it (its backend API, plain JSON): who holds
// an account (GET /parties/{idType}/{idValue}), what a quote costs (POST /quoterequests), and that money
// arrives (POST /transfers). It records every call so a test can check what the SDK sent.
import Fastify from 'fastify'
import { randomUUID } from 'node:crypto'

export interface BackendParty {
  idType: string
  idValue: string
  displayName: string
  firstName: string
  lastName: string
  dateOfBirth: string
}

export interface BackendCall {
  method: string
  path: string
  body: any
  status: number
}

export interface SdkBackend {
  /** host:port, as the SDK's BACKEND_ENDPOINT takes it. */
  endpoint: string
  calls: BackendCall[]
  close(): Promise<void>
}

export async function startSdkBackend(parties: BackendParty[]): Promise<SdkBackend> {
  const app = Fastify()
  const calls: BackendCall[] = []
  app.addHook('onResponse', async (request, reply) => { calls.push({ method: request.method, path: request.url, body: request.body, status: reply.statusCode }) })
  app.get<{ Params: { idType: string; idValue: string } }>('/parties/:idType/:idValue', async (request, reply) => {
    const party = parties.find((p) => p.idType === request.params.idType && p.idValue === request.params.idValue)
    return party ?? reply.code(404).send({ statusCode: '3204', message: 'Party not found' })
  })
  // No fee: the payee receives what the payer sends.
  app.post<{ Body: { quoteId: string; transactionId: string; amount: string; currency: string } }>('/quoterequests', async (request) => ({
    quoteId: request.body.quoteId, transactionId: request.body.transactionId,
    transferAmount: request.body.amount, transferAmountCurrency: request.body.currency,
    payeeReceiveAmount: request.body.amount, payeeReceiveAmountCurrency: request.body.currency,
  }))
  app.post<{ Body: { transferId: string } }>('/transfers', async () => ({ homeTransactionId: randomUUID() }))
  await app.listen({ host: '127.0.0.1', port: 0 })
  return { endpoint: `127.0.0.1:${(app.server.address() as { port: number }).port}`, calls, close: () => app.close() }
}
