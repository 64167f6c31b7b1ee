// FSPIOP headers: content types with versions, Accept negotiation, the required headers, and the
// headers of messages the switch sends.
import { FspiopError } from './errors.ts'

export const SUPPORTED_VERSIONS = ['1.0', '1.1', '2.0'] as const
export type FspiopVersion = (typeof SUPPORTED_VERSIONS)[number]
export const DEFAULT_VERSION: FspiopVersion = '1.1'

// `application/vnd.interoperability.iso20022.{resource}+json` is the ISO 20022 variant, defined for v2.0 only.
const CONTENT_TYPE = /^application\/vnd\.interoperability\.(iso20022\.)?([a-zA-Z]+)\+json\s*;\s*version\s*=\s*(\d+)(?:\.(\d+))?\s*$/
const ISO20022_VERSIONS: readonly string[] = ['2.0']

export function contentTypeFor(resource: string, version: FspiopVersion = DEFAULT_VERSION): string {
  return `application/vnd.interoperability.${resource}+json;version=${version}`
}

export const acceptFor = contentTypeFor

export interface FspiopHeaders {
  /** The version of the body (Content-Type): what a forwarded message keeps. */
  version: FspiopVersion
  /** The version the sender asked for (Accept; Content-Type's on a callback): hub answers to it use this one. */
  acceptVersion: FspiopVersion
  source: string
  destination: string | undefined
  date: string
  signature: string | undefined
  uri: string | undefined
  httpMethod: string | undefined
}

type RawHeaders = Record<string, string | string[] | undefined>

function one(headers: RawHeaders, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

/**
 * Checks the headers of an FSPIOP request (kind 'request': needs Accept) or callback (kind 'callback').
 * Throws FspiopError 3001 (unsupported version), 3101 (malformed) or 3102 (missing).
 */
export function parseFspiopHeaders(headers: RawHeaders, opts: { resource: string; kind: 'request' | 'callback' }): FspiopHeaders {
  const { version, acceptVersion } = versionsOf(headers, opts.resource, opts.kind)
  const date = one(headers, 'date')
  if (!date) throw new FspiopError('3102', 'Date header is missing')
  if (Number.isNaN(Date.parse(date))) throw new FspiopError('3101', `Date header "${date}" is not an HTTP date`)
  const source = one(headers, 'fspiop-source')
  if (!source) throw new FspiopError('3102', 'FSPIOP-Source header is missing')
  return {
    version,
    acceptVersion,
    source,
    destination: one(headers, 'fspiop-destination') || undefined,
    date,
    signature: one(headers, 'fspiop-signature'),
    uri: one(headers, 'fspiop-uri'),
    httpMethod: one(headers, 'fspiop-http-method'),
  }
}

/** For a GET without body: the version comes from Accept. */
export function parseFspiopGetHeaders(headers: RawHeaders, resource: string): FspiopHeaders {
  const { version } = versionsOf(headers, resource, 'get')
  const parsed = parseFspiopHeaders({ ...headers, 'content-type': one(headers, 'content-type') ?? contentTypeFor(resource, version) }, { resource, kind: 'callback' })
  return { ...parsed, acceptVersion: version }
}

function versionOf(value: string, resource: string, header: string): FspiopVersion {
  // Accept may list several types; take the first supported one.
  const candidates = value.split(',').map((v) => v.trim())
  let malformed = true
  for (const candidate of candidates) {
    const match = CONTENT_TYPE.exec(candidate)
    if (!match) continue
    malformed = false
    if (match[2] !== resource) throw new FspiopError('3101', `${header} is for ${match[2]}, not ${resource}`)
    const versions = match[1] ? ISO20022_VERSIONS : SUPPORTED_VERSIONS
    if (match[4] === undefined) {
      // Accept may name only the major version: take the newest minor of it.
      if (header === 'Content-Type') continue
      const newest = [...versions].reverse().find((v) => v.startsWith(`${match[3]}.`))
      if (newest) return newest as FspiopVersion
      continue
    }
    const version = `${match[3]}.${match[4]}`
    if (versions.includes(version)) return version as FspiopVersion
  }
  if (malformed) throw new FspiopError('3101', `${header} "${value}" is not application/vnd.interoperability.${resource}+json;version=X.Y`)
  // Mojaloop's words (central-services-shared's header validation, as ml-api-adapter answers with 406).
  const detail = header === 'Accept' ? 'The Client requested an unsupported version, see extension list for supported version(s).' : 'Client supplied a protocol version which is not supported by the server'
  throw new FspiopError('3001', detail, {
    extension: SUPPORTED_VERSIONS.map((v) => ({ key: v.split('.')[0]!, value: v.split('.')[1]! })),
  })
}

/** Headers of a message the switch sends. Hub-originated ones also carry FSPIOP-URI and FSPIOP-HTTP-Method. */
export function outgoingHeaders(m: {
  resource: string
  version: FspiopVersion
  /** Accept of a forwarded POST or GET: the original sender's (defaults to `version`). */
  acceptVersion?: FspiopVersion
  source: string
  destination: string | undefined
  method: string
  path: string
  hubOriginated: boolean
  signature?: string
  /** When the message was made (epoch ms), if not now. */
  originatedAt_ms?: number
}): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': contentTypeFor(m.resource, m.version),
    date: new Date(m.originatedAt_ms ?? Date.now()).toUTCString(),
    'fspiop-source': m.source,
  }
  if (m.method === 'POST' || m.method === 'GET') headers.accept = acceptFor(m.resource, m.acceptVersion ?? m.version)
  if (m.destination) headers['fspiop-destination'] = m.destination
  if (m.hubOriginated) {
    headers['fspiop-uri'] = m.path
    headers['fspiop-http-method'] = m.method
  }
  if (m.signature) headers['fspiop-signature'] = m.signature
  return headers
}

/**
 * The version a request is written in, checked before anything else (as Mojaloop's header plugin
 * does): Content-Type for a request or callback with a body (and Accept on a request), Accept for
 * a GET or DELETE. Throws 3102 (missing), 3101 (malformed) or 3001 (unsupported version).
 */
export function requestVersion(headers: RawHeaders, resource: string, kind: 'request' | 'callback' | 'get'): FspiopVersion {
  return versionsOf(headers, resource, kind).version
}

/** The version a message is written in and the one its answers go back in (a request's Accept). */
function versionsOf(headers: RawHeaders, resource: string, kind: 'request' | 'callback' | 'get'): { version: FspiopVersion; acceptVersion: FspiopVersion } {
  if (kind === 'get') {
    const accept = one(headers, 'accept')
    if (!accept) throw new FspiopError('3102', 'Accept header is missing')
    const version = versionOf(accept, resource, 'Accept')
    return { version, acceptVersion: version }
  }
  const contentType = one(headers, 'content-type')
  if (!contentType) throw new FspiopError('3102', 'Content-Type header is missing')
  const version = versionOf(contentType, resource, 'Content-Type')
  if (kind === 'callback') return { version, acceptVersion: version }
  const accept = one(headers, 'accept')
  if (!accept) throw new FspiopError('3102', 'Accept header is missing')
  return { version, acceptVersion: versionOf(accept, resource, 'Accept') }
}
