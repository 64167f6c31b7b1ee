// FSPIOP-URI as the Signature document defines it: the URI path and query of the request, without the
// scheme, host or any base path in front of the FSPIOP resource (the Mojaloop SDK's signer cuts a URL
// at its resource the same way). Both what a signature protects and what the hub signs are computed here.

/** The FSPIOP API's resources (v1.1, v2.0, and the third-party and FX extensions). */
const RESOURCES = new Set([
  'participants', 'parties', 'quotes', 'bulkQuotes', 'transfers', 'bulkTransfers', 'transactionRequests',
  'authorizations', 'thirdpartyRequests', 'consents', 'consentRequests', 'fxQuotes', 'fxTransfers', 'services',
])

/** The FSPIOP-URI of a request target or URL: from its first FSPIOP resource segment on, query included;
 *  a target with no FSPIOP resource in it is its whole path and query. */
export function fspiopUriOf(target: string): string {
  let pathAndQuery = target
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    const url = new URL(target)
    pathAndQuery = url.pathname + url.search
  }
  const queryAt = pathAndQuery.indexOf('?')
  const path = queryAt === -1 ? pathAndQuery : pathAndQuery.slice(0, queryAt)
  const segments = path.split('/')
  const first = segments.findIndex((segment, i) => i > 0 && RESOURCES.has(segment))
  if (first === -1) return pathAndQuery
  return `/${segments.slice(first).join('/')}${queryAt === -1 ? '' : pathAndQuery.slice(queryAt)}`
}

/** Whether two FSPIOP-URIs name the same thing: equal, or equal once each path segment is
 *  percent-encoded the same way (a signer may send "@" where the switch sees "%40"). A "%2F" stays
 *  inside its segment, so segments never merge. */
export function sameFspiopUri(a: string, b: string): boolean {
  return a === b || canonical(a) === canonical(b)
}

function canonical(uri: string): string {
  const queryAt = uri.indexOf('?')
  const path = queryAt === -1 ? uri : uri.slice(0, queryAt)
  const query = queryAt === -1 ? '' : uri.slice(queryAt)
  return path.split('/').map((segment) => {
    try {
      return encodeURIComponent(decodeURIComponent(segment))
    } catch {
      return segment
    }
  }).join('/') + query
}
