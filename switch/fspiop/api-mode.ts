// A participant's API mode: FSPIOP (the default) or the ISO 20022 variant of FSPIOP v2.0, whose content
// types are application/vnd.interoperability.iso20022.{resource}+json;version=2.0.
export const API_MODES = ['FSPIOP', 'ISO20022'] as const
export type ApiMode = (typeof API_MODES)[number]
export const DEFAULT_API_MODE: ApiMode = 'FSPIOP'

/** The only FSPIOP version with an ISO 20022 variant. */
export const ISO20022_VERSION = '2.0'

export function isoContentTypeFor(resource: string): string {
  return `application/vnd.interoperability.iso20022.${resource}+json;version=${ISO20022_VERSION}`
}

/** Whether a Content-Type (or the first type of an Accept list) is an ISO 20022 one. */
export function isIsoMediaType(value: string | string[] | undefined): boolean {
  const first = (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim()
  return first !== undefined && /^application\/vnd\.interoperability\.iso20022\./.test(first)
}
