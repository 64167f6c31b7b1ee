// A small DFSP for tests: an HTTP server on an ephemeral port that records every callback the switch
// sends it and lets a test wait for one. It answers 200, or what the test tells it to.
import Fastify, { type FastifyInstance } from 'fastify'
import type { TLSSocket } from 'node:tls'

export interface ReceivedCallback {
  method: string
  path: string
  headers: Record<string, string | string[] | undefined>
  body: any
  /** Over HTTPS: the CN of the client certificate the caller (the hub) presented. */
  clientCertificateCn?: string
}

export interface TestDfsp {
  name: string
  url: string
  received: ReceivedCallback[]
  waitFor(match: (c: ReceivedCallback) => boolean, timeout_ms?: number): Promise<ReceivedCallback>
  /** Answer with this status from now on (e.g. 500 to test retries). */
  answerWith(status: number): void
  /** Answer `status` to the first delivery of each callback `refuse` picks (a DFSP that takes it at the second try). */
  failFirstTry(refuse: (c: ReceivedCallback) => boolean, status: number): void
  /** Called for every callback, e.g. to fulfil prepares as a payee would. */
  onCallback(handler: (c: ReceivedCallback) => void): void
  close(): Promise<void>
}

/** `tls`: serve HTTPS with this certificate and require a client certificate issued by `ca`. */
export async function startTestDfsp(name: string, opts: { tls?: { cert: string; key: string; ca: string } } = {}): Promise<TestDfsp> {
  const app = (opts.tls ? Fastify({ https: { ...opts.tls, requestCert: true, rejectUnauthorized: true } }) : Fastify()) as unknown as FastifyInstance
  app.addContentTypeParser(/^application\/vnd\.interoperability\..+\+json/, { parseAs: 'string' }, (_r, body, done) => done(null, body ? JSON.parse(body as string) : undefined))
  const received: ReceivedCallback[] = []
  const waiters: { match: (c: ReceivedCallback) => boolean; resolve: (c: ReceivedCallback) => void }[] = []
  const handlers: ((c: ReceivedCallback) => void)[] = []
  let status = 200
  let firstTry: { refuse: (c: ReceivedCallback) => boolean; status: number; tried: Set<string> } | undefined
  app.all('/*', async (request, reply) => {
    if (status >= 300) return reply.code(status).send()
    const peer = opts.tls ? (request.raw.socket as TLSSocket).getPeerCertificate() : undefined
    const callback = { method: request.method, path: request.url.replace(`/${name}`, ''), headers: request.headers, body: request.body, clientCertificateCn: [peer?.subject?.CN].flat()[0] }
    const key = `${callback.method} ${callback.path} ${JSON.stringify(callback.body)}`
    if (firstTry?.refuse(callback) && !firstTry.tried.has(key)) {
      firstTry.tried.add(key)
      return reply.code(firstTry.status).send()
    }
    received.push(callback)
    for (const w of [...waiters]) if (w.match(callback)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(callback) }
    for (const h of handlers) h(callback)
    return reply.code(200).send()
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${(app.server.address() as { port: number }).port}/${name}`
  return {
    name, url, received,
    waitFor(match, timeout_ms = 20_000) {
      const found = received.find(match)
      if (found) return Promise.resolve(found)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no matching callback within ${timeout_ms} ms; got ${JSON.stringify(received.map((r) => `${r.method} ${r.path}`))}`)), timeout_ms)
        waiters.push({ match, resolve: (c) => { clearTimeout(timer); resolve(c) } })
      })
    },
    answerWith(s) { status = s },
    failFirstTry(refuse, s) { firstTry = { refuse, status: s, tried: new Set() } },
    onCallback(h) { handlers.push(h) },
    close: () => app.close(),
  }
}
