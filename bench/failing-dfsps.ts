// Two failing DFSPs for the benchmark's isolation phase, onboarded like the others: one answers every
// request and callback 500, one is black-holed (takes the request, never answers; the switch's tries end
// at their timeout). A reference DFSP of their own pays them `rate` transfers a second, so the switch has
// prepares to send them all along; those transfers never complete (they expire), which is their point.
import { randomBytes, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { AdminClient } from '../switch/admin-client/admin-client.ts'
import { demoSetup } from '../switch/admin-client/demo-setup.ts'
import { ReferenceDfsp } from '../adapters/reference-dfsp/reference-dfsp.ts'
import { startDfspHost } from '../adapters/reference-dfsp/dfsp-host.ts'
import { ilpPacketFor } from '../adapters/reference-dfsp/ilp.ts'
import { DFSP_FUNDS } from '../switch/loadtest/loadtest.ts'

const TICK_MS = 20

export interface FailingDfsps {
  names: { answers500: string; blackHoled: string }
  /** Stops sending; answers what was sent and how many requests the black hole holds. */
  stop(): Promise<{ sent: number; held: number }>
}

export async function startFailingDfsps(o: { apiUrl: string; adminUrl: string; hubName: string; rate: number }): Promise<FailingDfsps> {
  const id = randomBytes(3).toString('hex')
  const names = { answers500: `bf${id}e500`, blackHoled: `bf${id}hole`, payer: `bf${id}payer` }
  const held = new Set<ServerResponse>()
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume()
    if (req.url?.startsWith(`/${names.blackHoled}/`)) { held.add(res); return }
    res.writeHead(500).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const failingUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  const payer = new ReferenceDfsp({ name: names.payer, secret: randomBytes(16).toString('hex'), switchUrl: o.apiUrl, customers: [{ idType: 'MSISDN', id: `${names.payer}c0`, name: 'payer', balance: DFSP_FUNDS }] })
  const host = await startDfspHost([payer])
  const admin = new AdminClient(o.adminUrl, 'bench')
  const setup = { currency: 'USD', ndc: DFSP_FUNDS, funds: DFSP_FUNDS, hub: o.hubName }
  await demoSetup(admin, { ...setup, dfspUrl: failingUrl, names: [names.answers500, names.blackHoled] })
  await demoSetup(admin, { ...setup, dfspUrl: host.url, names: [names.payer] })

  let sent = 0
  const started = performance.now()
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - started) / 1000) * o.rate)
    while (sent < due) {
      const to = sent++ % 2 === 0 ? names.answers500 : names.blackHoled
      const ilpPacket = ilpPacketFor({ transactionId: randomUUID(), payee: `${to}c0`, amount: { amount: '1', currency: 'USD' } })
      payer.transfer(`${names.payer}c0`, to, '1', 'USD', { ilpPacket, condition: payer.conditionFor(ilpPacket) }).catch(() => {})
    }
  }, TICK_MS)
  return {
    names,
    async stop() {
      clearInterval(timer)
      const answer = { sent, held: held.size }
      for (const res of held) res.destroy()
      server.closeAllConnections()
      await new Promise((r) => server.close(r))
      await payer.close()
      await host.close()
      return answer
    },
  }
}
