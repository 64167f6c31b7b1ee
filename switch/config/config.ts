// The one place that reads process.env. Everything else receives a typed Config.
import { isOperatorRole, type OperatorRole } from './operator-roles.ts'

/** What a process runs. `all` (the default) runs everything in one process; Kubernetes runs one role per
 *  deployment and scales each by Kafka partitions. */
export const ROLES = ['api', 'admin', 'prepare', 'position', 'notification', 'timeout', 'quote'] as const
export type Role = (typeof ROLES)[number]

/** Places in the pipeline where the crash suite (test/faults) makes the process kill itself with SIGKILL:
 *  inside a batch's DB transaction before its commit, after the commit before the outbox rows are
 *  published, after publishing before the offsets are resolved, and after the outbox relay published
 *  stale rows before marking them. Off (undefined) in production. */
export const CRASH_POINTS = ['in-db-transaction', 'after-db-commit', 'after-publish', 'after-relay-publish'] as const
export type CrashPointName = (typeof CRASH_POINTS)[number]

export interface Config {
  /** `production` (the default): participants authenticate by mutual TLS on the FSPIOP port, operators by
   *  token on the admin API and the web view. `development` (what `npm start` and the test harnesses run):
   *  both are off (the x-agora-operator header names the actor), and the switch says so loudly. */
  readonly env: 'production' | 'development'
  readonly hubName: string
  readonly roles: ReadonlySet<Role>
  /** Whether the process applies the database migrations at start (AGORA_MIGRATE_AT_START, default true, as
   *  `npm start` runs). The Helm chart sets false: its pre-install/pre-upgrade hook Job migrates
   *  (`npm run migrate`), and the pods wait, not ready, until the schema has no pending migration. */
  readonly migrateAtStart: boolean
  readonly http: { readonly host: string; readonly port: number; readonly adminPort: number }
  readonly db: {
    readonly host: string
    readonly port: number
    readonly user: string
    readonly password: string
    readonly database: string
    readonly poolMax: number
    /** How long a query waits for a pooled connection (AGORA_DB_ACQUIRE_TIMEOUT_MS): with the database
     *  unreachable, a request fails (2003) after this long instead of knex's 60 s. */
    readonly acquireTimeout_ms: number
  }
  readonly kafka: {
    readonly brokers: readonly string[]; readonly clientId: string; readonly topicPrefix: string
    /** What `agora topics create` gives the topics it creates (AGORA_KAFKA_PARTITIONS, 4; AGORA_KAFKA_REPLICATION_FACTOR, 1;
     *  AGORA_KAFKA_MIN_INSYNC_REPLICAS, 1). The switch never creates topics itself; with acks=all, a write
     *  waits for `minInsyncReplicas` copies (production: 3 and 2). */
    readonly partitions: number; readonly replicationFactor: number; readonly minInsyncReplicas: number
    /** The consumer group timings (docs in README, "Recovery guarantees"). A member that dies without leaving
     *  (SIGKILL, a lost node) holds its partitions until `sessionTimeout_ms` passes without its heartbeat, so
     *  that bounds how long a restarted switch waits before its consumers own partitions again. Kafka refuses
     *  less than its group.min.session.timeout.ms (6 s by default); kafkajs' default is 30 s. */
    readonly consumerGroup: { readonly sessionTimeout_ms: number; readonly heartbeatInterval_ms: number; readonly rebalanceTimeout_ms: number }
  }
  readonly tracing: { readonly enabled: boolean; readonly sampleRatio: number; readonly otlpEndpoint: string | undefined }
  readonly logLevel: string
  /** Who operators are: bearer tokens (JWT) from the scheme's own keys or its OIDC provider (docs/adr/0009-operator-identity.md). */
  readonly operators: OperatorsConfig
  readonly web: {
    /** "name:role[,role]:scrypt$salt$hash" entries separated by ";" (the four operator roles); see `agora hash-password`. */
    readonly users: readonly WebUser[]
    /** Signs session cookies; a random one per process when unset (sessions end at restart). */
    readonly sessionSecret: string | undefined
    /** Session cookies marked Secure even in development (always in production, and over https). */
    readonly cookieSecure?: boolean
  }
  /** FSPIOP-Signature, two separate switches as in Mojaloop (the SDK's JWS_SIGN and VALIDATE_INBOUND_JWS):
   *  `sign`: the hub signs the callbacks it originates with its own key (PEM file);
   *  `validateInbound`: every DFSP request or callback with a body must be signed with its registered key (3105),
   *  for its real method and path, with a signed Date at most `dateWindow_s` from the switch's clock
   *  (AGORA_JWS_DATE_WINDOW_S, default 300). */
  readonly jws: { readonly sign: boolean; readonly validateInbound: boolean; readonly hubPrivateKeyFile: string | undefined; readonly dateWindow_s: number }
  /** Close the open settlement window on this schedule (seconds; 0 = only by API or CLI). */
  readonly windowCloseInterval_s: number
  /** The scheme's time zone (IANA name): the web view shows times in it, with UTC on hover (AGORA_SCHEME_TIME_ZONE, default UTC). */
  readonly schemeTimeZone: string
  /** When the web view and /reports/alerts raise an alert (switch/reports/alerts.ts): a participant's
   *  position plus reservations at `capShare_percent` of its net debit cap or more (AGORA_ALERT_CAP_PERCENT,
   *  default 80); its failure rate over the last hour at `failureRate_percent_min` or more
   *  (AGORA_ALERT_FAILURE_PERCENT, default 10) and `failureRateJump_factor` times its rate over the 24 hours
   *  before (AGORA_ALERT_FAILURE_JUMP, default 3), counted once `endedTransfers_min` of its transfers ended
   *  in that hour (AGORA_ALERT_MIN_TRANSFERS, default 20). */
  readonly alerts: { readonly capShare_percent: number; readonly failureRate_percent_min: number; readonly failureRateJump_factor: number; readonly endedTransfers_min: number }
  /** How far a fulfil's completedTimestamp may be ahead of the switch's clock (ms) or behind it (s) before
   *  it is refused with 3100, as ml-api-adapter's MAX_CALLBACK_TIME_LAG_DILATION_MILLISECONDS (200) and
   *  MAX_FULFIL_TIMEOUT_DURATION_SECONDS (300). */
  readonly fulfilTimestamp: { readonly ahead_ms_max: number; readonly behind_s_max: number }
  /** Mutual TLS (production): the FSPIOP port serves HTTPS with `certFile`/`keyFile` and requires a client
   *  certificate issued by the scheme CA bundle `caFile`; the hub presents the same certificate on its
   *  callbacks to https endpoints. PEM files; all three are required in production (requireTlsSettings). */
  readonly tls: { readonly certFile: string | undefined; readonly keyFile: string | undefined; readonly caFile: string | undefined }
  /** The admin port over HTTPS (`AGORA_ADMIN_TLS`) with the same certificate and key as the FSPIOP port; it
   *  asks for (does not require) a client certificate from the `tls.caFile` scheme CA, and `clientsFile` (JSON:
   *  SHA-256 fingerprint -> { subject, roles }) makes such certificates operator identities, for automation. */
  readonly adminTls: { readonly enabled: boolean; readonly clientsFile: string | undefined }
  /** In production the FSPIOP port asks every caller for a client certificate, so /health and /metrics for
   *  probes are served on this plain-HTTP port as well (by processes that run the api role). */
  readonly healthPort: number
  /** Bounds at every edge (docs/limits.md): time, size and rate, each with an AGORA_* override. */
  readonly limits: LimitsConfig
  /** Fault injection for the crash suite only (AGORA_CRASH_POINT, AGORA_CRASH_POINT_COUNTDOWN): the process
   *  SIGKILLs itself the `countdown`-th time it reaches `point`. */
  readonly crash?: { readonly point: CrashPointName; readonly countdown: number }
}

export interface LimitsConfig {
  /** Every HTTP server (FSPIOP, admin, health); Node answers a request that overstays with 408 and closes. */
  readonly http: {
    /** The whole request, headers and body, must arrive within this (AGORA_HTTP_REQUEST_TIMEOUT_MS). */
    readonly requestTimeout_ms: number
    /** The headers must arrive within this; at most requestTimeout_ms (AGORA_HTTP_HEADERS_TIMEOUT_MS). */
    readonly headersTimeout_ms: number
    /** A connection with a request in flight that stays silent this long, either way (a slow report too), is closed (AGORA_HTTP_CONNECTION_TIMEOUT_MS). */
    readonly connectionTimeout_ms: number
    /** An idle keep-alive connection is closed after this; longer than a load balancer's idle time (AGORA_HTTP_KEEP_ALIVE_TIMEOUT_MS). */
    readonly keepAliveTimeout_ms: number
    /** How often Node looks for requests past the two timeouts above (AGORA_HTTP_TIMEOUT_CHECK_INTERVAL_MS). */
    readonly timeoutCheckInterval_ms: number
  }
  /** Largest request body; larger ones are refused with 3104 before they are read. */
  readonly body: {
    /** FSPIOP requests and callbacks (AGORA_FSPIOP_BODY_LIMIT_BYTES). */
    readonly fspiop_bytes: number
    /** POST /participants with up to 10,000 parties (AGORA_FSPIOP_BATCH_BODY_LIMIT_BYTES). */
    readonly fspiopBatch_bytes: number
    /** The admin API (AGORA_ADMIN_BODY_LIMIT_BYTES). */
    readonly admin_bytes: number
  }
  /** FSPIOP requests per participant (FSPIOP-Source), a token bucket per switch process; rate 0 = off. */
  readonly rate: { readonly perParticipant_per_s: number; readonly burst: number }
  /** How far ahead of the switch's clock a transfer's, quote's or transaction request's expiration may be (AGORA_EXPIRATION_HORIZON_S). */
  readonly expirationHorizon_s: number
  /** Participants held in the routing cache of each process (AGORA_DIRECTORY_ENTRIES_MAX). */
  readonly directoryEntriesMax: number
}

/** The defaults of LimitsConfig. Timeouts are well above an FSPIOP request's normal time (milliseconds) and
 *  far below "forever"; sizes fit the largest body the API definition allows (a 10,000-party POST /participants
 *  is about 1 MB); the rate is far above what the benchmark's busiest DFSP sends (70% of the payments at the 1,000/s target:
 *  about 800 requests/s, 1,000/s in the lookup + quote + transfer flow), so it caps no capacity measurement. */
export const LIMIT_DEFAULTS = {
  requestTimeout_ms: 30_000,
  headersTimeout_ms: 10_000,
  connectionTimeout_ms: 120_000,
  keepAliveTimeout_ms: 72_000,
  timeoutCheckInterval_ms: 1_000,
  fspiopBody_bytes: 262_144,
  fspiopBatchBody_bytes: 4_194_304,
  adminBody_bytes: 1_048_576,
  perParticipant_per_s: 5_000,
  burst: 10_000,
  expirationHorizon_s: 86_400,
  directoryEntriesMax: 10_000,
} as const

export interface OperatorsConfig {
  /** JWKS (public keys) of the scheme's locally managed signing keys, made by `agora operators keygen`. */
  readonly jwksFile: string | undefined
  /** The `iss` of tokens signed with those keys (`agora operators token --issuer`). */
  readonly localIssuer: string
  /** An OIDC identity provider the scheme runs (Keycloak, …): tokens with this `iss`, checked against its JWKS. */
  readonly oidc: { readonly issuer: string; readonly jwksUrl: string } | undefined
  /** Every token's `aud` must name the admin API. */
  readonly audience: string
  /** The claim that holds the roles, a dotted path; with the default `roles`, Keycloak's `realm_access.roles` counts too. */
  readonly rolesClaim: string
}

/** A person of the web view: the same identity (name = a token's `sub`) and the same roles as on the admin API. */
export interface WebUser {
  readonly name: string
  readonly roles: readonly OperatorRole[]
  readonly passwordHash: string
}

type Env = Record<string, string | undefined>

export function loadConfig(env: Env = process.env): Config {
  const config: Config = {
    env: environment(env),
    hubName: text(env, 'AGORA_HUB_NAME', 'Hub'),
    roles: roles(text(env, 'AGORA_ROLES', 'all')),
    migrateAtStart: bool(env, 'AGORA_MIGRATE_AT_START', true),
    http: {
      host: text(env, 'AGORA_HTTP_HOST', '127.0.0.1'),
      port: int(env, 'AGORA_HTTP_PORT', 3000),
      adminPort: int(env, 'AGORA_ADMIN_PORT', 3001),
    },
    db: {
      host: text(env, 'AGORA_DB_HOST', '127.0.0.1'),
      port: int(env, 'AGORA_DB_PORT', 3307),
      user: text(env, 'AGORA_DB_USER', 'agora'),
      password: text(env, 'AGORA_DB_PASSWORD', 'agora'),
      database: text(env, 'AGORA_DB_NAME', 'agora'),
      poolMax: int(env, 'AGORA_DB_POOL_MAX', 20),
      acquireTimeout_ms: int(env, 'AGORA_DB_ACQUIRE_TIMEOUT_MS', DB_ACQUIRE_TIMEOUT_MS),
    },
    kafka: {
      brokers: text(env, 'AGORA_KAFKA_BROKERS', '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean),
      clientId: text(env, 'AGORA_KAFKA_CLIENT_ID', 'agora'),
      topicPrefix: text(env, 'AGORA_KAFKA_TOPIC_PREFIX', 'agora.'),
      partitions: int(env, 'AGORA_KAFKA_PARTITIONS', 4),
      replicationFactor: int(env, 'AGORA_KAFKA_REPLICATION_FACTOR', 1),
      minInsyncReplicas: int(env, 'AGORA_KAFKA_MIN_INSYNC_REPLICAS', 1),
      consumerGroup: {
        sessionTimeout_ms: int(env, 'AGORA_KAFKA_SESSION_TIMEOUT_MS', KAFKA_SESSION_TIMEOUT_MS),
        heartbeatInterval_ms: int(env, 'AGORA_KAFKA_HEARTBEAT_INTERVAL_MS', KAFKA_HEARTBEAT_INTERVAL_MS),
        rebalanceTimeout_ms: int(env, 'AGORA_KAFKA_REBALANCE_TIMEOUT_MS', KAFKA_REBALANCE_TIMEOUT_MS),
      },
    },
    tracing: {
      enabled: bool(env, 'AGORA_TRACING', false),
      sampleRatio: ratio(env, 'AGORA_TRACING_SAMPLE_RATIO', 0.01),
      otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
    },
    logLevel: text(env, 'AGORA_LOG_LEVEL', 'info'),
    operators: operators(env),
    web: { users: webUsers(text(env, 'AGORA_WEB_USERS', '')), sessionSecret: env.AGORA_WEB_SESSION_SECRET || undefined, cookieSecure: bool(env, 'AGORA_WEB_COOKIE_SECURE', false) },
    windowCloseInterval_s: int(env, 'AGORA_WINDOW_CLOSE_INTERVAL_S', 0),
    schemeTimeZone: timeZone(env, 'AGORA_SCHEME_TIME_ZONE', 'UTC'),
    alerts: {
      capShare_percent: positive(env, 'AGORA_ALERT_CAP_PERCENT', 80), failureRate_percent_min: positive(env, 'AGORA_ALERT_FAILURE_PERCENT', 10),
      failureRateJump_factor: positive(env, 'AGORA_ALERT_FAILURE_JUMP', 3), endedTransfers_min: positive(env, 'AGORA_ALERT_MIN_TRANSFERS', 20),
    },
    jws: jws(env),
    fulfilTimestamp: { ahead_ms_max: int(env, 'AGORA_FULFIL_TIMESTAMP_AHEAD_MS_MAX', 200), behind_s_max: int(env, 'AGORA_FULFIL_TIMESTAMP_BEHIND_S_MAX', 300) },
    tls: { certFile: env.AGORA_TLS_CERT_FILE || undefined, keyFile: env.AGORA_TLS_KEY_FILE || undefined, caFile: env.AGORA_TLS_CA_FILE || undefined },
    healthPort: int(env, 'AGORA_HEALTH_PORT', 3002),
    adminTls: adminTls(env),
    limits: limits(env),
    crash: crash(env),
  }
  return config
}

/** A dead consumer's partitions are handed on after this long without its heartbeat (Kafka's minimum by default). */
export const KAFKA_SESSION_TIMEOUT_MS = 6_000
/** A third of the session or less, as Kafka asks, so two lost heartbeats do not end a live session. */
export const KAFKA_HEARTBEAT_INTERVAL_MS = 1_000
/** How long a rebalance waits for the live members to rejoin (they finish their batch first). */
export const KAFKA_REBALANCE_TIMEOUT_MS = 15_000
/** How long a query waits for a database connection before it fails. */
export const DB_ACQUIRE_TIMEOUT_MS = 2_000

/** How far a signed Date may be from the switch's clock before the signature is refused as a replay (s). */
export const JWS_DATE_WINDOW_S = 300

/** The TLS files a production switch cannot start without. Called by the switch at start, not by
 *  loadConfig, so the CLI and tools that only need the database settings still work. */
export function requireTlsSettings(config: Config): void {
  if (config.env !== 'production') return
  const missing = [
    ['AGORA_TLS_CERT_FILE', config.tls.certFile], ['AGORA_TLS_KEY_FILE', config.tls.keyFile], ['AGORA_TLS_CA_FILE', config.tls.caFile],
  ].filter(([, value]) => !value).map(([name]) => name)
  if (missing.length > 0) {
    throw new Error(`config: AGORA_ENV=production authenticates participants by mutual TLS and needs ${missing.join(', ')} `
      + '(PEM files: the switch\'s certificate, its key, the scheme CA bundle; `agora ca init` makes a test set). '
      + 'Set AGORA_ENV=development to run without participant authentication.')
  }
}

/** AGORA_JWS is the shorthand for both; AGORA_JWS_SIGN and AGORA_VALIDATE_INBOUND_JWS, when set, win over it. */
function jws(env: Env): Config['jws'] {
  const both = bool(env, 'AGORA_JWS', false)
  const sign = bool(env, 'AGORA_JWS_SIGN', both)
  const validateInbound = bool(env, 'AGORA_VALIDATE_INBOUND_JWS', both)
  const hubPrivateKeyFile = env.AGORA_JWS_HUB_KEY_FILE || undefined
  if (sign && !hubPrivateKeyFile) throw new Error('config: AGORA_JWS_SIGN needs AGORA_JWS_HUB_KEY_FILE, the hub\'s private key (PEM)')
  return { sign, validateInbound, hubPrivateKeyFile, dateWindow_s: int(env, 'AGORA_JWS_DATE_WINDOW_S', JWS_DATE_WINDOW_S) }
}

function limits(env: Env): LimitsConfig {
  const d = LIMIT_DEFAULTS
  const http = {
    requestTimeout_ms: positive(env, 'AGORA_HTTP_REQUEST_TIMEOUT_MS', d.requestTimeout_ms),
    headersTimeout_ms: positive(env, 'AGORA_HTTP_HEADERS_TIMEOUT_MS', d.headersTimeout_ms),
    connectionTimeout_ms: positive(env, 'AGORA_HTTP_CONNECTION_TIMEOUT_MS', d.connectionTimeout_ms),
    keepAliveTimeout_ms: positive(env, 'AGORA_HTTP_KEEP_ALIVE_TIMEOUT_MS', d.keepAliveTimeout_ms),
    timeoutCheckInterval_ms: positive(env, 'AGORA_HTTP_TIMEOUT_CHECK_INTERVAL_MS', d.timeoutCheckInterval_ms),
  }
  if (http.headersTimeout_ms > http.requestTimeout_ms) {
    throw new Error(`config: AGORA_HTTP_HEADERS_TIMEOUT_MS (${http.headersTimeout_ms}) must not exceed AGORA_HTTP_REQUEST_TIMEOUT_MS (${http.requestTimeout_ms})`)
  }
  const rate = { perParticipant_per_s: int(env, 'AGORA_RATE_LIMIT_PER_S', d.perParticipant_per_s), burst: int(env, 'AGORA_RATE_LIMIT_BURST', d.burst) }
  if (rate.perParticipant_per_s > 0 && rate.burst < 1) throw new Error('config: AGORA_RATE_LIMIT_BURST must be at least 1 while AGORA_RATE_LIMIT_PER_S is on')
  return {
    http,
    body: {
      fspiop_bytes: positive(env, 'AGORA_FSPIOP_BODY_LIMIT_BYTES', d.fspiopBody_bytes),
      fspiopBatch_bytes: positive(env, 'AGORA_FSPIOP_BATCH_BODY_LIMIT_BYTES', d.fspiopBatchBody_bytes),
      admin_bytes: positive(env, 'AGORA_ADMIN_BODY_LIMIT_BYTES', d.adminBody_bytes),
    },
    rate,
    expirationHorizon_s: positive(env, 'AGORA_EXPIRATION_HORIZON_S', d.expirationHorizon_s),
    directoryEntriesMax: positive(env, 'AGORA_DIRECTORY_ENTRIES_MAX', d.directoryEntriesMax),
  }
}

function adminTls(env: Env): Config['adminTls'] {
  const enabled = bool(env, 'AGORA_ADMIN_TLS', false)
  const clientsFile = env.AGORA_ADMIN_CLIENTS_FILE || undefined
  if (clientsFile && !enabled) throw new Error('config: AGORA_ADMIN_CLIENTS_FILE needs AGORA_ADMIN_TLS=true (client certificates only reach the admin port over TLS)')
  return { enabled, clientsFile }
}

/** The admin port's TLS needs the server certificate and key, and the CA bundle client certificates chain to. */
export function requireAdminTlsSettings(config: Config): void {
  if (!config.adminTls.enabled) return
  const missing = [
    ['AGORA_TLS_CERT_FILE', config.tls.certFile], ['AGORA_TLS_KEY_FILE', config.tls.keyFile], ['AGORA_TLS_CA_FILE', config.tls.caFile],
  ].filter(([, value]) => !value).map(([name]) => name)
  if (missing.length > 0) throw new Error(`config: AGORA_ADMIN_TLS serves the admin port with the FSPIOP port's TLS files and needs ${missing.join(', ')}`)
}

function crash(env: Env): Config['crash'] {
  const point = env.AGORA_CRASH_POINT || undefined
  if (point === undefined) return undefined
  if (!(CRASH_POINTS as readonly string[]).includes(point)) throw new Error(`config: unknown AGORA_CRASH_POINT "${point}" (known: ${CRASH_POINTS.join(', ')})`)
  const countdown = int(env, 'AGORA_CRASH_POINT_COUNTDOWN', 1)
  if (countdown < 1) throw new Error('config: AGORA_CRASH_POINT_COUNTDOWN must be at least 1')
  return { point: point as CrashPointName, countdown }
}

function environment(env: Env): Config['env'] {
  const value = text(env, 'AGORA_ENV', 'production')
  if (value !== 'production' && value !== 'development') throw new Error(`config: AGORA_ENV must be production or development, got "${value}"`)
  return value
}

function operators(env: Env): OperatorsConfig {
  const localIssuer = text(env, 'AGORA_OPERATOR_ISSUER', 'agora')
  const issuer = env.AGORA_OIDC_ISSUER || undefined
  const jwksUrl = env.AGORA_OIDC_JWKS_URL || undefined
  if (Boolean(issuer) !== Boolean(jwksUrl)) throw new Error('config: AGORA_OIDC_ISSUER and AGORA_OIDC_JWKS_URL go together (the provider and its signing keys)')
  if (issuer && issuer === localIssuer) throw new Error(`config: AGORA_OIDC_ISSUER must differ from AGORA_OPERATOR_ISSUER ("${localIssuer}"), or a token's keys would be ambiguous`)
  if (jwksUrl && !/^https:\/\//.test(jwksUrl) && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(jwksUrl)) {
    throw new Error('config: AGORA_OIDC_JWKS_URL must be https (http only on loopback)')
  }
  return {
    jwksFile: env.AGORA_OPERATOR_JWKS_FILE || undefined,
    localIssuer,
    oidc: issuer && jwksUrl ? { issuer, jwksUrl } : undefined,
    audience: text(env, 'AGORA_OIDC_AUDIENCE', 'agora-admin'),
    rolesClaim: text(env, 'AGORA_OPERATOR_ROLES_CLAIM', 'roles'),
  }
}

/** The crash and fault suite's size (test/faults, `npm run test:faults`): `small` (CI, the default) or
 *  `large` (FAULTS_SIZE=large, or `npm run test:faults -- --large`, which scripts/faults.sh turns into it). */
export function faultSuiteSize(env: Env = process.env): 'small' | 'large' {
  const size = text(env, 'FAULTS_SIZE', 'small')
  if (size !== 'small' && size !== 'large') throw new Error(`config: FAULTS_SIZE must be small or large, got "${size}"`)
  return size
}

/** The bearer token the `agora` CLI sends to the admin API (its --token flag wins). */
export function cliToken(env: Env = process.env): string | undefined {
  return env.AGORA_TOKEN || undefined
}

/** The client certificate the `agora` CLI presents to an https admin API, and the CA it trusts (PEM files;
 *  its --cert, --key and --ca flags win). */
export function cliTlsFiles(env: Env = process.env): { cert: string | undefined; key: string | undefined; ca: string | undefined } {
  return { cert: env.AGORA_ADMIN_CERT || undefined, key: env.AGORA_ADMIN_KEY || undefined, ca: env.AGORA_ADMIN_CA || undefined }
}

function roles(raw: string): ReadonlySet<Role> {
  if (raw === 'all') return new Set(ROLES)
  const names = raw.split(',').map((r) => r.trim()).filter(Boolean)
  for (const name of names) {
    if (!(ROLES as readonly string[]).includes(name)) throw new Error(`config: unknown role "${name}" in AGORA_ROLES (known: all, ${ROLES.join(', ')})`)
  }
  return new Set(names as Role[])
}

function webUsers(raw: string): WebUser[] {
  return raw.split(';').map((e) => e.trim()).filter(Boolean).map((entry) => {
    const [name, roleList, passwordHash] = entry.split(':')
    const userRoles = (roleList ?? '').split(',').map((r) => r.trim())
    if (!name || !userRoles.every(isOperatorRole) || !passwordHash?.startsWith('scrypt$')) {
      throw new Error(`config: AGORA_WEB_USERS entry "${entry.slice(0, 40)}" must be name:role[,role]:scrypt$… (roles: operator, finance, regulator, auditor)`)
    }
    return { name, roles: userRoles, passwordHash }
  })
}

function text(env: Env, name: string, fallback: string): string {
  const value = env[name]
  return value === undefined || value === '' ? fallback : value
}

function timeZone(env: Env, name: string, fallback: string): string {
  const value = text(env, name, fallback)
  try {
    return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone
  } catch {
    throw new Error(`config: ${name} must be an IANA time zone such as Africa/Nairobi, got "${value}"`)
  }
}

function int(env: Env, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw)) throw new Error(`config: ${name} must be a whole number, got "${raw}"`)
  return Number(raw)
}

function positive(env: Env, name: string, fallback: number): number {
  const value = int(env, name, fallback)
  if (value < 1) throw new Error(`config: ${name} must be at least 1, got "${env[name]}"`)
  return value
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (['1', 'true', 'on', 'yes'].includes(raw)) return true
  if (['0', 'false', 'off', 'no'].includes(raw)) return false
  throw new Error(`config: ${name} must be true or false, got "${raw}"`)
}

function ratio(env: Env, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!(value >= 0 && value <= 1)) throw new Error(`config: ${name} must be between 0 and 1, got "${raw}"`)
  return value
}
