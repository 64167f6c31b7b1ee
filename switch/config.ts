// The one place that reads process.env. Everything else receives a typed Config.
import { isOperatorRole, type OperatorRole } from './operators/roles.ts'

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
  readonly http: { readonly host: string; readonly port: number; readonly adminPort: number }
  readonly db: {
    readonly host: string
    readonly port: number
    readonly user: string
    readonly password: string
    readonly database: string
    readonly poolMax: number
  }
  readonly kafka: {
    readonly brokers: readonly string[]; readonly clientId: string; readonly topicPrefix: string; readonly partitions: number
    /** How long the group waits for a consumer that stopped heartbeating (a killed process) before its
     *  partitions move (AGORA_KAFKA_SESSION_TIMEOUT_MS, default 30 s; the broker allows 6 s at least). */
    readonly sessionTimeout_ms?: number
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
  /** Fault injection for the crash suite only (AGORA_CRASH_POINT, AGORA_CRASH_POINT_COUNTDOWN): the process
   *  SIGKILLs itself the `countdown`-th time it reaches `point`. */
  readonly crash?: { readonly point: CrashPointName; readonly countdown: number }
}

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
    },
    kafka: {
      brokers: text(env, 'AGORA_KAFKA_BROKERS', '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean),
      clientId: text(env, 'AGORA_KAFKA_CLIENT_ID', 'agora'),
      topicPrefix: text(env, 'AGORA_KAFKA_TOPIC_PREFIX', 'agora.'),
      partitions: int(env, 'AGORA_KAFKA_PARTITIONS', 4),
      sessionTimeout_ms: int(env, 'AGORA_KAFKA_SESSION_TIMEOUT_MS', KAFKA_SESSION_TIMEOUT_MS),
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
    jws: jws(env),
    fulfilTimestamp: { ahead_ms_max: int(env, 'AGORA_FULFIL_TIMESTAMP_AHEAD_MS_MAX', 200), behind_s_max: int(env, 'AGORA_FULFIL_TIMESTAMP_BEHIND_S_MAX', 300) },
    tls: { certFile: env.AGORA_TLS_CERT_FILE || undefined, keyFile: env.AGORA_TLS_KEY_FILE || undefined, caFile: env.AGORA_TLS_CA_FILE || undefined },
    healthPort: int(env, 'AGORA_HEALTH_PORT', 3002),
    adminTls: adminTls(env),
    crash: crash(env),
  }
  return config
}

/** Kafka's consumer session timeout unless AGORA_KAFKA_SESSION_TIMEOUT_MS says otherwise (ms). */
export const KAFKA_SESSION_TIMEOUT_MS = 30_000

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

function int(env: Env, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw)) throw new Error(`config: ${name} must be a whole number, got "${raw}"`)
  return Number(raw)
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
