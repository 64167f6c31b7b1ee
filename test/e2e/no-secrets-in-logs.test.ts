// No secrets or payment data in the switch's logs or traces: a whole flow (an operator's web login, a funds
// in, a lookup, a quote, transfers, the hub signing its own callbacks) runs with logs at level trace and
// every span kept, and neither holds a password, a token, a cookie, an Authorization header, key material,
// a signature, an ILP packet, a condition, a fulfilment, a party identifier or a party's name.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { findLeaks, type Secret } from '../support/secret-grep.ts'

const run = promisify(execFile)
const script = fileURLToPath(new URL('./logged-flow-process.ts', import.meta.url))

test('an e2e flow leaves no secret, party identifier, name or ILP data in the logs or the spans', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'agora-nosecrets-'))
  try {
    const [logFile, spanFile, keyFile] = ['switch.log', 'spans.jsonl', 'hub-key.pem'].map((f) => path.join(dir, f)) as [string, string, string]
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script, logFile, spanFile, keyFile], { timeout: 240_000, maxBuffer: 16 * 1024 * 1024 })
    const { secrets: s, condition, spans } = JSON.parse(stdout.trim().split('\n').pop()!)
    const secrets: Secret[] = [
      { label: 'password', value: s.password }, { label: 'wrong password', value: s.wrongPassword }, { label: 'bearer token', value: s.bearerToken },
      { label: 'session cookie', value: s.sessionCookie }, { label: 'session cookie (decoded)', value: decodeURIComponent(s.sessionCookie).split('|').pop()! },
      { label: 'payee MSISDN', value: s.msisdn }, { label: 'payer MSISDN', value: s.payerMsisdn }, { label: 'first name', value: s.firstName }, { label: 'last name', value: s.lastName },
      { label: 'ILP packet', value: s.ilpPacket }, { label: 'condition', value: condition }, { label: 'fulfilment', value: s.fulfilment },
      { label: 'hub private key', value: s.privateKeyLine }, ...s.hubSignatures.map((value: string) => ({ label: 'FSPIOP-Signature', value })),
    ]
    const logs = await readFile(logFile, 'utf8')
    const traces = await readFile(spanFile, 'utf8')
    assert.match(logs, /"msg":"callback dead-lettered"/, 'the switch logged the refused callback')
    assert.ok(spans > 50, `spans were captured (${spans})`)
    assert.match(traces, /"url\.path":"\/parties\/MSISDN\/\{ID\}"/, 'the party route is kept, without the party')
    const leaks = [...findLeaks(logs, 'logs', secrets), ...findLeaks(traces, 'spans', secrets)]
    assert.deepEqual(leaks, [])
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
