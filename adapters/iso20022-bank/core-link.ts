// How the connector reaches its bank core: XML over HTTP POST to the core's URL (a pacs.008 for a credit,
// an acmt.023 for a look-up: the core answers in the response), and messages that need no answer
// (camt.054, a pacs.002 that comes after the payment was answered PDNG) either the same way or as files
// in the outbox folder. A file is written whole (temporary name, then renamed) so the core never reads half.
import { mkdir, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { request } from 'undici'
import { validateIso, type IsoMessageType } from './xsd-validation.ts'

export const CORE_TIMEOUT_MS = 10_000
export const CORE_ATTEMPTS_MAX = 3
export const CORE_RETRY_FIRST_MS = 100

export interface CoreLinkSettings {
  /** The core's ISO endpoint (POST, application/xml); without one, the core works with folders only. */
  coreUrl?: string
  outbox?: string
  /** Where notifications go: the core's URL or the outbox folder. */
  notifyTo: 'core' | 'outbox'
}

export class CoreRefused extends Error {}

export function createCoreLink(settings: CoreLinkSettings) {
  /** Sends a message and answers the core's reply, checked against the XSD of `replyType`. */
  async function ask(xml: string, replyType?: IsoMessageType): Promise<string> {
    if (!settings.coreUrl) throw new Error('no core URL configured: the payee side needs one')
    let lastError: unknown
    for (let attempt = 1; attempt <= CORE_ATTEMPTS_MAX; attempt++) {
      try {
        const response = await request(settings.coreUrl, {
          method: 'POST', headers: { 'content-type': 'application/xml', accept: 'application/xml' }, body: xml,
          headersTimeout: CORE_TIMEOUT_MS, bodyTimeout: CORE_TIMEOUT_MS,
        })
        const reply = await response.body.text()
        if (response.statusCode >= 500) throw new Error(`the core answered ${response.statusCode}`)
        if (response.statusCode >= 300) throw new CoreRefused(`the core refused the message: ${response.statusCode} ${reply.slice(0, 100)}`)
        if (!replyType) return reply
        const check = validateIso(reply)
        if (!check.ok || check.type !== replyType) throw new CoreRefused(`the core's reply is not a valid ${replyType}: ${check.ok ? check.type : check.message}`)
        return reply
      } catch (error) {
        if (error instanceof CoreRefused) throw error
        lastError = error
      }
      await new Promise((r) => setTimeout(r, CORE_RETRY_FIRST_MS * 2 ** (attempt - 1)))
    }
    throw lastError
  }

  async function writeOutbox(name: string, xml: string): Promise<void> {
    if (!settings.outbox) throw new Error('no outbox folder configured')
    await mkdir(settings.outbox, { recursive: true })
    const target = path.join(settings.outbox, name)
    await writeFile(`${target}.part`, xml)
    await rename(`${target}.part`, target)
  }

  return {
    ask,
    writeOutbox,
    /** A message the core needs no answer to. */
    async notify(name: string, xml: string): Promise<void> {
      if (settings.notifyTo === 'outbox') return writeOutbox(name, xml)
      await ask(xml)
    },
  }
}
export type CoreLink = ReturnType<typeof createCoreLink>
