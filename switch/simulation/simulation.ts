// The deterministic simulation (TigerBeetle's VOPR idea): one seed drives a run of the real pipeline on
// in-memory ports, choosing at every step what happens next: a DFSP sends a prepare (or a duplicate, or a
// modified duplicate), a payee answers, a consumer fetches some partitions, offsets are committed, the
// timeout scan, the outbox relay or the callback retrier runs, the clock moves or jumps, a DFSP goes
// down, the process crashes now or at a crash point. The invariants are checked after every step, and
// at the end once everything has drained. The same seed gives the same run: a failure names its seed.
import { createHash } from 'node:crypto'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'
import { CRASH_POINTS } from '../config/config.ts'
import type { FspiopVersion } from '../fspiop/headers.ts'
import type { Callback } from '../fspiop/callback.ts'
import type { TransferPrepareBody } from '../pipeline/messages.ts'
import { SCAN_INTERVAL_MS } from '../transfers/timeout-scanner.ts'
import { STALE_AFTER_MS } from '../pipeline/outbox-relay.ts'
import { createPrng, type Prng } from './prng.ts'
import { createSimClock, type SimClock } from './sim-clock.ts'
import { FLAKY, HEALTHY, SimDfsp, type DfspAction } from './dfsps.ts'
import { createSimNetwork } from './sim-network.ts'
import { createSimApi, type SimApi } from './sim-api.ts'
import { createMemoryBus, type FetchChooser, type MemoryBus } from '../bus/memory-bus.ts'
import { ALL_TOPICS } from '../pipeline/messages.ts'
import { SwitchProcess, topic } from './sim-process.ts'
import { createWorld, CURRENCY, PARTITIONS_PER_TOPIC, viewOf, type World } from './sim-world.ts'
import { checkAlways, checkAtEnd, type Expectations, type Violation } from './invariants.ts'
import { applyMutants, type MutantName } from './mutants.ts'

export const STEPS_DEFAULT = 120
/** Rounds of the drain at the end, each a pass of every consumer, scanner, relay, retrier and DFSP. */
export const DRAIN_ROUNDS_MAX = 60
export const TRANSFERS_MAX = 24
/** Fetches of one drain of the bus at most (a fetch handled again and again is a bug the invariants report). */
export const DRAIN_FETCHES_MAX = 2_000

const DFSPS = [
  { name: 'alpha', ndc: '1000', fundsIn: '2000', profile: HEALTHY },
  { name: 'bravo', ndc: '600', fundsIn: '500', profile: HEALTHY },
  { name: 'charlie', ndc: '800', fundsIn: '1500', profile: FLAKY },
]

const STEP_WEIGHTS = {
  prepare: 12, duplicatePrepare: 2, modifiedPrepare: 2, payeeAnswers: 10, fetch: 28,
  flushMarks: 4, timeoutScan: 4, relay: 3, retry: 6, tick: 10, jump: 2, dfspDown: 1, crash: 2, armCrash: 3,
} as const
type StepKind = keyof typeof STEP_WEIGHTS

export interface SimulationOptions {
  seed: number
  steps?: number
  mutants?: readonly MutantName[]
}

export interface SimulationResult {
  seed: number
  ok: boolean
  steps: number
  /** The step whose state broke an invariant ('end' for the final checks). */
  failedAt?: number | 'end'
  violations: Violation[]
  /** SHA-256 of the step log: the same seed gives the same trace. */
  trace: string
  log: string[]
  transfers: number
  /** How many transfers ended in each state. */
  states: Record<string, number>
  crashes: number
}

interface Sent {
  body: TransferPrepareBody
  version: FspiopVersion
  accept: FspiopVersion
}

class Run {
  readonly prng: Prng
  readonly clock: SimClock = createSimClock()
  readonly bus: MemoryBus
  readonly dfsps = new Map<string, SimDfsp>(DFSPS.map((d) => [d.name, new SimDfsp(d.name, d.profile)]))
  readonly secrets = new Map<string, string>()
  readonly sent: Sent[] = []
  readonly accepted = new Map<string, { hash: string }>()
  agenda: DfspAction[] = []
  readonly lines: string[] = []
  readonly hash = createHash('sha256')
  process!: SwitchProcess
  api!: SimApi
  world!: World
  crashes = 0

  constructor(readonly opts: SimulationOptions) {
    this.prng = createPrng(opts.seed)
    const prng = this.prng
    /** Which consumer fetches next and which partitions its fetch holds: the seed's. */
    const chooser: FetchChooser = { consumer: (waiting) => prng.int(waiting), partitions: (ready) => prng.subset(ready, 0.6) }
    this.bus = createMemoryBus({ topicPrefix: 'sim.', chooser, fetchMessagesMax: 8, now: () => this.clock.now_ms() })
  }

  note(line: string): void {
    const stamped = `${this.clock.now_ms() - 1_767_225_600_000} ${line}`
    this.lines.push(stamped)
    this.hash.update(stamped).update('\n')
  }

  async start(): Promise<void> {
    await this.bus.admin.createTopics(ALL_TOPICS.map((name) => ({ name: topic(name), partitions: PARTITIONS_PER_TOPIC, replicationFactor: 1, configs: {} })))
    const world = await createWorld(this.clock, DFSPS)
    this.world = { ...world, store: applyMutants(world.store, this.opts.mutants ?? []) }
    const network = createSimNetwork({ dfsps: this.dfsps, prng: this.prng, clock: this.clock, delivered: (d, c) => this.delivered(d, c) })
    const apiProducer = this.bus.producer()
    this.api = createSimApi({
      hubName: 'Hub', topic, clock: this.clock, directory: world.directory,
      publish: (messages) => apiProducer.send(messages),
      payerAccountOf: async (id) => world.store.ledger.transfers.get(id)?.payer_account_id,
    })
    this.boot = () => new SwitchProcess({ store: this.world.store, bus: this.bus, clock: this.clock, network, prng: this.prng, answerBeforeEffects: this.opts.mutants?.includes('bus-offset-committed-before-effects') })
    this.process = this.boot()
  }

  boot!: () => SwitchProcess

  delivered(dfsp: SimDfsp, callback: Callback): void {
    this.note(`deliver ${callback.method} ${callback.path} → ${dfsp.name}`)
    if (callback.method !== 'POST' || callback.resource !== 'transfers') return
    const body = callback.body as TransferPrepareBody
    this.agenda.push(...dfsp.planAnswers(this.prng, body, callback.version, this.secrets.get(body.transferId), this.clock.now_ms()))
  }

  transferId(): string {
    const hex = Array.from({ length: 4 }, () => this.prng.int(2 ** 32).toString(16).padStart(8, '0')).join('')
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  }

  async sendPrepare(sent: Sent, label: string): Promise<void> {
    const answer = await this.api.prepare(sent.body, sent.version, sent.accept)
    if (answer.status === 202 && answer.message && !this.accepted.has(sent.body.transferId)) this.accepted.set(sent.body.transferId, { hash: answer.message.hash })
    this.note(`${label} ${sent.body.transferId.slice(0, 8)} ${sent.body.payerFsp}→${sent.body.payeeFsp} ${sent.body.amount.amount} → ${answer.status}`)
  }

  async step(kind: StepKind): Promise<void> {
    const p = this.prng
    switch (kind) {
      case 'prepare': {
        if (this.sent.length >= TRANSFERS_MAX) return
        const [payer, payee] = p.shuffle([...this.dfsps.keys()])
        const fulfilment = p.bytes32()
        const id = this.transferId()
        this.secrets.set(id, fulfilment)
        const version = p.weighted({ '1.0': 1, '1.1': 6, '2.0': 3 }) as FspiopVersion
        const body: TransferPrepareBody = {
          transferId: id, payerFsp: payer!, payeeFsp: p.chance(0.03) ? 'nobody' : payee!, amount: { amount: String(p.between(1, 400)), currency: CURRENCY },
          ilpPacket: 'AYIBgQAAAAAAAASwNGxldmVsb25lLmRmc3AxLm1lci45T2RTOF81MDdqUUZERmZlakgyOVc4bXFmNEpLMHlGTFGCAUBQU0svMS4wCk5vbmNlOiB1SXlweUYzY3pYSXBFdzVVc05TYWh3CkVuY3J5cHRpb246IG5vbmUKUGF5bWVudC1JZDogMTMyMzZhM2ItOGZhOC00MTYzLTg0NDctNGMzZWQzZGE5OGE3CgpDb250ZW50LUxlbmd0aDogMTM1CkNvbnRlbnQtVHlwZTogYXBwbGljYXRpb24vanNvbgpTZW5kZXItSWRlbnRpZmllcjogOTI4MDYzOTEKCiJ7XCJmZWVcIjowLFwidHJhbnNmZXJDb2RlXCI6XCJpbnZvaWNlXCIsXCJkZWJpdE5hbWVcIjpcImFsaWNlIGNvb3BlclwiLFwiY3JlZGl0TmFtZVwiOlwibWVyIGNoYW50XCIsXCJkZWJpdElkZW50aWZpZXJcIjpcIjkyODA2MzkxXCJ9IgA',
          condition: conditionOf(fulfilment), expiration: new Date(this.clock.now_ms() + p.between(2_000, 30_000)).toISOString(),
        }
        const sent = { body, version, accept: version }
        this.sent.push(sent)
        return this.sendPrepare(sent, 'prepare')
      }
      case 'duplicatePrepare':
        if (this.sent.length > 0) await this.sendPrepare(p.pick(this.sent), 'duplicate prepare')
        return
      case 'modifiedPrepare': {
        if (this.sent.length === 0) return
        const original = p.pick(this.sent)
        const body = { ...original.body, amount: { ...original.body.amount, amount: String(Number(original.body.amount.amount) + 1) } }
        return this.sendPrepare({ ...original, body }, 'modified prepare')
      }
      case 'payeeAnswers': {
        const due = this.agenda.filter((a) => a.due_ms <= this.clock.now_ms())
        if (due.length === 0) return
        const action = p.pick(due)
        this.agenda = this.agenda.filter((a) => a !== action)
        const answer = await this.api.answer(action.from, action.transferId, action.version, action.request)
        this.note(`${action.from} answers ${action.label} ${action.transferId.slice(0, 8)} → ${answer.status}`)
        return
      }
      case 'fetch': this.note(`fetch: ${await this.bus.step()}`); return
      case 'flushMarks': await this.process.flushMarks(); this.note('published marks flushed'); return
      case 'timeoutScan': this.note(`timeout scan: ${await this.process.scanOnce()}`); return
      case 'relay': await this.process.relayOnce(); this.note('outbox relay'); return
      case 'retry': this.note(`retrier claimed ${await this.process.retryOnce()}`); return
      case 'tick': { const ms = p.between(1, 600); this.clock.advance(ms); this.note(`tick ${ms}`); return }
      case 'jump': { const ms = p.between(5_000, 35_000); this.clock.advance(ms); this.note(`jump ${ms}`); return }
      case 'dfspDown': {
        const dfsp = p.pick([...this.dfsps.values()])
        dfsp.down_until_ms = this.clock.now_ms() + p.between(1_000, 20_000)
        this.note(`${dfsp.name} down until +${dfsp.down_until_ms - this.clock.now_ms()}`)
        return
      }
      case 'crash': this.process.kill(); this.note('crash'); return
      case 'armCrash': {
        const point = p.pick(CRASH_POINTS)
        const countdown = p.between(1, 3)
        this.process.arm(point, countdown)
        this.note(`armed ${point} ×${countdown}`)
        return
      }
    }
  }

  restartIfDead(): void {
    if (!this.process.dead) return
    this.process.kill()
    this.crashes++
    this.note(this.process.diedAt ? `died at ${this.process.diedAt}; process restarted` : 'process restarted')
    this.process = this.boot()
  }

  /** Lets every try and write the step started finish (they are promise chains, no timers). */
  async settle(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve))
  }

  expectations(): Expectations {
    return { accepted: this.accepted, heard: (recipient, id) => this.dfsps.get(recipient)?.heardFinal(id) ?? false }
  }

  async check(end: boolean): Promise<Violation[]> {
    const failure = this.process.failure
    if (failure) return [{ invariant: 'assertion', message: `the pipeline threw: ${failure.message}` }]
    const view = await viewOf(this.world, this.bus)
    return end ? checkAtEnd(view, this.expectations()) : checkAlways(view, this.expectations())
  }

  /** Past every expiry and scan; DFSPs back up; everything run until nothing is left to do. */
  async drain(): Promise<void> {
    const latest = Math.max(this.clock.now_ms(), ...this.sent.map((s) => Date.parse(s.body.expiration)), ...this.agenda.map((a) => a.due_ms))
    this.clock.advance(latest - this.clock.now_ms() + SCAN_INTERVAL_MS)
    this.note('drain')
    for (let round = 0; round < DRAIN_ROUNDS_MAX; round++) {
      for (const d of this.dfsps.values()) d.down_until_ms = 0
      for (const action of this.agenda.splice(0)) {
        const answer = await this.api.answer(action.from, action.transferId, action.version, action.request)
        this.note(`${action.from} answers ${action.label} ${action.transferId.slice(0, 8)} → ${answer.status}`)
      }
      await this.process.scanOnce()
      const fetched = await this.bus.poll(DRAIN_FETCHES_MAX)
      await this.process.flushMarks()
      await this.process.relayOnce()
      await this.process.retryOnce()
      await this.settle()
      await this.process.retryOnce()
      await this.settle()
      this.restartIfDead()
      if (this.process.failure) return
      if (fetched === 0 && this.idle()) return
      this.clock.advance(Math.max(STALE_AFTER_MS + 1, 61_000))
    }
    this.note('drain did not finish')
  }

  private idle(): boolean {
    const store = this.world.store
    const unpublished = store.tables.outbox.some((r) => r.published_at === null)
    return !unpublished && store.tables.callbacks.retries.size === 0 && this.agenda.length === 0
  }
}

export async function runSimulation(opts: SimulationOptions): Promise<SimulationResult> {
  const run = new Run(opts)
  await run.start()
  const steps = opts.steps ?? STEPS_DEFAULT
  const result = (ok: boolean, failedAt: number | 'end' | undefined, violations: Violation[]): SimulationResult => ({
    seed: opts.seed, ok, steps, failedAt, violations, trace: run.hash.digest('hex'), log: run.lines, transfers: run.sent.length, crashes: run.crashes,
    states: run.world.store.ledger.transfers.values().reduce<Record<string, number>>((n, t) => ({ ...n, [t.state]: (n[t.state] ?? 0) + 1 }), {}),
  })
  const thrown = (error: unknown): Violation[] => [{ invariant: 'assertion', message: `the pipeline threw: ${(error as Error).message}` }]
  for (let i = 1; i <= steps; i++) {
    const kind = run.prng.weighted(STEP_WEIGHTS)
    try {
      await run.step(kind)
      await run.settle()
    } catch (error) {
      return result(false, i, thrown(error))
    }
    run.restartIfDead()
    const violations = await run.check(false)
    if (violations.length > 0) return result(false, i, violations)
  }
  try {
    await run.drain()
  } catch (error) {
    return result(false, 'end', thrown(error))
  }
  const violations = await run.check(true)
  return result(violations.length === 0, violations.length === 0 ? undefined : 'end', violations)
}

/** One line for a failure: the seed replays it (SIM_SEED=…). */
export function describeFailure(r: SimulationResult): string {
  return `simulation seed ${r.seed} failed at step ${r.failedAt}: ${r.violations.map((v) => `${v.invariant} ${v.message}`).join('; ')} (replay: SIM_SEED=${r.seed})`
}
