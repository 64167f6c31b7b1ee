// The chart renders, lints, and runs every role the switch knows, each with its own AGORA_ROLES.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { parseAllDocuments } from 'yaml'
import { ROLES } from '../switch/config/config.ts'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const chart = path.join(root, 'helm', 'agora')
const helm = execFileSync('bash', [path.join(root, 'scripts', 'helm.sh')], { encoding: 'utf8', timeout: 600_000 }).trim()

/** What these tests read of a Kubernetes manifest (a Deployment's spec; a ConfigMap's or Secret's data). */
interface Container {
  env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[]
  readinessProbe: { httpGet: { path: string; port: string } }
  livenessProbe: { httpGet: { path: string; port: string } }
  ports: { name: string; containerPort: number }[]
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[]
  command?: string[]
}
interface PodSpec { containers: Container[]; volumes?: { name: string; secret?: { secretName: string } }[] }
interface DeploymentSpec { template: { metadata: { annotations: Record<string, string> }; spec: PodSpec } }
type Manifest = { kind: string; metadata: { name: string }; spec?: DeploymentSpec; data?: Record<string, string>; stringData?: Record<string, string> }

/** Every render names a source of operator tokens, which the chart requires (see the operators test). */
const OPERATORS = 'operators.existingJwksSecret=scheme-operator-jwks'

function render(...sets: string[]): Manifest[] {
  return renderOnly(OPERATORS, ...sets)
}

function renderOnly(...sets: string[]): Manifest[] {
  const args = ['template', 'rel', chart, ...sets.flatMap((s) => ['--set', s])]
  const out = execFileSync(helm, args, { encoding: 'utf8' })
  return parseAllDocuments(out).map((d) => d.toJSON()).filter(Boolean)
}

const envOf = (deployment: Manifest) => deployment.spec!.template.spec.containers[0]!.env

test('helm lint passes', () => {
  execFileSync(helm, ['lint', chart, '--set', 'db.password=secret', '--set', OPERATORS], { encoding: 'utf8' })
})

test('one Deployment per role, each running just that role', () => {
  const deployments = render('db.password=secret').filter((m) => m.kind === 'Deployment')
  const roles = deployments.map((d) => envOf(d).find((e) => e.name === 'AGORA_ROLES')?.value).sort()
  assert.deepEqual(roles, [...ROLES].sort())
  for (const d of deployments) {
    const env = envOf(d)
    assert.equal(env.find((e) => e.name === 'AGORA_MANAGE_DEPS')?.value, '0', 'never starts its own dependencies')
    const container = d.spec!.template.spec.containers[0]!
    assert.equal(container.readinessProbe.httpGet.path, '/ready', 'readiness: transfers can complete here')
    assert.equal(container.livenessProbe.httpGet.path, '/live', 'liveness: the process alone (an outage restarts nothing)')
  }
})

test('a role with no replicas is left out, and HTTP roles get a Service', () => {
  const manifests = render('db.password=secret', 'roles.quote.replicas=0')
  const names = manifests.filter((m) => m.kind === 'Deployment').map((m) => m.metadata.name)
  assert.ok(!names.includes('rel-agora-quote'))
  const services = manifests.filter((m) => m.kind === 'Service').map((m) => m.metadata.name).sort()
  assert.deepEqual(services, ['rel-agora-admin', 'rel-agora-api'])
})

test('the configuration reaches the switch as its environment variables', () => {
  const config = render('db.password=secret', 'kafka.brokers=k1:9092\\,k2:9092').find((m) => m.kind === 'ConfigMap')!
  assert.equal(config.data!.AGORA_KAFKA_BROKERS, 'k1:9092,k2:9092')
  assert.equal(config.data!.AGORA_HTTP_HOST, '0.0.0.0')
  assert.equal(config.data!.AGORA_KAFKA_SESSION_TIMEOUT_MS, '6000', 'a dead pod\'s partitions move on after 6 s, not kafkajs\' 30')
})

test('a database password is required unless an existing Secret is named', () => {
  const failed = spawnSync(helm, ['template', 'rel', chart, '--set', OPERATORS], { encoding: 'utf8' })
  assert.notEqual(failed.status, 0)
  assert.match(failed.stderr, /db.password or db.existingSecret is required/)
  const manifests = render('db.existingSecret=my-db')
  assert.equal(manifests.filter((m) => m.kind === 'Secret').length, 0)
  const env = envOf(manifests.find((m) => m.kind === 'Deployment')!)
  assert.equal(env.find((e) => e.name === 'AGORA_DB_PASSWORD')?.valueFrom?.secretKeyRef.name, 'my-db')
})

test('production by default: with the TLS Secret mounted read-only in every role, the AGORA_TLS_* files set, and api probes on the plain-HTTP health port', () => {
  const manifests = render('db.password=secret', 'tls.existingSecret=agora-tls')
  const config = manifests.find((m) => m.kind === 'ConfigMap')!
  assert.equal(config.data!.AGORA_ENV, 'production')
  assert.equal(config.data!.AGORA_TLS_CERT_FILE, '/etc/agora/tls/tls.crt')
  assert.equal(config.data!.AGORA_TLS_KEY_FILE, '/etc/agora/tls/tls.key')
  assert.equal(config.data!.AGORA_TLS_CA_FILE, '/etc/agora/tls/ca.crt')
  for (const d of manifests.filter((m) => m.kind === 'Deployment')) {
    const pod = d.spec!.template.spec
    assert.deepEqual(pod.containers[0]!.volumeMounts.find((v) => v.name === 'tls'), { name: 'tls', mountPath: '/etc/agora/tls', readOnly: true })
    assert.equal(pod.volumes?.find((v) => v.name === 'tls')?.secret?.secretName, 'agora-tls')
  }
  const api = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'rel-agora-api')!
  const container = api.spec!.template.spec.containers[0]!
  assert.equal(container.readinessProbe.httpGet.port, 'health')
  assert.equal(container.livenessProbe.httpGet.port, 'health')
  assert.deepEqual(container.ports.find((p) => p.name === 'health'), { name: 'health', containerPort: 3002 })
  assert.equal(api.spec!.template.metadata.annotations['prometheus.io/port'], '3002')
})

test('the chart makes the TLS Secret from PEM values, and development mode needs none', () => {
  const made = render('db.password=secret', 'tls.cert=CERT', 'tls.key=KEY', 'tls.ca=CA').find((m) => m.kind === 'Secret' && m.metadata.name === 'rel-agora-tls')
  assert.deepEqual(made?.stringData, { 'tls.crt': 'CERT', 'tls.key': 'KEY', 'ca.crt': 'CA' })
  const dev = render('db.password=secret', 'env=development')
  const config = dev.find((m) => m.kind === 'ConfigMap')!
  assert.equal(config.data!.AGORA_ENV, 'development')
  assert.equal(config.data!.AGORA_TLS_CA_FILE, undefined)
  const api = dev.find((m) => m.kind === 'Deployment' && m.metadata.name === 'rel-agora-api')!
  assert.equal(api.spec!.template.spec.containers[0]!.readinessProbe.httpGet.port, 'http')
})

test('the admin API runs in production and needs a source of operator tokens; the JWKS Secret is mounted into the admin pods only', () => {
  const failed = spawnSync(helm, ['template', 'rel', chart, '--set', 'db.password=secret'], { encoding: 'utf8' })
  assert.notEqual(failed.status, 0)
  assert.match(failed.stderr, /operators.jwks, operators.existingJwksSecret or operators.oidc.issuer is required/)
  const jwks = '{"keys":[{"kty":"EC","crv":"P-256","x":"x","y":"y","kid":"k1","alg":"ES256","use":"sig"}]}'
  const out = execFileSync(helm, ['template', 'rel', chart, '--set', 'db.password=secret', '--set-json', `operators.jwks=${JSON.stringify(jwks)}`], { encoding: 'utf8' })
  const manifests: Manifest[] = parseAllDocuments(out).map((d) => d.toJSON()).filter(Boolean)
  assert.equal(manifests.find((m) => m.kind === 'ConfigMap')!.data!.AGORA_ENV, 'production')
  const secret = manifests.find((m) => m.kind === 'Secret' && m.metadata.name === 'rel-agora-operator-jwks')
  assert.equal(secret?.stringData?.['jwks.json'], jwks)
  for (const d of manifests.filter((m) => m.kind === 'Deployment')) {
    const admin = d.metadata.name === 'rel-agora-admin'
    const pod = d.spec!.template.spec
    assert.equal(envOf(d).find((e) => e.name === 'AGORA_OPERATOR_JWKS_FILE')?.value, admin ? '/etc/agora/operators/jwks.json' : undefined, d.metadata.name)
    assert.equal(pod.volumes?.some((v) => v.secret?.secretName === 'rel-agora-operator-jwks') ?? false, admin, d.metadata.name)
  }
})

test('an OIDC provider needs its JWKS URL, and then no JWKS file is mounted', () => {
  const failed = spawnSync(helm, ['template', 'rel', chart, '--set', 'db.password=secret', '--set', 'operators.oidc.issuer=https://id.example/realms/agora'], { encoding: 'utf8' })
  assert.notEqual(failed.status, 0)
  assert.match(failed.stderr, /operators.oidc.jwksUrl is required/)
  const manifests = renderOnly('db.password=secret', 'operators.oidc.issuer=https://id.example/realms/agora', 'operators.oidc.jwksUrl=https://id.example/realms/agora/protocol/openid-connect/certs')
  const data = manifests.find((m) => m.kind === 'ConfigMap')!.data!
  assert.equal(data.AGORA_OIDC_ISSUER, 'https://id.example/realms/agora')
  assert.equal(data.AGORA_OIDC_JWKS_URL, 'https://id.example/realms/agora/protocol/openid-connect/certs')
  const admin = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'rel-agora-admin')!
  assert.equal(envOf(admin).find((e) => e.name === 'AGORA_OPERATOR_JWKS_FILE'), undefined)
})

test('a hook Job creates the Kafka topics before install and upgrade, with the configured partitions, replication and min.insync.replicas', () => {
  const job = render('db.password=secret', 'kafka.partitions=6', 'kafka.replicationFactor=3', 'kafka.minInsyncReplicas=2').find((m) => m.kind === 'Job')!
  assert.equal((job.metadata as { annotations?: Record<string, string> }).annotations?.['helm.sh/hook'], 'pre-install,pre-upgrade')
  const container = job.spec!.template.spec.containers[0]!
  assert.deepEqual(container.command?.slice(-3), ['bin/agora.mjs', 'topics', 'create'], 'runs agora topics create')
  const env = Object.fromEntries((container.env as { name: string; value: string }[]).map((e) => [e.name, e.value]))
  assert.deepEqual([env.AGORA_KAFKA_PARTITIONS, env.AGORA_KAFKA_REPLICATION_FACTOR, env.AGORA_KAFKA_MIN_INSYNC_REPLICAS], ['6', '3', '2'])
})
