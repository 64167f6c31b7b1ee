// The payer's face, on the FSPIOP API server (so authenticated as every FSPIOP route: the caller is its
// FSPIOP-Source, with mTLS and JWS where the scheme requires them):
//   POST /disbursements            pain.001 (application/xml), CSV (text/csv) or a GSMA batch (application/json)
//   GET  /disbursements/{id}        progress
//   GET  /disbursements/{id}/report every beneficiary's outcome, in the submission's format
// A refused file is answered in its own format and creates nothing. The same id with the same content
// answers the existing state (nothing is paid twice); with other content it is refused (409).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../../ledger/store/db.ts'
import type { ParticipantDirectory } from '../fspiop/directory.ts'
import { FspiopError } from '../fspiop/errors.ts'
import { createDisbursement, findDisbursement, itemsPage, progressOf, type DisbursementRow, type ItemRow } from './disbursement-store.ts'
import { parsePain001Submission } from './pain001-format.ts'
import { parseCsvSubmission } from './csv-format.ts'
import { parseGsmaSubmission } from './gsma-format.ts'
import { checkDisbursementId, contentHash, type Parsed, type Refusal, type SubmissionFormat } from './submission.ts'
import { refusalAnswer, type Answer } from './refusals.ts'
import { reportAnswer } from './disbursement-reports.ts'

/** The largest submission (200,000 CSV rows are about 15 MB; a pain.001 of as many, about 100 MB). */
export const DISBURSEMENT_BODY_BYTES_MAX = 128 * 1024 * 1024
/** Items read per query when writing a report. */
export const REPORT_PAGE_ITEMS = 20_000

export interface DisbursementRouteDeps {
  db: Db
  directory: ParticipantDirectory
  /** Starts paying a new disbursement (the engine); absent where this process does not pay (it is picked up by the engine's sweep). */
  startPaying?: (id: string) => void
}

const FORMAT_OF_MEDIA_TYPE: Readonly<Record<string, SubmissionFormat>> = { 'application/xml': 'pain.001', 'text/xml': 'pain.001', 'text/csv': 'csv', 'application/json': 'gsma' }

function formatOf(request: FastifyRequest): SubmissionFormat | undefined {
  const media = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
  return FORMAT_OF_MEDIA_TYPE[media]
}

const send = (reply: FastifyReply, answer: Answer) => reply.code(answer.status).type(answer.contentType).send(answer.body)
const sourceOf = (request: FastifyRequest) => {
  const header = request.headers['fspiop-source']
  return typeof header === 'string' ? header : undefined
}

export async function disbursementRoutes(app: FastifyInstance, deps: DisbursementRouteDeps): Promise<void> {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser(['application/xml', 'text/xml', 'text/csv', 'application/json'], { parseAs: 'string', bodyLimit: DISBURSEMENT_BODY_BYTES_MAX }, (request, body, done) => {
    request.rawBody = body as string
    done(null, body)
  })

  app.post<{ Body: string }>('/disbursements', { bodyLimit: DISBURSEMENT_BODY_BYTES_MAX }, async (request, reply) => {
    const format = formatOf(request)
    if (!format) throw new FspiopError('3101', 'Content-Type must be application/xml (pain.001.001.10), text/csv or application/json (GSMA batch)')
    const refuse = (refusal: Refusal, originalMsgId?: string) => send(reply, refusalAnswer(format, refusal, { originalMsgId }))
    const source = sourceOf(request)
    const payer = source ? await deps.directory.get(source) : undefined
    if (!payer?.isActive || payer.isHub) return refuse({ kind: 'payer', message: `FSPIOP-Source ${source?.slice(0, 32) ?? '(none)'} is no active participant` })
    const parsed = parse(format, request.body ?? '', headerId(request))
    if (!parsed.ok) return refuse(parsed.refusal, format === 'pain.001' ? undefined : headerId(request))
    const submission = parsed.submission
    const idProblem = checkDisbursementId(submission.disbursementId)
    if (idProblem) return refuse(idProblem, submission.disbursementId)
    if (!payer.accounts.get(`${submission.currency}:POSITION`)?.isActive) {
      return refuse({ kind: 'currency', message: `${payer.name} has no active ${submission.currency} position account` }, submission.disbursementId)
    }
    const hash = contentHash(submission)
    const result = await createDisbursement(deps.db, payer.name, submission, hash)
    if (!result.created && (result.row.payerFsp !== payer.name || result.row.contentHash !== hash)) {
      return refuse({ kind: 'conflict', message: `disbursement ${submission.disbursementId} exists with other content; nothing was changed` }, submission.disbursementId)
    }
    if (result.created) {
      request.log.info({ disbursementId: result.row.id, payer: payer.name, total: result.row.total }, 'disbursement received')
      deps.startPaying?.(result.row.id)
    }
    return reply.code(202).send({ disbursementId: result.row.id, state: result.row.state, total: result.row.total })
  })

  app.get<{ Params: { id: string } }>('/disbursements/:id', async (request, reply) => {
    const row = await ownRow(deps, request)
    if (!row) return notFound(reply, request.params.id)
    return reply.send({ disbursementId: row.id, state: row.state, format: row.format, currency: row.currency, ...(await progressOf(deps.db, row)) })
  })

  app.get<{ Params: { id: string } }>('/disbursements/:id/report', async (request, reply) => {
    const row = await ownRow(deps, request)
    if (!row) return notFound(reply, request.params.id)
    return send(reply, reportAnswer(row, await allItems(deps.db, row)))
  })
}

function headerId(request: FastifyRequest): string {
  const header = request.headers['disbursement-id']
  return typeof header === 'string' ? header.trim() : ''
}

function parse(format: SubmissionFormat, body: string, id: string): Parsed {
  if (format === 'pain.001') return parsePain001Submission(body)
  if (format === 'csv') return parseCsvSubmission(body, id)
  return parseGsmaSubmission(body, id)
}

/** The disbursement if the caller is its payer; another payer's is not found, as an unknown one. */
async function ownRow(deps: DisbursementRouteDeps, request: FastifyRequest<{ Params: { id: string } }>): Promise<DisbursementRow | undefined> {
  const row = await findDisbursement(deps.db, request.params.id)
  return row && row.payerFsp === sourceOf(request) ? row : undefined
}

function notFound(reply: FastifyReply, id: string) {
  return reply.code(404).send(new FspiopError('3100', `disbursement ${id.slice(0, 64)} not found`).toBody())
}

export async function allItems(db: Db, row: DisbursementRow): Promise<ItemRow[]> {
  const items: ItemRow[] = []
  while (true) {
    const page = await itemsPage(db, row.id, { afterItemNo: items.at(-1)?.itemNo ?? -1, limit: REPORT_PAGE_ITEMS })
    items.push(...page)
    if (page.length < REPORT_PAGE_ITEMS) return items
  }
}
