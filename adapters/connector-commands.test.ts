import { test } from 'node:test'
import assert from 'node:assert/strict'
import { main } from '../switch/cli/agora.ts'

async function printed(argv: string[]): Promise<string> {
  const lines: string[] = []
  const log = console.log
  console.log = (...args: unknown[]) => { lines.push(args.join(' ')) }
  try {
    await main(argv)
  } finally {
    console.log = log
  }
  return lines.join('\n')
}

test('`agora connector gsma --help` prints the GSMA connector’s usage, `agora connector sync --help` the synchronous one', async () => {
  const gsma = await printed(['connector', 'gsma', '--help'])
  assert.match(gsma, /^usage: agora connector gsma --config FILE/)
  assert.doesNotMatch(gsma, /connector sync/)
  assert.match(await printed(['connector', 'sync', '--help']), /^usage: agora connector sync --config FILE/)
})

test('`agora connector` alone lists every connector', async () => {
  const usage = await printed(['connector', '--help'])
  assert.match(usage, /connector sync --config FILE/)
  assert.match(usage, /connector gsma --config FILE/)
})
