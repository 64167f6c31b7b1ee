// The deterministic simulation in the unit suite (no MariaDB, no Kafka): seeds of the real pipeline on
// in-memory ports with every invariant checked after every step, the same seed giving the same trace,
// and the planted bugs each found by the invariant they break. SIM_SEED=123 runs that seed alone;
// SIM_SEEDS=N runs N seeds (npm run simulate runs many more).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { describeFailure, runSimulation, type SimulationResult } from './simulation.ts'
import type { MutantName } from './mutants.ts'
import { CRASH_POINTS } from '../config/config.ts'

const SEEDS = Number(process.env.SIM_SEEDS ?? 100)
/** Seeds tried for each planted bug before the test gives up on finding it. */
const MUTANT_SEEDS_MAX = 40

test('every seed keeps I1-I8 at every step and at the end, crashes and redeliveries included', async () => {
  const only = process.env.SIM_SEED
  const seeds = only === undefined ? Array.from({ length: SEEDS }, (_, i) => i + 1) : [Number(only)]
  const transfers = { total: 0 }
  for (const seed of seeds) {
    const r = await runSimulation({ seed })
    assert.ok(r.ok, describeFailure(r))
    transfers.total += r.transfers
  }
  assert.ok(transfers.total > seeds.length, 'the runs made transfers')
})

test('the same seed gives the same trace; another seed another', async () => {
  const [a, b, c] = [await runSimulation({ seed: 42 }), await runSimulation({ seed: 42 }), await runSimulation({ seed: 43 })]
  assert.equal(a.trace, b.trace)
  assert.deepEqual(a.log, b.log)
  assert.notEqual(a.trace, c.trace)
})

test('the runs end transfers in every final state, through crashes, duplicates, payees\' answers and callbacks', async () => {
  const runs = []
  for (let seed = 1; seed <= 20; seed++) runs.push(await runSimulation({ seed }))
  const states = new Set(runs.flatMap((r) => Object.keys(r.states)))
  assert.deepEqual([...states].sort(), ['ABORTED', 'COMMITTED', 'EXPIRED'])
  assert.ok(runs.some((r) => r.crashes > 0))
  const logs = runs.flatMap((r) => r.log).join('\n')
  for (const point of CRASH_POINTS) assert.ok(logs.includes(`died at ${point}`), `some run dies at ${point}`)
  for (const seen of ['armed', 'answers fulfil', 'answers reject', 'answers abort', 'answers wrong-fulfilment', 'modified duplicate', 'again', 'duplicate prepare', 'modified prepare', 'deliver PUT', 'retrier claimed 1']) {
    assert.ok(logs.includes(seen), `some run shows "${seen}"`)
  }
})

async function firstFailure(mutant: MutantName): Promise<SimulationResult> {
  for (let seed = 1; seed <= MUTANT_SEEDS_MAX; seed++) {
    const r = await runSimulation({ seed, mutants: [mutant] })
    if (!r.ok) return r
  }
  assert.fail(`no seed in 1..${MUTANT_SEEDS_MAX} found the planted bug ${mutant}`)
}

async function caught(mutant: MutantName, invariant: string): Promise<void> {
  const r = await firstFailure(mutant)
  assert.ok(r.violations.some((v) => v.invariant === invariant), `${mutant}: expected ${invariant}, got ${describeFailure(r)}`)
  // The failure replays from its seed alone.
  const again = await runSimulation({ seed: r.seed, mutants: [mutant] })
  assert.deepEqual([again.failedAt, again.violations], [r.failedAt, r.violations])
}

test('the simulation catches a position batch that adds reservations to the NDC headroom instead of subtracting them (I4)', () => caught('ndc-headroom-adds-reserved', 'I4'))

test('the simulation catches a release that forgets to free the reserved amount (I2)', () => caught('release-keeps-reservation', 'I2'))

test('the simulation catches outbox rows lost on commit: callbacks a crash after the commit never sends (I6)', () => caught('outbox-rows-lost-on-commit', 'I6'))

test('the simulation catches offsets stored ahead of their batch\'s effects: prepares answered 202 that never take effect (I1)', () => caught('offsets-stored-ahead-of-effects', 'I1'))

test('the simulation catches a duplicate prepare that starts a final transfer again (I8)', () => caught('final-transfer-hidden-from-duplicates', 'I8'))

test('the simulation catches a bus that commits offsets before the effects are stored (I7)', () => caught('bus-offset-committed-before-effects', 'I7'))
