// The bank core's folders: it drops pacs.008 (or pacs.028, acmt.023) files in the inbox; each answer is
// written to the outbox under the file's name with ".answer.xml", and the file moves to inbox/done. A
// file is only moved once its answer is written, so after a crash it is read again, and its MsgId makes
// the second reading answer the same payment (paid once). A payment still pending keeps its file in the
// inbox until the sweep writes its final answer.
import { mkdir, readdir, readFile, rename } from 'node:fs/promises'
import path from 'node:path'
import type { Logger } from 'pino'
import type { CoreLink } from './core-link.ts'
import type { IsoPayer } from './iso-payer.ts'

/** Files worked on at once. */
export const INBOX_CONCURRENCY = 16
export const DONE_FOLDER = 'done'
export const answerNameOf = (file: string) => `${file}.answer.xml`

export function watchInbox(o: { inbox: string; poll_ms: number; payer: IsoPayer; core: CoreLink; logger: Logger }) {
  const working = new Set<string>()
  let stopped = false
  let timer: NodeJS.Timeout | undefined

  /** Writes a file's answer and moves it out of the inbox (also called by the sweep for a late answer). */
  async function finish(file: string, xml: string): Promise<void> {
    await o.core.writeOutbox(answerNameOf(file), xml)
    await mkdir(path.join(o.inbox, DONE_FOLDER), { recursive: true })
    await rename(path.join(o.inbox, file), path.join(o.inbox, DONE_FOLDER, file)).catch((error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    })
  }

  async function work(file: string): Promise<void> {
    try {
      const xml = await readFile(path.join(o.inbox, file), 'utf8')
      const answer = await o.payer.handle(xml, `file:${file}`)
      if (!answer.pending) await finish(file, answer.xml)
    } catch (error) {
      o.logger.error({ file, err: error }, 'iso20022: an inbox file could not be handled; it stays for the next pass')
    } finally {
      working.delete(file)
    }
  }

  async function pass(): Promise<void> {
    const files = (await readdir(o.inbox, { withFileTypes: true })).filter((f) => f.isFile() && f.name.endsWith('.xml')).map((f) => f.name).sort()
    const queue = files.filter((f) => !working.has(f))
    const workers = Array.from({ length: INBOX_CONCURRENCY }, async () => {
      for (let file = queue.shift(); file !== undefined && !stopped; file = queue.shift()) {
        working.add(file)
        await work(file)
      }
    })
    await Promise.all(workers)
  }

  const loop = () => {
    if (stopped) return
    pass().catch((error) => o.logger.error({ err: error }, 'iso20022: inbox pass failed'))
      .finally(() => { if (!stopped) timer = setTimeout(loop, o.poll_ms) })
  }

  return {
    async start(): Promise<void> {
      await mkdir(o.inbox, { recursive: true })
      loop()
    },
    finish,
    /** Files being handled now: the sweep leaves their answers to the pass that handles them. */
    isWorking: (file: string) => working.has(file),
    stop(): void {
      stopped = true
      if (timer) clearTimeout(timer)
    },
  }
}
export type InboxFolder = ReturnType<typeof watchInbox>
