// A DFSP that is there but never answers: its server takes the connection and the request and sends
// nothing back, as a DFSP behind a hung load balancer does. Until `blackHole()` (and after `answer()`) it
// answers 200, so a test can run the same traffic with it answering.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'

export interface BlackHoleDfsp {
  name: string
  url: string
  /** "METHOD path" of every callback answered 200 (before the black hole). */
  answered: string[]
  /** Requests taken and never answered. */
  held(): number
  blackHole(): void
  answer(): void
  close(): Promise<void>
}

export async function startBlackHoleDfsp(name: string): Promise<BlackHoleDfsp> {
  const answered: string[] = []
  const held: ServerResponse[] = []
  let silent = false
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume()
    req.on('end', () => {
      if (silent) return void held.push(res)
      answered.push(`${req.method} ${(req.url ?? '').replace(`/${name}`, '')}`)
      res.writeHead(200).end()
    })
  })
  server.requestTimeout = 0 // never time a held request out: the switch must give up, not the DFSP
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    name, answered,
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/${name}`,
    held: () => held.length,
    blackHole() { silent = true },
    answer() { silent = false },
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
