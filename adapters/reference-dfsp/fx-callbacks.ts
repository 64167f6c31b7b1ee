// What the switch sends a reference DFSP about currency conversions: as payer, the callbacks its calls wait
// for (PUT /services/FXP/{source}/{target}, PUT /fxQuotes/{id}, PUT /fxTransfers/{id}, and their errors);
// as FXP, the requests it answers (POST /fxQuotes, POST /fxTransfers) and the final word on a conversion
// (PATCH /fxTransfers/{id} COMMITTED or ABORTED, a PUT with a final state, or the hub's PUT /fxTransfers/{id}/error). A DFSP that is
// no FXP answers the requests with 3201.
import type { Waiters } from '../connector-core/waiters.ts'
import type { FxProvider } from './fx-provider.ts'
import type { FxQuoteRequest, FxTransferRequest, FxTransferState } from './fx-terms.ts'
import { errorBody } from './payee-answers.ts'
import { callbackError } from './payer-calls.ts'
import type { SwitchClient } from './switch-client.ts'
import { MODIFIED_REQUEST } from './transfer-callbacks.ts'

export interface FxReceiver {
  name: string
  client: SwitchClient
  waiters: Waiters
  fxProvider?: FxProvider
  /** Runs the answer after the DFSP's configured delay. */
  answerLater(answer: () => Promise<void>): Promise<void>
}

/** `parts`: the path's segments, e.g. ['fxTransfers', '{id}', 'error']. */
export async function receiveFx(r: FxReceiver, method: string, parts: string[], isError: boolean, body: unknown, from: string): Promise<void> {
  const [resource, id] = parts
  const error = isError ? callbackError(body) : undefined
  if (resource === 'services') {
    r.waiters.settle(`fxp:${parts[2]}/${parts[3]}`, body, error)
  } else if (method === 'POST') {
    const fxp = r.fxProvider
    if (resource === 'fxQuotes') {
      const request = body as FxQuoteRequest
      if (fxp) await r.answerLater(() => fxp.answerFxQuote(request, from))
      else await r.answerLater(() => notAnFxp(r, `/fxQuotes/${request.conversionRequestId}/error`, 'fxQuotes', from))
    } else {
      const request = body as FxTransferRequest
      if (fxp) await r.answerLater(() => fxp.answerFxTransfer(request, from))
      else await r.answerLater(() => notAnFxp(r, `/fxTransfers/${request.commitRequestId}/error`, 'fxTransfers', from))
    }
  } else if (resource === 'fxQuotes') {
    r.waiters.settle(`fxQuote:${id}`, body, error)
  } else if (resource === 'fxTransfers') {
    const state = (body as FxTransferState | undefined)?.conversionState
    // 3106 is a modified duplicate refused: the original goes on (as for transfers, transfer-callbacks.ts).
    if ((isError && error!.errorCode !== MODIFIED_REQUEST) || state === 'ABORTED') r.fxProvider?.final(id!, 'ABORTED')
    else if (state === 'COMMITTED') r.fxProvider?.final(id!, 'COMMITTED')
    if (method === 'PUT') r.waiters.settle(`fxTransfer:${id}`, body, error)
  }
}

async function notAnFxp(r: FxReceiver, path: string, resource: string, requester: string): Promise<void> {
  await r.client.send('PUT', path, resource, errorBody('3201', `${r.name} is not a foreign exchange provider`), requester)
}
