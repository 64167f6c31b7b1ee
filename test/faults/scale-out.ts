// Scale-out (`npm run test:faults`): the switch as separate processes per role, two API processes, two
// position processes, one each of notification, timeout and quote, on the shared Kafka and MariaDB, under a
// steady load of transfers sent through both APIs; one position process SIGKILLed mid-load. Checked: while
// both position processes run, the group's co-partitioned assignment gives partition p of transfer.prepare
// and transfer.position to one member, and no position account (the key of both topics) is handled by both
// (the keys of every fetch each process handled, from its debug log); after the kill the group rebalances
// onto the survivor, which takes the killed one's partitions; a new position process started under load gets
// a co-partitioned share again; and against the client's own log, every prepare answered 202 reached exactly
// one final state, the invariants I1-I8 hold and every party was told.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadConfig } from '../../switch/config/config.ts'
import { openDb } from '../../ledger/store/db.ts'
import { openKafkajsBus } from '../../switch/bus/kafkajs-bus.ts'
import { CO_PARTITIONED_PROTOCOL } from '../../switch/bus/kafkajs-assigner.ts'
import { TOPICS } from '../../switch/pipeline/messages.ts'
import { checkInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { partiesTold, pipelineInvariants } from '../../switch/invariants/pipeline-invariants.ts'
import { createSwitchTopics } from '../support/kafka.ts'
import { onboardDfsp, setupHub } from '../support/fixtures.ts'
import { randomPort } from '../support/switch-process.ts'
import { startRoleProcess, type RoleProcess } from './role-processes.ts'
import { waitForGroup, type GroupDescription } from './group-members.ts'
import { adminOverHttp } from './admin-over-http.ts'
import { startLoadClient, type LoadClient } from './load-client.ts'
import { checkClientLog, waitForFinalStates } from './client-log-checks.ts'

const PARTITIONS = 3
const RATE_PER_S = 25
const BEFORE_KILL_MS = 8_000
const AFTER_KILL_MS = 12_000
const AFTER_SCALE_UP_MS = 6_000
const EXPIRES_IN_MS = 15_000
const SETTLE_MS = 30_000
const REBALANCE_MS_MAX = 60_000
const DFSPS = ['scalealpha', 'scalebravo', 'scalecharlie', 'scaledelta', 'scaleecho', 'scalefoxtrot', 'scalegolf', 'scalehotel']

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface FetchHandled {
  time: number
  group: string
  batches: { topic: string; partition: number; keys: string[] }[]
}

/** Partition p of every topic with one member, each partition with exactly one; memberId → partitions. */
function coPartitioned(g: GroupDescription, topics: string[], members: number): Map<string, number[]> | undefined {
  if (g.state !== 'Stable' || g.protocol !== CO_PARTITIONED_PROTOCOL || g.members.length !== members) return undefined
  const owned = new Map<string, number[]>()
  for (const m of g.members) {
    const perTopic = topics.map((t) => [...(m.assignment[t] ?? [])].sort((a, b) => a - b))
    if (perTopic.some((p) => JSON.stringify(p) !== JSON.stringify(perTopic[0]))) return undefined
    owned.set(m.clientId, perTopic[0]!)
  }
  const all = [...owned.values()].flat().sort((a, b) => a - b)
  return JSON.stringify(all) === JSON.stringify(Array.from({ length: PARTITIONS }, (_, i) => i)) ? owned : undefined
}

test('scaled out per role, each position account has one owner while two position processes run; one killed mid-load and one started lose or double nothing', { timeout: 15 * 60_000 }, async (t) => {
  const database = `agora_scale_${randomBytes(4).toString('hex')}`
  const prefix = `${database}.`
  const logDir = mkdtempSync(path.join(tmpdir(), 'agora-scale-out-'))
  const config = loadConfig()
  const brokers = [...config.kafka.brokers]
  const env = { AGORA_DB_NAME: database, AGORA_KAFKA_TOPIC_PREFIX: prefix, AGORA_KAFKA_PARTITIONS: String(PARTITIONS) }
  const positionGroup = `${prefix}position`
  const positionTopics = [`${prefix}${TOPICS.prepare}`, `${prefix}${TOPICS.position}`]
  const base = randomPort()
  let slot = 0
  const processes: RoleProcess[] = []
  const start = (name: string, roles: string, logLevel?: string) => {
    const p = startRoleProcess({ name, roles, port: base + 2 * slot++, env, logDir, logLevel })
    processes.push(p)
    return p
  }
  let client: LoadClient | undefined
  let passed = false
  const db = openDb({ ...config.db, database, poolMax: 4 })
  const bus = openKafkajsBus({ ...config.kafka, clientId: 'agora-scale-out-check', topicPrefix: prefix, partitions: PARTITIONS })
  try {
    await createSwitchTopics(env)
    // The first API process also serves the admin API and migrates the database; the others start after it.
    const api1 = start('api-1', 'api,admin')
    await api1.healthy()
    const api2 = start('api-2', 'api')
    const others = [start('notification', 'notification'), start('timeout', 'timeout'), start('quote', 'quote')]
    const position1 = start('position-1', 'position', 'debug')
    const position2 = start('position-2', 'position', 'debug')
    await Promise.all([api2, ...others, position1, position2].map((p) => p.healthy()))
    const both = await waitForGroup(brokers, positionGroup, (g) => coPartitioned(g, positionTopics, 2) !== undefined, REBALANCE_MS_MAX)
    const ownedWhileBoth = coPartitioned(both, positionTopics, 2)!
    for (const p of [position1, position2]) assert.ok((ownedWhileBoth.get(`agora-${p.name}`) ?? []).length > 0, `${p.name} owns partitions (${JSON.stringify(both)})`)

    const admin = adminOverHttp(api1.adminUrl)
    client = await startLoadClient({ apiUrl: api1.url, apiUrls: [api1.url, api2.url], names: DFSPS, expiresIn_ms: EXPIRES_IN_MS })
    await setupHub(admin, 'USD')
    const accountOf = new Map<string, string>()
    for (const d of client.dfsps) {
      const { positionAccountId } = await onboardDfsp(admin, { name: d.name, ndc: '10000000', fundsIn: '10000000', endpointBase: d.url })
      accountOf.set(String(positionAccountId), d.name)
    }

    client.start(RATE_PER_S)
    await pause(BEFORE_KILL_MS)
    // The assignment held the whole time (no rebalance), then position-2 dies mid-load.
    const beforeKill = await waitForGroup(brokers, positionGroup, () => true, 5_000)
    assert.deepEqual(coPartitioned(beforeKill, positionTopics, 2), ownedWhileBoth, 'no rebalance while both ran')
    const killedAt = Date.now()
    await position2.kill('SIGKILL')
    const rebalanced = await waitForGroup(brokers, positionGroup, (g) => coPartitioned(g, positionTopics, 1) !== undefined, REBALANCE_MS_MAX)
    const rebalanced_ms = Date.now() - killedAt
    assert.equal(rebalanced.members[0]!.clientId, `agora-${position1.name}`)
    await pause(Math.max(0, AFTER_KILL_MS - rebalanced_ms))
    // Scaled up again under load: a new position process joins and the group splits co-partitioned again.
    const position3 = start('position-3', 'position', 'debug')
    await position3.healthy()
    const joinedAt = Date.now()
    const rejoined = await waitForGroup(brokers, positionGroup, (g) => coPartitioned(g, positionTopics, 2) !== undefined, REBALANCE_MS_MAX)
    const ownedAfterScaleUp = coPartitioned(rejoined, positionTopics, 2)!
    await pause(AFTER_SCALE_UP_MS)
    await client.stop()

    await waitForFinalStates(db, client, Date.now() + EXPIRES_IN_MS + SETTLE_MS)
    await pause(5_000) // callbacks of the last final states, and their retries
    const outcome = await checkClientLog(db, client)
    const heard = (dfsp: string, id: string) => client!.heard(dfsp, id).some((c) => c.method !== 'POST')
    const invariants = await checkInvariants(db, { ...pipelineInvariants({ bus, expirySlack_ms: 5_000 }), partiesTold: partiesTold(heard) })
    for (const p of processes.filter((x) => x.running())) await p.kill('SIGTERM') // flushes each log

    // What each position process handled: the keys (position accounts) and partitions of its fetches.
    const handled = (p: RoleProcess, from: number, to: number) => (p.logged('fetch handled') as FetchHandled[])
      .filter((f) => f.group === positionGroup && f.time >= from && f.time < to).flatMap((f) => f.batches)
    const window = [0, killedAt] as const
    const handlersOf = new Map<string, Set<string>>()
    for (const p of [position1, position2]) {
      const batches = handled(p, ...window)
      assert.ok(batches.length > 0, `${p.name} handled fetches while both ran`)
      const mine = ownedWhileBoth.get(`agora-${p.name}`)!
      const foreign = batches.filter((b) => !mine.includes(b.partition))
      assert.deepEqual(foreign.map((b) => `${b.topic}[${b.partition}]`), [], `${p.name} handled only its own partitions ${mine}`)
      for (const b of batches) for (const key of b.keys) handlersOf.set(key, (handlersOf.get(key) ?? new Set()).add(p.name))
    }
    const shared = [...handlersOf].filter(([, by]) => by.size > 1).map(([key, by]) => `${accountOf.get(key) ?? key}: ${[...by]}`)
    assert.deepEqual(shared, [], 'position accounts handled by both position processes while both ran')
    const takenOver = handled(position1, killedAt, Number.POSITIVE_INFINITY).map((b) => b.partition)
    for (const partition of ownedWhileBoth.get(`agora-${position2.name}`)!) assert.ok(takenOver.includes(partition), `position-1 handled partition ${partition} after position-2 died`)
    assert.ok(handled(position3, joinedAt, Number.POSITIVE_INFINITY).length > 0, 'position-3 handled fetches once it joined')

    t.diagnostic(JSON.stringify({
      sent: client.sent.length, accepted: outcome.accepted, refused: outcome.refused, finalStates: outcome.finalStates,
      ownedWhileBoth: Object.fromEntries(ownedWhileBoth), accountsByOwner: Object.fromEntries([...handlersOf].map(([k, by]) => [accountOf.get(k) ?? k, [...by][0]])),
      ownedAfterScaleUp: Object.fromEntries(ownedAfterScaleUp), rebalanced_ms,
    }))
    assert.deepEqual(outcome.violations.slice(0, 20), [], `${outcome.violations.length} client-log violations (logs in ${logDir})`)
    assert.deepEqual(invariants.slice(0, 20), [], `${invariants.length} invariant violations (logs in ${logDir})`)
    assert.ok(outcome.accepted > 0, 'transfers were accepted')
    passed = true
  } finally {
    await client?.stop().catch(() => {})
    for (const p of processes) await p.kill('SIGTERM')
    await client?.close()
    await bus.close()
    await db.raw('DROP DATABASE IF EXISTS ??', [database]).catch(() => {})
    await db.destroy()
    if (passed) rmSync(logDir, { recursive: true, force: true })
    else t.diagnostic(`logs kept in ${logDir}`)
  }
})
