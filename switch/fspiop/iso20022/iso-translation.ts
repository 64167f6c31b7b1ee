// Translation of message bodies between FSPIOP v2.0 and its ISO 20022 variant, both ways, with
// Mojaloop's @mojaloop/ml-schema-transformer-lib, checked against the ISO document. The ILP condition
// travels inside the ILP packet in ISO (VrfctnOfTerms.IlpV4PrepPacket): a packet whose condition is not
// the message's condition cannot be translated, so a condition can never change on the way.
import { TransformFacades } from '@mojaloop/ml-schema-transformer-lib'
import ilpPacket from 'ilp-packet'
import { validateIsoBody } from './iso-document.ts'
import { ERRORS, isFspiopErrorCode } from '../errors.ts'

/** Every message of the ISO document that Agora receives or sends, with its path and method there. */
export const ISO_MESSAGES = {
  'parties.put': { path: '/parties/{Type}/{ID}', method: 'put' },
  'parties.putError': { path: '/parties/{Type}/{ID}/error', method: 'put' },
  'quotes.post': { path: '/quotes', method: 'post' },
  'quotes.put': { path: '/quotes/{ID}', method: 'put' },
  'quotes.putError': { path: '/quotes/{ID}/error', method: 'put' },
  'transfers.post': { path: '/transfers', method: 'post' },
  'transfers.put': { path: '/transfers/{ID}', method: 'put' },
  'transfers.patch': { path: '/transfers/{ID}', method: 'patch' },
  'transfers.putError': { path: '/transfers/{ID}/error', method: 'put' },
  'fxQuotes.post': { path: '/fxQuotes', method: 'post' },
  'fxQuotes.put': { path: '/fxQuotes/{ID}', method: 'put' },
  'fxQuotes.putError': { path: '/fxQuotes/{ID}/error', method: 'put' },
  'fxTransfers.post': { path: '/fxTransfers', method: 'post' },
  'fxTransfers.put': { path: '/fxTransfers/{ID}', method: 'put' },
  'fxTransfers.patch': { path: '/fxTransfers/{ID}', method: 'patch' },
  'fxTransfers.putError': { path: '/fxTransfers/{ID}/error', method: 'put' },
} as const
export type IsoMessage = keyof typeof ISO_MESSAGES

/** The resources the ISO document defines; the others (/participants, /transactionRequests, ...) stay FSPIOP. */
export const ISO_RESOURCES: readonly string[] = ['parties', 'quotes', 'transfers', 'fxQuotes', 'fxTransfers']

const SEGMENT = '[^/?]+'
const MESSAGE_PATHS: [IsoMessage, string, RegExp][] = [
  ['parties.putError', 'PUT', new RegExp(`^/parties/${SEGMENT}/${SEGMENT}(/${SEGMENT})?/error$`)],
  ['parties.put', 'PUT', new RegExp(`^/parties/${SEGMENT}/${SEGMENT}(/${SEGMENT})?$`)],
  ['quotes.post', 'POST', /^\/quotes$/],
  ['quotes.putError', 'PUT', new RegExp(`^/quotes/${SEGMENT}/error$`)],
  ['quotes.put', 'PUT', new RegExp(`^/quotes/${SEGMENT}$`)],
  ['transfers.post', 'POST', /^\/transfers$/],
  ['transfers.putError', 'PUT', new RegExp(`^/transfers/${SEGMENT}/error$`)],
  ['transfers.put', 'PUT', new RegExp(`^/transfers/${SEGMENT}$`)],
  ['transfers.patch', 'PATCH', new RegExp(`^/transfers/${SEGMENT}$`)],
  ['fxQuotes.post', 'POST', /^\/fxQuotes$/],
  ['fxQuotes.putError', 'PUT', new RegExp(`^/fxQuotes/${SEGMENT}/error$`)],
  ['fxQuotes.put', 'PUT', new RegExp(`^/fxQuotes/${SEGMENT}$`)],
  ['fxTransfers.post', 'POST', /^\/fxTransfers$/],
  ['fxTransfers.putError', 'PUT', new RegExp(`^/fxTransfers/${SEGMENT}/error$`)],
  ['fxTransfers.put', 'PUT', new RegExp(`^/fxTransfers/${SEGMENT}$`)],
  ['fxTransfers.patch', 'PATCH', new RegExp(`^/fxTransfers/${SEGMENT}$`)],
]

/** Which ISO message a request with a body is (path without query), or undefined if the document has none. */
export function isoMessageOf(method: string, path: string): IsoMessage | undefined {
  return MESSAGE_PATHS.find(([, m, pattern]) => m === method && pattern.test(path))?.[0]
}

export class TranslationError extends Error {}

type Body = Record<string, any>
export interface TranslationContext {
  /** FSPIOP-Source and FSPIOP-Destination of the message. */
  source: string
  destination: string
  /** The {ID} of the path (quote, transfer or conversion request id): the ISO body of PUT /quotes/{ID} and PUT /fxQuotes/{ID} carries it, the FSPIOP body does not. */
  id?: string
  /** Party path parameters, for /parties messages. */
  party?: { Type: string; ID: string; SubId?: string }
}

// Translation failures are answered by Agora (3100 or a dead letter with the reason), not logged by the library.
const silentLogger = { error() {}, warn() {}, info() {}, verbose() {}, debug() {}, silly() {}, audit() {}, trace() {}, perf() {}, child() { return silentLogger } }
let configured = false
function configure(): void {
  if (configured) return
  const config = { logger: silentLogger as never, validateTarget: false, rollUpUnmappedAsExtensions: false, unrollExtensions: false }
  TransformFacades.FSPIOP.configure(config)
  TransformFacades.FSPIOPISO20022.configure(config)
  configured = true
}

/** The ISO body of an ISO request, validated against the document, as the FSPIOP body Agora processes. */
export async function isoToFspiop(message: IsoMessage, isoBody: unknown): Promise<Body> {
  configure()
  const { path, method } = ISO_MESSAGES[message]
  const valid = validateIsoBody(path, method, isoBody)
  if (!valid.ok) {
    const first = valid.errors[0]
    throw new TranslationError(`${message} body${first?.instancePath ?? ''} ${first?.message ?? 'is invalid'} (ISO 20022 document)`)
  }
  const source = { body: isoBody as Body }
  const iso = TransformFacades.FSPIOPISO20022
  try {
    switch (message) {
      case 'parties.put': return (await iso.parties.put(source)).body
      case 'parties.putError': return (await iso.parties.putError(source)).body
      case 'quotes.post': return (await iso.quotes.post(source)).body
      case 'quotes.put': return (await iso.quotes.put(source)).body
      case 'quotes.putError': return describeError((await iso.quotes.putError(source)).body)
      case 'transfers.post': return (await iso.transfers.post(source)).body
      case 'transfers.put': return (await iso.transfers.put(source)).body
      case 'transfers.patch': return (await iso.transfers.patch(source)).body
      case 'transfers.putError': return describeError((await iso.transfers.putError(source)).body)
      case 'fxQuotes.post': return withoutUnsetAmount((await iso.fxQuotes.post(source)).body)
      case 'fxQuotes.put': return (await iso.fxQuotes.put(source)).body
      case 'fxQuotes.putError': return describeError((await iso.fxQuotes.putError(source)).body)
      case 'fxTransfers.post': return (await iso.fxTransfers.post(source)).body
      case 'fxTransfers.put': return (await iso.fxTransfers.put(source)).body
      case 'fxTransfers.patch': return (await iso.fxTransfers.patch(source)).body
      case 'fxTransfers.putError': return describeError((await iso.fxTransfers.putError(source)).body)
    }
  } catch (error) {
    throw new TranslationError(`${message} cannot be read as FSPIOP: ${(error as Error).message}`)
  }
}

/** pacs.002 may leave out AddtlInf, FSPIOP requires errorDescription: the code's standard text then. */
function describeError(body: Body): Body {
  const info = body.errorInformation as { errorCode?: string; errorDescription?: string } | undefined
  if (!info?.errorCode || info.errorDescription) return body
  return { ...body, errorInformation: { ...info, errorDescription: isFspiopErrorCode(info.errorCode) ? ERRORS[info.errorCode] : 'Error' } }
}

/**
 * An FX quote request fixes one side (SEND: the source amount, RECEIVE: the target amount) and may leave the
 * other's amount out; ISO requires both amounts, and the transformer writes "0" for the missing one. Read
 * back, that "0" on the side the FXP is to fill in is the amount left out, not a conversion to zero.
 */
function withoutUnsetAmount(body: Body): Body {
  const terms = body.conversionTerms as Body | undefined
  const open = terms?.amountType === 'SEND' ? 'targetAmount' : terms?.amountType === 'RECEIVE' ? 'sourceAmount' : undefined
  if (!terms || !open || terms[open]?.amount !== '0') return body
  const { amount: _zero, ...currency } = terms[open] as Body
  return { ...body, conversionTerms: { ...terms, [open]: currency } }
}

/** Conversion charges have no element in the ISO FX quote messages: terms with charges are refused, never sent without them. */
function requireNoCharges(body: Body, message: IsoMessage): void {
  const charges = (body.conversionTerms as Body | undefined)?.charges
  if (Array.isArray(charges) && charges.length > 0) throw new TranslationError(`${message}: the conversion's charges have no ISO 20022 element`)
}

/** The FSPIOP body Agora holds, as the ISO body of the same message, checked against the document. */
export async function fspiopToIso(message: IsoMessage, body: Body, ctx: TranslationContext): Promise<Body> {
  configure()
  const fspiop = TransformFacades.FSPIOP
  const headers = { 'fspiop-source': ctx.source, 'fspiop-destination': ctx.destination }
  let iso: Body
  try {
    switch (message) {
      case 'parties.put':
      case 'parties.putError': {
        if (!ctx.party) throw new TranslationError(`${message} needs the party's Type and ID`)
        const source = { body, headers, params: ctx.party }
        iso = message === 'parties.put' ? (await fspiop.parties.put(source)).body : (await fspiop.parties.putError(source)).body
        break
      }
      case 'quotes.post': iso = (await fspiop.quotes.post({ body })).body; break
      case 'quotes.put': {
        const terms = await termsContext(body.ilpPacket, body.condition, { payerFsp: ctx.destination, payeeFsp: ctx.source })
        iso = (await fspiop.quotes.put({ body, headers, params: { ID: requireId(ctx, message) }, $context: { isoPostQuote: terms } })).body
        break
      }
      case 'quotes.putError': iso = (await fspiop.quotes.putError({ body })).body; break
      case 'transfers.post': {
        const terms = await termsContext(body.ilpPacket, body.condition, { payerFsp: body.payerFsp, payeeFsp: body.payeeFsp })
        iso = (await fspiop.transfers.post({ body, $context: { isoPostQuoteResponse: terms } })).body
        break
      }
      case 'transfers.put': iso = (await fspiop.transfers.put({ body })).body; break
      case 'transfers.patch': iso = (await fspiop.transfers.patch({ body })).body; break
      case 'transfers.putError': iso = (await fspiop.transfers.putError({ body })).body; break
      case 'fxQuotes.post': requireNoCharges(body, message); iso = (await fspiop.fxQuotes.post({ body })).body; break
      case 'fxQuotes.put': {
        requireNoCharges(body, message)
        // The mapping takes TxId from params.ID, though the library's type for this facade names only the body.
        const withId = { body, params: { ID: requireId(ctx, message) } }
        iso = (await fspiop.fxQuotes.put(withId)).body
        break
      }
      case 'fxQuotes.putError': iso = (await fspiop.fxQuotes.putError({ body })).body; break
      case 'fxTransfers.post': iso = (await fspiop.fxTransfers.post({ body })).body; break
      case 'fxTransfers.put': iso = (await fspiop.fxTransfers.put({ body })).body; break
      case 'fxTransfers.patch': iso = (await fspiop.fxTransfers.patch({ body })).body; break
      case 'fxTransfers.putError': iso = (await fspiop.fxTransfers.putError({ body })).body; break
    }
  } catch (error) {
    if (error instanceof TranslationError) throw error
    throw new TranslationError(`${message} cannot be written in ISO 20022: ${(error as Error).message}`)
  }
  const { path, method } = ISO_MESSAGES[message]
  const valid = validateIsoBody(path, method, iso)
  if (!valid.ok) {
    const first = valid.errors[0]
    throw new TranslationError(`${message} translated to ISO 20022 is not valid: body${first?.instancePath ?? ''} ${first?.message ?? ''}`)
  }
  return iso
}

function requireId(ctx: TranslationContext, message: IsoMessage): string {
  if (!ctx.id) throw new TranslationError(`${message} needs the id of its path`)
  return ctx.id
}

/**
 * The debtor and creditor of a quote or transfer, which ISO messages carry and FSPIOP transfers and quote
 * answers do not: read from the transaction in the ILP packet (FSPIOP v2.0 puts the Transaction object
 * there), or else the two DFSPs themselves. The charge bearer is SHAR, the transformer's own default
 * when it has no ISO quote. Refuses a packet whose condition is not `condition`.
 */
export async function termsContext(packet: unknown, condition: unknown, fsps: { payerFsp: string; payeeFsp: string }): Promise<Body> {
  if (typeof packet !== 'string' || typeof condition !== 'string') throw new TranslationError('an ISO 20022 quote or transfer needs the ilpPacket and its condition')
  let prepare: ReturnType<typeof ilpPacket.deserializeIlpPrepare>
  try {
    prepare = ilpPacket.deserializeIlpPrepare(Buffer.from(packet, 'base64url'))
  } catch (error) {
    throw new TranslationError(`the ilpPacket is not an ILPv4 prepare packet, which ISO 20022 carries instead of the condition: ${(error as Error).message}`)
  }
  if (prepare.executionCondition.toString('base64url') !== condition) throw new TranslationError('the condition is not the executionCondition of the ilpPacket')
  const transaction = transactionIn(prepare.data)
  const agent = (fsp: string) => ({ FinInstnId: { Othr: { Id: fsp } } })
  const byFsp = { Dbtr: { Id: { OrgId: { Othr: { Id: fsps.payerFsp } } } }, DbtrAgt: agent(fsps.payerFsp), Cdtr: { Id: { OrgId: { Othr: { Id: fsps.payeeFsp } } } }, CdtrAgt: agent(fsps.payeeFsp) }
  if (!transaction) return { CdtTrfTxInf: { ...byFsp, ChrgBr: 'SHAR' } }
  const quote = (await TransformFacades.FSPIOP.quotes.post({ body: {
    quoteId: transaction.quoteId ?? transaction.transactionId, transactionId: transaction.transactionId, payer: transaction.payer, payee: transaction.payee,
    amountType: 'SEND', amount: transaction.amount, transactionType: transaction.transactionType,
  } })).body.CdtTrfTxInf as Body
  return { CdtTrfTxInf: { Dbtr: quote.Dbtr ?? byFsp.Dbtr, DbtrAgt: quote.DbtrAgt ?? byFsp.DbtrAgt, Cdtr: quote.Cdtr ?? byFsp.Cdtr, CdtrAgt: quote.CdtrAgt ?? byFsp.CdtrAgt, ChrgBr: 'SHAR' } }
}

function transactionIn(data: Buffer): Body | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(data.toString('utf8'), 'base64url').toString('utf8')) as Body
    return parsed?.payer?.partyIdInfo && parsed?.payee?.partyIdInfo && parsed.amount ? parsed : undefined
  } catch {
    return undefined
  }
}
