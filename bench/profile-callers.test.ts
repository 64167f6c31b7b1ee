import { test } from 'node:test'
import assert from 'node:assert/strict'
import { callerChains } from './profile-callers.ts'

const frame = (functionName: string) => ({ functionName, url: `file:///x/${functionName}.js`, lineNumber: 1 })

test('a matching function\'s inclusive time is counted by its callers, the outermost match only', () => {
  // main → fetch → require → resolve (itself matching below a match: not counted twice); main → produce → require
  const profile = {
    nodes: [
      { id: 1, callFrame: frame('main'), children: [2, 5] },
      { id: 2, callFrame: frame('fetch'), children: [3] },
      { id: 3, callFrame: frame('require'), children: [4] },
      { id: 4, callFrame: frame('require2') },
      { id: 5, callFrame: frame('produce'), children: [6] },
      { id: 6, callFrame: frame('require') },
    ],
    samples: [3, 4, 4, 6, 1, 1, 1, 1, 1, 1],
  }
  const chains = callerChains(profile, /^require/, 2)
  assert.deepEqual(chains, [[0.3, 'fetch@x/fetch.js:1 < main@x/main.js:1'], [0.1, 'produce@x/produce.js:1 < main@x/main.js:1']])
})
