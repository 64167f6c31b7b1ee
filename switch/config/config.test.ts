import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadConfig, requireAdminTlsSettings, requireTlsSettings, ROLES } from './config.ts'

test('defaults run everything on loopback', () => {
  const config = loadConfig({})
  assert.equal(config.http.host, '127.0.0.1')
  assert.equal(config.db.port, 3307)
  assert.deepEqual([...config.roles], [...ROLES])
  assert.equal(config.tracing.enabled, false)
})

test('settings come from the environment and are checked', () => {
  const config = loadConfig({ AGORA_ROLES: 'api,position', AGORA_KAFKA_BROKERS: 'a:1, b:2', AGORA_TRACING: 'true' })
  assert.deepEqual([...config.roles], ['api', 'position'])
  assert.deepEqual(config.kafka.brokers, ['a:1', 'b:2'])
  assert.equal(config.tracing.enabled, true)
  assert.throws(() => loadConfig({ AGORA_ROLES: 'api,bogus' }), /unknown role/)
  assert.throws(() => loadConfig({ AGORA_DB_PORT: 'x' }), /whole number/)
  assert.throws(() => loadConfig({ AGORA_TRACING_SAMPLE_RATIO: '2' }), /between 0 and 1/)
})

test('JWS signing and inbound validation are separate switches, named after Mojaloop\'s JWS_SIGN and VALIDATE_INBOUND_JWS', () => {
  assert.deepEqual(loadConfig({}).jws, { sign: false, validateInbound: false, hubPrivateKeyFile: undefined, dateWindow_s: 300 })
  const signOnly = loadConfig({ AGORA_JWS_SIGN: 'true', AGORA_JWS_HUB_KEY_FILE: '/keys/hub.pem' }).jws
  assert.deepEqual(signOnly, { sign: true, validateInbound: false, hubPrivateKeyFile: '/keys/hub.pem', dateWindow_s: 300 })
  assert.deepEqual(loadConfig({ AGORA_VALIDATE_INBOUND_JWS: 'true' }).jws, { sign: false, validateInbound: true, hubPrivateKeyFile: undefined, dateWindow_s: 300 })
})

test('AGORA_JWS is the shorthand for both, and either explicit setting wins over it', () => {
  assert.deepEqual(loadConfig({ AGORA_JWS: 'true', AGORA_JWS_HUB_KEY_FILE: '/k.pem' }).jws, { sign: true, validateInbound: true, hubPrivateKeyFile: '/k.pem', dateWindow_s: 300 })
  assert.equal(loadConfig({ AGORA_JWS: 'true', AGORA_JWS_HUB_KEY_FILE: '/k.pem', AGORA_VALIDATE_INBOUND_JWS: 'false' }).jws.validateInbound, false)
  assert.equal(loadConfig({ AGORA_JWS: 'true', AGORA_JWS_SIGN: 'off' }).jws.sign, false)
})

test('the window a signed Date must fall in is AGORA_JWS_DATE_WINDOW_S seconds, 300 unless set', () => {
  assert.equal(loadConfig({ AGORA_VALIDATE_INBOUND_JWS: 'true', AGORA_JWS_DATE_WINDOW_S: '60' }).jws.dateWindow_s, 60)
  assert.throws(() => loadConfig({ AGORA_JWS_DATE_WINDOW_S: '5m' }), /AGORA_JWS_DATE_WINDOW_S must be a whole number/)
})

test('signing needs the hub key, and the JWS switches take only true or false', () => {
  assert.throws(() => loadConfig({ AGORA_JWS_SIGN: 'true' }), /AGORA_JWS_SIGN needs AGORA_JWS_HUB_KEY_FILE/)
  assert.throws(() => loadConfig({ AGORA_JWS: 'true' }), /AGORA_JWS_SIGN needs AGORA_JWS_HUB_KEY_FILE/)
  assert.throws(() => loadConfig({ AGORA_VALIDATE_INBOUND_JWS: 'sometimes' }), /AGORA_VALIDATE_INBOUND_JWS must be true or false/)
  assert.throws(() => loadConfig({ AGORA_JWS_SIGN: 'yes please', AGORA_JWS_HUB_KEY_FILE: '/k.pem' }), /AGORA_JWS_SIGN must be true or false/)
})

test('production is the default; AGORA_ENV takes only production or development', () => {
  assert.equal(loadConfig({}).env, 'production')
  assert.equal(loadConfig({ AGORA_ENV: 'development' }).env, 'development')
  assert.throws(() => loadConfig({ AGORA_ENV: 'staging' }), /AGORA_ENV must be production or development, got "staging"/)
})

test('production cannot start without the TLS files, and the message names the missing ones', () => {
  assert.throws(() => requireTlsSettings(loadConfig({})), /needs AGORA_TLS_CERT_FILE, AGORA_TLS_KEY_FILE, AGORA_TLS_CA_FILE/)
  assert.throws(() => requireTlsSettings(loadConfig({ AGORA_TLS_CERT_FILE: '/t/switch.pem', AGORA_TLS_KEY_FILE: '/t/key.pem' })), (error: Error) => {
    assert.match(error.message, /needs AGORA_TLS_CA_FILE \(/)
    assert.doesNotMatch(error.message, /AGORA_TLS_CERT_FILE/)
    return true
  })
  const full = loadConfig({ AGORA_TLS_CERT_FILE: '/t/s.pem', AGORA_TLS_KEY_FILE: '/t/k.pem', AGORA_TLS_CA_FILE: '/t/ca.pem', AGORA_HEALTH_PORT: '9002' })
  assert.doesNotThrow(() => requireTlsSettings(full))
  assert.deepEqual(full.tls, { certFile: '/t/s.pem', keyFile: '/t/k.pem', caFile: '/t/ca.pem' })
  assert.equal(full.healthPort, 9002)
  assert.doesNotThrow(() => requireTlsSettings(loadConfig({ AGORA_ENV: 'development' })), 'development needs no TLS files')
})

test('operator identity: local JWKS file, an OIDC issuer with its JWKS URL, the audience and the roles claim', () => {
  assert.deepEqual(loadConfig({}).operators, { jwksFile: undefined, localIssuer: 'agora', oidc: undefined, audience: 'agora-admin', rolesClaim: 'roles' })
  const set = loadConfig({
    AGORA_OPERATOR_JWKS_FILE: '/etc/agora/operators/jwks.json', AGORA_OPERATOR_ISSUER: 'scheme-ops',
    AGORA_OIDC_ISSUER: 'https://id.scheme.example/realms/agora', AGORA_OIDC_JWKS_URL: 'https://id.scheme.example/realms/agora/protocol/openid-connect/certs',
    AGORA_OIDC_AUDIENCE: 'agora', AGORA_OPERATOR_ROLES_CLAIM: 'resource_access.agora.roles',
  }).operators
  assert.deepEqual(set, {
    jwksFile: '/etc/agora/operators/jwks.json', localIssuer: 'scheme-ops',
    oidc: { issuer: 'https://id.scheme.example/realms/agora', jwksUrl: 'https://id.scheme.example/realms/agora/protocol/openid-connect/certs' },
    audience: 'agora', rolesClaim: 'resource_access.agora.roles',
  })
  assert.throws(() => loadConfig({ AGORA_OIDC_ISSUER: 'https://id.example' }), /go together/)
  assert.throws(() => loadConfig({ AGORA_OIDC_JWKS_URL: 'https://id.example/certs' }), /go together/)
  assert.throws(() => loadConfig({ AGORA_OIDC_ISSUER: 'https://id.example', AGORA_OIDC_JWKS_URL: 'http://id.example/certs' }), /https/)
  assert.equal(loadConfig({ AGORA_OIDC_ISSUER: 'https://id.example', AGORA_OIDC_JWKS_URL: 'http://127.0.0.1:8080/certs' }).operators.oidc?.jwksUrl, 'http://127.0.0.1:8080/certs')
  assert.throws(() => loadConfig({ AGORA_OIDC_ISSUER: 'agora', AGORA_OIDC_JWKS_URL: 'https://id.example/certs' }), /must differ/)
})

test('web users have one or more of the four operator roles', () => {
  const users = loadConfig({ AGORA_WEB_USERS: 'fiona:finance,regulator:scrypt$a$b; audrey:auditor:scrypt$c$d' }).web.users
  assert.deepEqual(users.map((u) => [u.name, u.roles]), [['fiona', ['finance', 'regulator']], ['audrey', ['auditor']]])
  assert.throws(() => loadConfig({ AGORA_WEB_USERS: 'root:admin:scrypt$a$b' }), /roles: operator, finance, regulator, auditor/)
})

test('the admin port over TLS is off by default; a clients file needs AGORA_ADMIN_TLS, which needs the TLS files', () => {
  assert.deepEqual(loadConfig({}).adminTls, { enabled: false, clientsFile: undefined })
  assert.deepEqual(loadConfig({ AGORA_ADMIN_TLS: 'true', AGORA_ADMIN_CLIENTS_FILE: '/etc/agora/admin-clients.json' }).adminTls, { enabled: true, clientsFile: '/etc/agora/admin-clients.json' })
  assert.throws(() => loadConfig({ AGORA_ADMIN_CLIENTS_FILE: '/etc/agora/admin-clients.json' }), /AGORA_ADMIN_CLIENTS_FILE needs AGORA_ADMIN_TLS=true/)
  assert.throws(() => requireAdminTlsSettings(loadConfig({ AGORA_ENV: 'development', AGORA_ADMIN_TLS: 'on', AGORA_TLS_CERT_FILE: '/c.pem' })), /AGORA_ADMIN_TLS .* needs AGORA_TLS_KEY_FILE, AGORA_TLS_CA_FILE/)
  assert.doesNotThrow(() => requireAdminTlsSettings(loadConfig({})))
})

test('edge limits have documented defaults and AGORA_* overrides, and are checked', () => {
  const { limits } = loadConfig({})
  assert.deepEqual(limits.body, { fspiop_bytes: 262_144, fspiopBatch_bytes: 4_194_304, admin_bytes: 1_048_576 })
  assert.deepEqual(limits.rate, { perParticipant_per_s: 5_000, burst: 10_000 })
  assert.equal(limits.expirationHorizon_s, 86_400)
  assert.equal(limits.directoryEntriesMax, 10_000)
  const set = loadConfig({ AGORA_FSPIOP_BODY_LIMIT_BYTES: '1000', AGORA_RATE_LIMIT_PER_S: '0', AGORA_EXPIRATION_HORIZON_S: '60', AGORA_DIRECTORY_ENTRIES_MAX: '5' }).limits
  assert.deepEqual([set.body.fspiop_bytes, set.rate.perParticipant_per_s, set.expirationHorizon_s, set.directoryEntriesMax], [1000, 0, 60, 5])
  assert.throws(() => loadConfig({ AGORA_RATE_LIMIT_BURST: '0' }), /AGORA_RATE_LIMIT_BURST must be at least 1/)
  assert.throws(() => loadConfig({ AGORA_DIRECTORY_ENTRIES_MAX: '0' }), /at least 1/)
})

test('crash points are off unless AGORA_CRASH_POINT names one, and the countdown is at least 1', () => {
  assert.equal(loadConfig({}).crash, undefined)
  assert.deepEqual(loadConfig({ AGORA_CRASH_POINT: 'after-db-commit' }).crash, { point: 'after-db-commit', countdown: 1 })
  assert.deepEqual(loadConfig({ AGORA_CRASH_POINT: 'after-publish', AGORA_CRASH_POINT_COUNTDOWN: '7' }).crash, { point: 'after-publish', countdown: 7 })
  assert.throws(() => loadConfig({ AGORA_CRASH_POINT: 'somewhere' }), /unknown AGORA_CRASH_POINT "somewhere"/)
  assert.throws(() => loadConfig({ AGORA_CRASH_POINT: 'after-publish', AGORA_CRASH_POINT_COUNTDOWN: '0' }), /at least 1/)
})

test('AGORA_MIGRATE_AT_START is on unless set, and checked', () => {
  assert.equal(loadConfig({}).migrateAtStart, true)
  assert.equal(loadConfig({ AGORA_MIGRATE_AT_START: 'false' }).migrateAtStart, false)
  assert.throws(() => loadConfig({ AGORA_MIGRATE_AT_START: 'later' }), /AGORA_MIGRATE_AT_START must be true or false/)
})

test('the web view shows times in the scheme\'s time zone: UTC unless AGORA_SCHEME_TIME_ZONE names an IANA zone', () => {
  assert.equal(loadConfig({}).schemeTimeZone, 'UTC')
  assert.equal(loadConfig({ AGORA_SCHEME_TIME_ZONE: 'Africa/Nairobi' }).schemeTimeZone, 'Africa/Nairobi')
  assert.throws(() => loadConfig({ AGORA_SCHEME_TIME_ZONE: 'Mars/Olympus' }), /AGORA_SCHEME_TIME_ZONE must be an IANA time zone/)
})
