import { test } from 'node:test'
import assert from 'node:assert/strict'
import { tracingCost, type TracingRun } from './tracing-phase.ts'

const run = (tracing: TracingRun['tracing'], throughput_per_s: number) => ({ tracing, outcome: { result: { throughput_per_s } } }) as Pick<TracingRun, 'tracing' | 'outcome'>

test('the cost of tracing is the share of capacity lost at 1%, over both pairs', () => {
  assert.equal(tracingCost([run('off', 960), run('1%', 574), run('off', 940), run('1%', 566)]), 0.4)
  assert.equal(tracingCost([run('off', 500), run('1%', 510)]), -0.02, 'faster with tracing is noise, shown as it is')
})

test('without a run without tracing there is no cost to state', () => {
  assert.equal(tracingCost([run('1%', 500)]), 0)
})
