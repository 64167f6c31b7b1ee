// The switch's disbursement API as the GSMA connector calls it for a batch (the contract agreed with the
// switch's G2P work): POST /disbursements with Content-Type application/json, Disbursement-Id = the batch
// id, FSPIOP-Source = this MMP, the GSMA batch object as the body → 202 {disbursementId, state, total};
// GET /disbursements/{id} → {state, total, paid, failed, unresolved, pending}; GET /disbursements/{id}/report
// → {completions, rejections} in the GSMA batch completion and rejection shapes. The switch is idempotent per
// Disbursement-Id (the same content answers the existing state; other content is a 409), so a repeat after a
// stop submits nothing twice. With the scheme's JWS on (the connector has a signing key), the submission is
// signed like the connector's other FSPIOP requests (FSPIOP-URI, FSPIOP-HTTP-Method, Date in the protected
// header), and the switch checks it against the key registered for this MMP.
import { request } from 'undici'
import { signRequest } from '../connector-core/switch-client.ts'
import { GsmaError } from './gsma-errors.ts'

export const DISBURSEMENT_TIMEOUT_MS = 10_000

export type DisbursementState = 'RECEIVED' | 'RESOLVING' | 'PAYING' | 'COMPLETED'
export interface DisbursementStatus { state: DisbursementState; total: number; paid: number; failed: number; unresolved: number; pending: number }
export interface DisbursementReport { completions: Record<string, unknown>[]; rejections: Record<string, unknown>[] }

export interface DisbursementClient {
  /** Hands the batch to the switch; a refusal is the GsmaError the MMP platform hears. */
  submit(batchId: string, rawBody: string): Promise<void>
  status(batchId: string): Promise<DisbursementStatus | undefined>
  report(batchId: string): Promise<DisbursementReport | undefined>
}

export function createDisbursementClient(settings: { switchUrl: string; fspId: string; jwsPrivateKeyPem?: string }): DisbursementClient {
  const base = settings.switchUrl.replace(/\/$/, '')
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    accept: 'application/json', 'fspiop-source': settings.fspId, date: new Date().toUTCString(), ...extra,
  })

  /** A read of the switch; the switch unreachable or failing is serviceUnavailable for the client. */
  async function get<T>(path: string): Promise<T | undefined> {
    let response: Awaited<ReturnType<typeof request>>
    try {
      response = await request(`${base}${path}`, { method: 'GET', headers: headers(), headersTimeout: DISBURSEMENT_TIMEOUT_MS, bodyTimeout: DISBURSEMENT_TIMEOUT_MS })
    } catch (error) {
      throw new GsmaError('serviceUnavailable/genericError', `the switch could not be reached: ${(error as Error).message}`)
    }
    if (response.statusCode === 404) { await response.body.dump(); return undefined }
    if (response.statusCode !== 200) { await response.body.dump(); throw new GsmaError('serviceUnavailable/genericError', `the switch answered ${response.statusCode} to GET ${path}`) }
    return (await response.body.json()) as T
  }

  return {
    async submit(batchId, rawBody) {
      const plain = headers({ 'content-type': 'application/json', 'disbursement-id': batchId })
      const sent = settings.jwsPrivateKeyPem === undefined ? plain : signRequest(plain, 'POST', '/disbursements', rawBody, settings.jwsPrivateKeyPem)
      const response = await request(`${base}/disbursements`, {
        method: 'POST', body: rawBody, headersTimeout: DISBURSEMENT_TIMEOUT_MS, bodyTimeout: DISBURSEMENT_TIMEOUT_MS, headers: sent,
      })
      const text = await response.body.text()
      if (response.statusCode === 202 || response.statusCode === 200) return
      throw refusalOf(response.statusCode, text)
    },
    status: (batchId) => get<DisbursementStatus>(`/disbursements/${encodeURIComponent(batchId)}`),
    report: (batchId) => get<DisbursementReport>(`/disbursements/${encodeURIComponent(batchId)}/report`),
  }
}

/** The switch's refusal of a batch as the GSMA error the client hears. The disbursement API answers a refused
 *  JSON submission with the GSMA error object itself (passed on as it is); a refusal from the FSPIOP layer
 *  before it (headers, authentication) is an FSPIOP error, mapped by its family. */
function refusalOf(status: number, text: string): GsmaError {
  let body: unknown
  try { body = JSON.parse(text) } catch { body = undefined }
  const statusParameter = { key: 'switchStatus', value: String(status) }
  const gsma = GsmaError.fromBody(body)
  if (gsma) return new GsmaError(gsma.key, gsma.detail, [statusParameter, ...gsma.parameters])
  const info = (body as { errorInformation?: { errorCode?: unknown; errorDescription?: unknown } } | undefined)?.errorInformation
  const code = typeof info?.errorCode === 'string' ? info.errorCode : undefined
  const description = typeof info?.errorDescription === 'string' ? info.errorDescription : undefined
  const parameters = [statusParameter, ...(code ? [{ key: 'fspiopErrorCode', value: code }] : [])]
  if (status === 409) return new GsmaError('businessRule/duplicateRequest', description ?? 'the switch has a disbursement with this batch id', parameters)
  if (status >= 500) return new GsmaError('serviceUnavailable/genericError', description ?? `the switch answered ${status}`, parameters)
  if (code?.startsWith('3')) return new GsmaError('validation/genericError', description ?? 'the switch refused the batch', parameters)
  return new GsmaError('businessRule/genericError', description ?? `the switch refused the batch (${status})`, parameters)
}
