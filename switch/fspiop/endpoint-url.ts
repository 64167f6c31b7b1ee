// Callback and oracle endpoints are http: or https: URLs, nothing else (no file:, ftp:, javascript:,
// data:, …): the switch calls them. Mojaloop URL templates ({{transferId}} and the like) are allowed
// anywhere after the scheme. Checked when an operator registers an endpoint and again when the switch
// calls one, for anything stored before the rule.

const TEMPLATE = /\{\{\w+\}\}/g
export const ENDPOINT_PROTOCOLS = ['http:', 'https:'] as const

/** Why `value` (a URL or URL template) is not an endpoint the switch may call, or undefined if it is one. */
export function endpointUrlProblem(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value.replace(TEMPLATE, 'x'))
  } catch {
    return `endpoint "${value.slice(0, 60)}" is not a URL; it must be an http: or https: URL`
  }
  if (!(ENDPOINT_PROTOCOLS as readonly string[]).includes(url.protocol)) return `endpoint scheme ${url.protocol} is not allowed; it must be an http: or https: URL`
  if (!url.hostname) return 'endpoint has no host; it must be an http: or https: URL'
  return undefined
}
