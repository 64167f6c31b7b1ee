import { test } from 'node:test'
import assert from 'node:assert/strict'
import { memoizedResolve } from './resolve-cache.ts'

test('a request from one module is resolved once; from another module, or with options, again', () => {
  const calls: string[] = []
  const resolve = memoizedResolve((request, parent) => { calls.push(`${parent?.filename}:${request}`); return `${parent?.filename}/../${request}.js` })
  const a = { filename: '/x/a.js' }
  const b = { filename: '/y/b.js' }
  assert.equal(resolve('./v11', a), '/x/a.js/.././v11.js')
  assert.equal(resolve('./v11', a), '/x/a.js/.././v11.js')
  assert.equal(resolve('./v11', b), '/y/b.js/.././v11.js')
  resolve('./v11', a, false, { paths: ['/z'] })
  assert.deepEqual(calls, ['/x/a.js:./v11', '/y/b.js:./v11', '/x/a.js:./v11'])
})

test('a failed resolution is not remembered: it throws every time', () => {
  let tries = 0
  const resolve = memoizedResolve(() => { tries++; throw new Error('Cannot find module') })
  assert.throws(() => resolve('missing', { filename: '/x/a.js' }))
  assert.throws(() => resolve('missing', { filename: '/x/a.js' }))
  assert.equal(tries, 2)
})
