import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { crashPoints, noCrashPoints } from './crash-points.ts'

test('without a configured crash point every point is the no-op', () => {
  assert.equal(crashPoints(undefined), noCrashPoints)
})

test('an armed point SIGKILLs the process the countdown-th time it is reached, and other points never', () => {
  const script = `
    const { crashPoints } = await import('./switch/pipeline/crash-points.ts')
    const crash = crashPoints({ point: 'after-db-commit', countdown: 3 })
    for (let i = 1; i <= 5; i++) { crash('after-publish'); crash('after-db-commit'); console.log('passed', i) }`
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' })
  assert.equal(child.signal, 'SIGKILL', child.stderr)
  assert.deepEqual(child.stdout.trim().split('\n'), ['passed 1', 'passed 2'])
})
