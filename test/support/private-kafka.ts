// A Kafka broker of one test's own (KRaft, single node, as scripts/kafka.sh runs the shared one), on free
// ports, from the jars scripts/kafka.sh fetched. A test may freeze (SIGSTOP), resume and kill this one: the
// shared broker on 9092 is never touched.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync, rmSync, existsSync, readdirSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { homedir, tmpdir } from 'node:os'
import path from 'node:path'

/** How long the private broker may take to listen (a JVM start on a loaded 2-core machine). */
export const PRIVATE_KAFKA_START_MS_MAX = 90_000

export interface PrivateKafka {
  port: number
  brokers: string
  /** SIGSTOP: connections stay open, nothing is answered (a hung broker). */
  freeze(): void
  /** SIGCONT. */
  resume(): void
  stop(): Promise<void>
}

function kafkaLibs(): string {
  const home = process.env.AGORA_HOME ?? path.join(homedir(), '.cache', 'agora')
  const dir = readdirSync(home).filter((d) => /^kafka-\d/.test(d)).sort().at(-1)
  const libs = dir && path.join(home, dir, 'libs')
  if (!libs || !existsSync(libs)) throw new Error(`no Kafka jars under ${home} (run scripts/kafka.sh fetch)`)
  return libs
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

const listening = (port: number) => new Promise<boolean>((resolve) => {
  const socket = connect(port, '127.0.0.1')
  socket.once('connect', () => { socket.destroy(); resolve(true) })
  socket.once('error', () => resolve(false))
})

export async function startPrivateKafka(): Promise<PrivateKafka> {
  const libs = kafkaLibs()
  const dir = mkdtempSync(path.join(tmpdir(), 'agora-private-kafka-'))
  const [port, controllerPort] = [await freePort(), await freePort()]
  const properties = path.join(dir, 'server.properties')
  writeFileSync(properties, [
    'process.roles=broker,controller', 'node.id=1', `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`, `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER', 'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT', 'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${path.join(dir, 'data')}`, 'num.partitions=1', 'offsets.topic.replication.factor=1', 'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1', 'transaction.state.log.min.isr=1', 'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1', 'min.insync.replicas=1', 'default.replication.factor=1', 'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
  ].join('\n'))
  writeFileSync(path.join(dir, 'log4j2.properties'), 'status = warn\nrootLogger.level = warn\n')
  const java = ['-Xms128m', '-Xmx384m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', `-Dlog4j2.configurationFile=${path.join(dir, 'log4j2.properties')}`, '-cp', `${libs}/*`]
  execFileSync('java', [...java, 'kafka.tools.StorageTool', 'format', '-t', randomBytes(16).toString('base64url'), '-c', properties], { stdio: 'pipe' })
  const child: ChildProcess = spawn('java', [...java, 'kafka.Kafka', properties], { stdio: 'ignore' })
  const deadline = Date.now() + PRIVATE_KAFKA_START_MS_MAX
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`private Kafka did not start on ${port}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return {
    port, brokers: `127.0.0.1:${port}`,
    freeze: () => { child.kill('SIGSTOP') },
    resume: () => { child.kill('SIGCONT') },
    async stop() {
      child.kill('SIGCONT')
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGKILL')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
