// The one place that reads process.env. Everything else receives a typed Config.
/** What a process runs. `all` (the default) runs everything in one process; Kubernetes runs one role per
 *  deployment and scales each by Kafka partitions. */
export const ROLES = ['api', 'admin', 'prepare', 'position', 'notification', 'timeout', 'quote'] as const
export type Role = (typeof ROLES)[number]

export interface Config {
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
  readonly kafka: { readonly brokers: readonly string[]; readonly clientId: string; readonly topicPrefix: string; readonly partitions: number }
  readonly tracing: { readonly enabled: boolean; readonly sampleRatio: number; readonly otlpEndpoint: string | undefined }
  readonly logLevel: string
  readonly web: {
    /** "name:role:scrypt$salt$hash" entries separated by ";" (roles: operator, regulator); see `agora hash-password`. */
    readonly users: readonly WebUser[]
    /** Signs session cookies; a random one per process when unset (sessions end at restart). */
    readonly sessionSecret: string | undefined
    /** Session cookies marked Secure even in development (always in production, and over https). */
    readonly cookieSecure?: boolean
  }
  /** FSPIOP-Signature, two separate switches as in Mojaloop (the SDK's JWS_SIGN and VALIDATE_INBOUND_JWS):
   *  `sign`: the hub signs the callbacks it originates with its own key (PEM file);
   *  `validateInbound`: every DFSP request or callback with a body must be signed with its registered key (3105). */
  readonly jws: { readonly sign: boolean; readonly validateInbound: boolean; readonly hubPrivateKeyFile: string | undefined }
  /** Close the open settlement window on this schedule (seconds; 0 = only by API or CLI). */
  readonly windowCloseInterval_s: number
  /** How far a fulfil's completedTimestamp may be ahead of the switch's clock (ms) or behind it (s) before
   *  it is refused with 3100, as ml-api-adapter's MAX_CALLBACK_TIME_LAG_DILATION_MILLISECONDS (200) and
   *  MAX_FULFIL_TIMEOUT_DURATION_SECONDS (300). */
  readonly fulfilTimestamp: { readonly ahead_ms_max: number; readonly behind_s_max: number }
}

export type WebRole = 'operator' | 'regulator'
export interface WebUser {
  readonly name: string
  readonly role: WebRole
  readonly passwordHash: string
}

type Env = Record<string, string | undefined>

export function loadConfig(env: Env = process.env): Config {
  const config: Config = {
    env: environment(text(env, 'AGORA_ENV', 'production')),
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
    },
    tracing: {
      enabled: bool(env, 'AGORA_TRACING', false),
      sampleRatio: ratio(env, 'AGORA_TRACING_SAMPLE_RATIO', 0.01),
      otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
    },
    logLevel: text(env, 'AGORA_LOG_LEVEL', 'info'),
    web: { users: webUsers(text(env, 'AGORA_WEB_USERS', '')), sessionSecret: env.AGORA_WEB_SESSION_SECRET || undefined, cookieSecure: bool(env, 'AGORA_WEB_COOKIE_SECURE', false) },
    windowCloseInterval_s: int(env, 'AGORA_WINDOW_CLOSE_INTERVAL_S', 0),
    jws: jws(env),
    fulfilTimestamp: { ahead_ms_max: int(env, 'AGORA_FULFIL_TIMESTAMP_AHEAD_MS_MAX', 200), behind_s_max: int(env, 'AGORA_FULFIL_TIMESTAMP_BEHIND_S_MAX', 300) },
  }
  return config
}

/** AGORA_JWS is the shorthand for both; AGORA_JWS_SIGN and AGORA_VALIDATE_INBOUND_JWS, when set, win over it. */
function jws(env: Env): Config['jws'] {
  const both = bool(env, 'AGORA_JWS', false)
  const sign = bool(env, 'AGORA_JWS_SIGN', both)
  const validateInbound = bool(env, 'AGORA_VALIDATE_INBOUND_JWS', both)
  const hubPrivateKeyFile = env.AGORA_JWS_HUB_KEY_FILE || undefined
  if (sign && !hubPrivateKeyFile) throw new Error('config: AGORA_JWS_SIGN needs AGORA_JWS_HUB_KEY_FILE, the hub\'s private key (PEM)')
  return { sign, validateInbound, hubPrivateKeyFile }
}

function environment(raw: string): Config['env'] {
  if (raw !== 'production' && raw !== 'development') throw new Error(`config: AGORA_ENV must be production or development, got "${raw}"`)
  return raw
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
    const [name, role, passwordHash] = entry.split(':')
    if (!name || (role !== 'operator' && role !== 'regulator') || !passwordHash?.startsWith('scrypt$')) {
      throw new Error(`config: AGORA_WEB_USERS entry "${entry.slice(0, 40)}" must be name:operator|regulator:scrypt$…`)
    }
    return { name, role, passwordHash }
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
