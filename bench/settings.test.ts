import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BENCH_PHASE_NAMES, benchSettings, parsePhases } from './settings.ts'

test('without BENCH_PHASES every phase runs, in run order', () => {
  assert.deepEqual(parsePhases(undefined), [...BENCH_PHASE_NAMES])
  assert.deepEqual(parsePhases(' '), [...BENCH_PHASE_NAMES])
  assert.equal(benchSettings({}).allPhases, true)
})

test('BENCH_PHASES picks phases by name, in run order whatever order they are given, ignoring spaces, case and repeats', () => {
  assert.deepEqual(parsePhases('g2p, split'), ['split', 'g2p'])
  assert.deepEqual(parsePhases('Crash,capacity,capacity,'), ['capacity', 'crash'])
  const s = benchSettings({ BENCH_PHASES: 'split,g2p' })
  assert.deepEqual(s.phases, ['split', 'g2p'])
  assert.equal(s.allPhases, false)
})

test('every phase named in BENCH_PHASES is still a run of all phases', () => {
  assert.equal(benchSettings({ BENCH_PHASES: BENCH_PHASE_NAMES.join(',') }).allPhases, true)
})

test('an unknown phase name is refused with the known ones listed, not silently skipped', () => {
  assert.throws(() => parsePhases('split,g2b'), /unknown phase "g2b".*known: position, capacity/)
})

test('the fixed rate and the G2P size come from the environment and are checked', () => {
  assert.deepEqual([benchSettings({}).fixedRate, benchSettings({}).g2pBeneficiaries], [200, 100_000])
  assert.deepEqual([benchSettings({ BENCH_RATE: '50', BENCH_G2P_BENEFICIARIES: '2000' }).fixedRate, benchSettings({ BENCH_G2P_BENEFICIARIES: '2000' }).g2pBeneficiaries], [50, 2000])
  assert.throws(() => benchSettings({ BENCH_RATE: '0' }), /BENCH_RATE/)
  assert.throws(() => benchSettings({ BENCH_G2P_BENEFICIARIES: '1e5x' }), /BENCH_G2P_BENEFICIARIES/)
})

test('the switch heap is npm start\'s 256 MB unless BENCH_SWITCH_HEAP_MB says otherwise', () => {
  assert.equal(benchSettings({}).switchHeapMb, 256)
  assert.equal(benchSettings({ BENCH_SWITCH_HEAP_MB: '1024' }).switchHeapMb, 1024)
  assert.throws(() => benchSettings({ BENCH_SWITCH_HEAP_MB: '16' }), /BENCH_SWITCH_HEAP_MB.*at least 64/)
})
