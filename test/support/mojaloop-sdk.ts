// Mojaloop's SDK scheme adapter (npm @mojaloop/sdk-scheme-adapter, installed apart by scripts/mojaloop-sdk.sh)
// as a real DFSP connector process: its inbound FSPIOP API for the switch's callbacks, its outbound API for
// the DFSP's core system, Redis (scripts/redis.sh) as its cache. Configured only by environment, as deployed.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'

const repo = path.resolve(import.meta.dirname, '../..')

export interface SdkInstall {
  entry: string
  node: string
}

/** Installs the SDK (once, a few minutes on a fresh machine) and starts Redis; both idempotent. */
export function ensureMojaloopSdk(): SdkInstall {
  const run = (script: string, arg: string) => execFileSync('bash', [path.join(repo, 'scripts', script), arg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 900_000 }).trim()
  run('redis.sh', 'start')
  const dir = run('mojaloop-sdk.sh', 'install').split('\n').at(-1)!
  return { entry: path.join(dir, 'node_modules/@mojaloop/sdk-scheme-adapter/src/index.js'), node: run('mojaloop-sdk.sh', 'node') }
}

export interface SdkAdapterOptions {
  dfspId: string
  /** host:port of the switch's FSPIOP API (the SDK prepends http://). */
  peerEndpoint: string
  /** host:port[/path] of the DFSP backend the SDK calls for parties, quotes and transfers. */
  backendEndpoint: string
  /** Redis database number, one per SDK process. */
  cacheDb: number
  /** The scheme's JWS on everything, PUT /parties too: sign with this key, check with `<fspId>.pem` keys. Off when absent. */
  jws?: { signingKeyFile: string; verificationKeysDir: string }
  env?: Record<string, string>
}

export interface SdkAdapter {
  dfspId: string
  inboundUrl: string
  outboundUrl: string
  logs(): string
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

const listening = (port: number) => new Promise<boolean>((resolve) => {
  const socket = connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true) })
  socket.on('error', () => resolve(false))
})

async function waitReady(child: ChildProcess, ports: number[], logs: () => string, timeout_ms: number): Promise<void> {
  const deadline = Date.now() + timeout_ms
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the SDK exited with ${child.exitCode} before it was ready:\n${logs()}`)
    if (logs().includes('Serving outbound API') && (await Promise.all(ports.map(listening))).every(Boolean)) return
    if (Date.now() > deadline) throw new Error(`the SDK was not ready within ${timeout_ms} ms:\n${logs()}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

export async function startSdkAdapter(install: SdkInstall, opts: SdkAdapterOptions): Promise<SdkAdapter> {
  const [inbound, outbound, metrics, test] = [await freePort(), await freePort(), await freePort(), await freePort()]
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    DFSP_ID: opts.dfspId,
    PEER_ENDPOINT: opts.peerEndpoint,
    ALS_ENDPOINT: opts.peerEndpoint,
    QUOTES_ENDPOINT: opts.peerEndpoint,
    TRANSFERS_ENDPOINT: opts.peerEndpoint,
    BACKEND_ENDPOINT: opts.backendEndpoint,
    INBOUND_LISTEN_PORT: String(inbound),
    OUTBOUND_LISTEN_PORT: String(outbound),
    METRICS_SERVER_LISTEN_PORT: String(metrics),
    TEST_LISTEN_PORT: String(test),
    CACHE_URL: `redis://127.0.0.1:${process.env.AGORA_REDIS_PORT ?? '6380'}/${opts.cacheDb}`,
    INBOUND_MUTUAL_TLS_ENABLED: 'false',
    OUTBOUND_MUTUAL_TLS_ENABLED: 'false',
    ...(opts.jws
      ? { JWS_SIGN: 'true', VALIDATE_INBOUND_JWS: 'true', JWS_SIGN_PUT_PARTIES: 'true', VALIDATE_INBOUND_PUT_PARTIES_JWS: 'true', JWS_SIGNING_KEY_PATH: opts.jws.signingKeyFile, JWS_VERIFICATION_KEYS_DIRECTORY: opts.jws.verificationKeysDir }
      : { JWS_SIGN: 'false', VALIDATE_INBOUND_JWS: 'false' }),
    ILP_SECRET: `agora-test-${opts.dfspId}-secret`,
    EXPIRY_SECONDS: '120',
    // Longer than the SDK's 30 s: on a loaded machine a fresh switch's Kafka consumers may take a while to join.
    REQUEST_PROCESSING_TIMEOUT_SECONDS: '60',
    LOG_INDENT: '0',
    ...opts.env,
  }
  // Its own empty working directory: the SDK reads a .env from there (dotenv).
  const cwd = mkdtempSync(path.join(tmpdir(), `agora-sdk-${opts.dfspId}-`))
  const child = spawn(install.node, [install.entry], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  const chunks: string[] = []
  child.stdout!.on('data', (d: Buffer) => chunks.push(d.toString()))
  child.stderr!.on('data', (d: Buffer) => chunks.push(d.toString()))
  const logs = () => chunks.join('')
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const killed = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(killed)
    }
    rmSync(cwd, { recursive: true, force: true })
  }
  try {
    await waitReady(child, [inbound, outbound], logs, 60_000)
  } catch (err) {
    await stop()
    throw err
  }
  return { dfspId: opts.dfspId, inboundUrl: `http://127.0.0.1:${inbound}`, outboundUrl: `http://127.0.0.1:${outbound}`, logs, stop }
}
