// One HTTP server for many reference DFSPs: each DFSP's endpoints live under /{name}. It answers the
// switch at once (202 for requests, 200 for callbacks) and does the DFSP's work afterwards. A test can
// make it refuse what the switch sends (a status instead, nothing handled): the switch then retries or
// dead-letters, and the DFSP must find out otherwise.
import Fastify, { type FastifyInstance } from 'fastify'
import type { ReferenceDfsp } from './reference-dfsp.ts'

export interface DfspHost {
  url: string
  endpointBase(name: string): string
  /** From now on, what comes for this DFSP's name goes to this one (a DFSP started again). */
  serve(dfsp: ReferenceDfsp): void
  close(): Promise<void>
}

/** What the host answers instead of handling a message (a status of 300 or more), or undefined to handle it. */
export type Refusal = (dfsp: string, method: string, path: string) => number | undefined

export async function startDfspHost(dfsps: readonly ReferenceDfsp[], opts: { port?: number; refuse?: Refusal } = {}): Promise<DfspHost> {
  const byName = new Map(dfsps.map((d) => [d.name, d]))
  const app: FastifyInstance = Fastify({ bodyLimit: 1_048_576 })
  app.addContentTypeParser(/^application\/vnd\.interoperability\..+\+json/, { parseAs: 'string' }, (_r, body, done) => {
    try { done(null, body ? JSON.parse(body as string) : undefined) } catch (error) { done(error as Error, undefined) }
  })
  app.all('/:dfsp/*', async (request, reply) => {
    const dfsp = byName.get((request.params as { dfsp: string }).dfsp)
    if (!dfsp) return reply.code(404).send()
    const path = request.url.slice(dfsp.name.length + 1)
    const refusal = opts.refuse?.(dfsp.name, request.method, path)
    if (refusal !== undefined) return reply.code(refusal).send()
    const isRequest = request.method === 'POST' || request.method === 'GET'
    setImmediate(() => {
      dfsp.receive(request.method, path, request.headers, request.body).catch((error) => request.log.error({ err: error }, 'reference DFSP failed'))
    })
    return reply.code(isRequest ? 202 : 200).send()
  })
  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 })
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  return { url, endpointBase: (name) => `${url}/${name}`, serve: (dfsp) => void byName.set(dfsp.name, dfsp), close: () => app.close() }
}
