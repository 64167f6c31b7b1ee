// The crash suite's own MariaDB and Kafka, on ports and in a directory of their own, started with the
// project's scripts (scripts/mariadb.sh, scripts/kafka.sh) and killed with SIGKILL by the suite. The
// shared instances on 3307 and 9092, which other test runs use, are never touched.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { openKafkajsBus } from '../../switch/bus/kafkajs-bus.ts'
import { loadConfig } from '../../switch/config.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const run = promisify(execFile)

export const FAULTS_DB_PORT = 3317
export const FAULTS_KAFKA_PORT = 9192
const FAULTS_KAFKA_CONTROLLER_PORT = 9193
const KAFKA_READY_MS_MAX = 90_000

export interface PrivateDeps {
  dbPort: number
  kafkaBrokers: string
  startMariadb(): Promise<void>
  startKafka(): Promise<void>
  /** SIGKILL, as a power cut would; the data directory stays for the restart's recovery. */
  killMariadb(): void
  killKafka(): void
  /** Stops both (SIGTERM, then SIGKILL) and removes their data. */
  remove(): Promise<void>
}

export function privateDeps(): PrivateDeps {
  const dir = mkdtempSync(path.join(tmpdir(), 'agora-faults-'))
  const env = {
    ...process.env, AGORA_MARIADB_DIR: path.join(dir, 'mariadb'), AGORA_KAFKA_DIR: path.join(dir, 'kafka'),
    AGORA_DB_PORT: String(FAULTS_DB_PORT), AGORA_DB_BUFFER_POOL: '128M', AGORA_DB_LOG_FILE_SIZE: '48M',
    AGORA_KAFKA_PORT: String(FAULTS_KAFKA_PORT), AGORA_KAFKA_CONTROLLER_PORT: String(FAULTS_KAFKA_CONTROLLER_PORT), AGORA_KAFKA_HEAP: '512m',
    AGORA_KAFKA_BROKERS: `127.0.0.1:${FAULTS_KAFKA_PORT}`,
  }
  const script = (name: string, action: string) => run('bash', [path.join(root, 'scripts', name), action], { env, cwd: root })
  const kill = (pidFile: string) => {
    try { process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL') } catch {}
  }
  const kafkaBrokers = `127.0.0.1:${FAULTS_KAFKA_PORT}`
  return {
    dbPort: FAULTS_DB_PORT,
    kafkaBrokers,
    async startMariadb() { await script('mariadb.sh', 'start') },
    async startKafka() {
      await script('kafka.sh', 'start')
      await kafkaAnswers(kafkaBrokers)
    },
    killMariadb: () => kill(path.join(dir, 'mariadb', 'mariadb.pid')),
    killKafka: () => kill(path.join(dir, 'kafka', 'kafka.pid')),
    async remove() {
      await script('kafka.sh', 'stop').catch(() => {})
      await script('mariadb.sh', 'stop').catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A broker is ready when it describes its cluster (its port opens earlier). */
async function kafkaAnswers(brokers: string): Promise<void> {
  const deadline = Date.now() + KAFKA_READY_MS_MAX
  for (;;) {
    const bus = openKafkajsBus({ ...loadConfig().kafka, brokers: [brokers], clientId: 'agora-faults-probe' })
    try {
      if (await bus.isHealthy()) return
      if (Date.now() > deadline) throw new Error(`private Kafka on ${brokers} did not answer within ${KAFKA_READY_MS_MAX} ms`)
      await new Promise((r) => setTimeout(r, 500))
    } finally {
      await bus.close()
    }
  }
}
