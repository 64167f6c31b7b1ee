// AGORA_ADMIN_CLIENTS_FILE: client certificate fingerprints mapped to operator identities; a bad file stops the start.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseAdminClients, readAdminClients } from './admin-clients.ts'

const FP = 'ab'.repeat(32)
const parse = (value: unknown) => parseAdminClients(JSON.stringify(value), 'clients.json')

test('a good file maps each lowercase SHA-256 fingerprint to its subject and roles, as a certificate identity', () => {
  const clients = parse({ [FP]: { subject: 'deploy-bot', roles: ['operator'] }, ['cd'.repeat(32)]: { subject: 'back-office', roles: ['finance', 'regulator', 'finance'] } })
  assert.deepEqual(clients.get(FP), { subject: 'deploy-bot', roles: ['operator'], via: 'certificate' })
  assert.deepEqual(clients.get('cd'.repeat(32))?.roles, ['finance', 'regulator'])
  assert.equal(clients.size, 2)
})

test('an unknown role stops the start, naming the entry and the four roles', () => {
  assert.throws(() => parse({ [FP]: { subject: 'deploy-bot', roles: ['operator', 'superuser'] } }),
    /AGORA_ADMIN_CLIENTS_FILE clients\.json: (ab){32}: unknown role "superuser" \(roles: operator, finance, regulator, auditor\)/)
  assert.throws(() => parse({ [FP]: { subject: 'deploy-bot', roles: [] } }), /"roles" must be a non-empty list/)
  assert.throws(() => parse({ [FP]: { roles: ['operator'] } }), /"subject" must be a name/)
})

test('a fingerprint that is not 64 lowercase hex digits stops the start; a colon or uppercase form is shown normalized', () => {
  const colons = FP.toUpperCase().match(/../g)!.join(':')
  assert.throws(() => parse({ [colons]: { subject: 'deploy-bot', roles: ['operator'] } }), new RegExp(`not a SHA-256 fingerprint.*write it as ${FP}`))
  assert.throws(() => parse({ 'deadbeef': { subject: 'deploy-bot', roles: ['operator'] } }), /"deadbeef" is not a SHA-256 fingerprint/)
})

test('a file that is not a JSON object, or cannot be read, stops the start with its name', () => {
  assert.throws(() => parseAdminClients('{ nope', 'clients.json'), /clients\.json: not JSON/)
  assert.throws(() => parse([FP]), /must be an object/)
  const dir = mkdtempSync(path.join(tmpdir(), 'agora-clients-'))
  assert.throws(() => readAdminClients(path.join(dir, 'missing.json')), /missing\.json cannot be read/)
  writeFileSync(path.join(dir, 'clients.json'), JSON.stringify({ [FP]: { subject: 'deploy-bot', roles: ['auditor'] } }))
  assert.equal(readAdminClients(path.join(dir, 'clients.json')).get(FP)?.subject, 'deploy-bot')
  assert.equal(readAdminClients(undefined).size, 0)
})
