import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadLine, type PhaseOutcome } from './phase-outcome.ts'

test('each phase is stated with the load average it ran under; a phase without one is left out', () => {
  const phase = (name: string, load?: [number, number]) => ({ name, load }) as PhaseOutcome
  assert.equal(loadLine([phase('capacity', [4.21, 5.08]), phase('crash'), phase('latency at 70%', [3, 3.3])]), 'capacity 4.2 → 5.1; latency at 70% 3.0 → 3.3')
})
