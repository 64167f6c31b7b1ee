// Preloaded into every file of `npm run test:unit` (scripts/test-unit.sh): a unit test needs no MariaDB,
// Kafka, Redis or other host. A socket to one of the services' ports, or to any host but this one, ends
// the file at once with a message naming the convention, so a test that needs a service cannot hide among
// the unit tests: it is named `*.db.test.ts` / `*.kafka.test.ts` (or lives in a suite folder), see README.
import net from 'node:net'

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/
const GUARD_INSTALLED = Symbol.for('agora.no-services')

/** The services' ports, from scripts/common.sh through the unit runner. */
export function servicePorts(list = process.env.AGORA_SERVICE_PORTS ?? ''): Set<number> {
  return new Set(list.split(',').map((p) => Number(p.trim())).filter((p) => Number.isInteger(p) && p > 0))
}

interface Target {
  host: string
  port: number
}

/** The host and port of a `socket.connect(...)` call; undefined for a Unix socket path. */
export function connectTarget(args: readonly unknown[]): Target | undefined {
  const [first, second] = args
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { port: Number(first), host: typeof second === 'string' ? second : 'localhost' }
  }
  if (Array.isArray(first)) return connectTarget(first)
  if (first && typeof first === 'object' && 'port' in first) {
    const options = first as { port?: number | string; host?: string }
    return { port: Number(options.port), host: options.host ?? 'localhost' }
  }
  return undefined
}

/** Why a unit test may not open this socket, or undefined when it may (a server the test started itself). */
export function refusal(target: Target, ports: ReadonlySet<number>): string | undefined {
  if (!LOOPBACK.test(target.host)) return `a unit test connected to ${target.host}:${target.port}, another host`
  if (ports.has(target.port)) return `a unit test connected to ${target.host}:${target.port}, a service's port (MariaDB, Kafka or Redis)`
  return undefined
}

export function installGuard(ports: ReadonlySet<number>, stop: (message: string) => never): void {
  const marked = globalThis as { [GUARD_INSTALLED]?: boolean }
  if (marked[GUARD_INSTALLED]) return
  marked[GUARD_INSTALLED] = true
  const connect = net.Socket.prototype.connect
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const target = connectTarget(args)
    const why = target && refusal(target, ports)
    if (why) stop(why)
    return Reflect.apply(connect, this, args)
  } as typeof connect
}

if (process.env.AGORA_SERVICE_PORTS !== undefined) {
  installGuard(servicePorts(), (why) => {
    process.stderr.write(
      `\n${why}.\nA test that needs MariaDB is named *.db.test.ts, one that needs Kafka *.kafka.test.ts (README, "Testing"); ` +
        `npm test runs them, npm run test:unit does not.\n${new Error('opened here').stack}\n`,
    )
    process.exit(70)
  })
}
