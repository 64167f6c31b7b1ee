// The chart renders and runs every role the switch knows, each with its own AGORA_ROLES, with its settings,
// probes and Secrets. The values files, strict schema validation and partition bounds: chart-values.test.ts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { ROLES } from '../switch/config/config.ts'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { chart, deployments, envOf, helm, type Manifest, named, OPERATORS, parse, refusal, render, renderOnly, root, roleOf } from './chart-render.ts'

/** The roles the chart runs: every role of the switch but `prepare`, which is the position consumer group
 *  (start-pipeline.ts runs one consumer of transfer.prepare and transfer.position for either name). */
const CHART_ROLES = ROLES.filter((r) => r !== 'prepare')

test('helm lint passes', () => {
  execFileSync(helm, ['lint', chart, '--set', 'db.password=secret', '--set', OPERATORS], { encoding: 'utf8' })
})

test('one Deployment per role, each running just that role; prepare is no Deployment of its own (it is the position consumer group)', () => {
  const all = deployments(render('db.password=secret'))
  assert.deepEqual(all.map(roleOf).sort(), [...CHART_ROLES].sort())
  for (const d of all) {
    assert.equal(envOf(d).find((e) => e.name === 'AGORA_MANAGE_DEPS')?.value, '0', 'never starts its own dependencies')
  }
  assert.match(refusal('db.password=secret', OPERATORS, 'roles.prepare.replicas=1'), /no separate prepare role.*scale roles.position/)
  assert.match(refusal('db.password=secret', OPERATORS, 'roles.settle.replicas=1'), /roles.settle: unknown role/)
})

test('liveness checks only the process: /live, never the database; readiness checks the dependencies: /ready; a startupProbe on /live guards the start', () => {
  for (const d of deployments(render('db.password=secret'))) {
    const container = d.spec!.template.spec.containers[0]!
    assert.equal(container.livenessProbe.httpGet.path, '/live', `${d.metadata.name}: liveness is the process alone (an outage restarts nothing)`)
    assert.equal(container.readinessProbe.httpGet.path, '/ready', `${d.metadata.name}: readiness is the database (migrated) and Kafka`)
    assert.equal(container.startupProbe?.httpGet.path, '/live', `${d.metadata.name}: the startup probe waits for the process`)
    assert.equal(container.startupProbe.httpGet.port, container.livenessProbe.httpGet.port)
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
  assert.match(refusal(OPERATORS), /db.password or db.existingSecret is required/)
  const manifests = render('db.existingSecret=my-db')
  assert.equal(manifests.filter((m) => m.kind === 'Secret' && m.metadata.name === 'rel-agora-db').length, 0)
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
  assert.match(refusal('db.password=secret'), /operators.jwks, operators.existingJwksSecret or operators.oidc.issuer is required/)
  const jwks = '{"keys":[{"kty":"EC","crv":"P-256","x":"x","y":"y","kid":"k1","alg":"ES256","use":"sig"}]}'
  const out = execFileSync(helm, ['template', 'rel', chart, '--set', 'db.password=secret', '--set-json', `operators.jwks=${JSON.stringify(jwks)}`], { encoding: 'utf8' })
  const manifests = parse(out)
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
  assert.match(refusal('db.password=secret', 'operators.oidc.issuer=https://id.example/realms/agora'), /operators.oidc.jwksUrl is required/)
  const manifests = renderOnly('db.password=secret', 'operators.oidc.issuer=https://id.example/realms/agora', 'operators.oidc.jwksUrl=https://id.example/realms/agora/protocol/openid-connect/certs')
  const data = manifests.find((m) => m.kind === 'ConfigMap')!.data!
  assert.equal(data.AGORA_OIDC_ISSUER, 'https://id.example/realms/agora')
  assert.equal(data.AGORA_OIDC_JWKS_URL, 'https://id.example/realms/agora/protocol/openid-connect/certs')
  const admin = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'rel-agora-admin')!
  assert.equal(envOf(admin).find((e) => e.name === 'AGORA_OPERATOR_JWKS_FILE'), undefined)
})

test('a hook Job creates the Kafka topics before install and upgrade, with the configured partitions, replication and min.insync.replicas', () => {
  const job = render('db.password=secret', 'kafka.partitions=6', 'kafka.replicationFactor=3', 'kafka.minInsyncReplicas=2').find((m) => m.kind === 'Job' && m.metadata.name === 'rel-agora-topics')!
  assert.equal(job.metadata.annotations?.['helm.sh/hook'], 'pre-install,pre-upgrade')
  const container = job.spec!.template.spec.containers[0]!
  assert.deepEqual(container.command?.slice(-3), ['bin/agora.mjs', 'topics', 'create'], 'runs agora topics create')
  const env = Object.fromEntries((container.env as { name: string; value: string }[]).map((e) => [e.name, e.value]))
  assert.deepEqual([env.AGORA_KAFKA_PARTITIONS, env.AGORA_KAFKA_REPLICATION_FACTOR, env.AGORA_KAFKA_MIN_INSYNC_REPLICAS], ['6', '3', '2'])
})

const pods = (manifests: Manifest[]) => manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'Job')
const hookWeight = (m: Manifest) => Number(m.metadata.annotations?.['helm.sh/hook-weight'])

test('every pod and hook Job runs as non-root, without privilege escalation or capabilities, on a read-only root filesystem with /tmp writable', () => {
  const all = pods(render('db.password=secret', 'tls.existingSecret=agora-tls'))
  assert.equal(all.filter((m) => m.kind === 'Job').length, 2, 'the migrations and topics Jobs')
  for (const m of all) {
    const pod = m.spec!.template.spec
    assert.equal(pod.securityContext?.runAsNonRoot, true, m.metadata.name)
    assert.notEqual(pod.securityContext?.runAsUser, 0, m.metadata.name)
    assert.equal(pod.automountServiceAccountToken, false, `${m.metadata.name}: the switch never calls the Kubernetes API`)
    const container = pod.containers[0]!
    assert.deepEqual(container.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } }, m.metadata.name)
    const tmp = container.volumeMounts.find((v) => v.mountPath === '/tmp')
    assert.ok(tmp && pod.volumes?.find((v) => v.name === tmp.name)?.emptyDir, `${m.metadata.name}: /tmp is an emptyDir (tsx's cache)`)
  }
})

test('migrations run in a pre-install/pre-upgrade hook Job after the database Secret and before the topics; the pods never migrate at start', () => {
  const manifests = render('db.password=secret')
  const migrations = named(manifests, 'Job', 'rel-agora-migrations')!
  assert.equal(migrations.metadata.annotations?.['helm.sh/hook'], 'pre-install,pre-upgrade')
  const container = migrations.spec!.template.spec.containers[0]!
  const script = container.command!.at(-1)!
  assert.equal(script, 'switch/store/migrate-cli.ts', 'runs npm run migrate\'s script')
  assert.ok(existsSync(path.join(root, script)))
  assert.equal(container.env.find((e) => e.name === 'AGORA_DB_PASSWORD')?.valueFrom?.secretKeyRef.name, 'rel-agora-db')
  const secret = named(manifests, 'Secret', 'rel-agora-db')!
  assert.equal(secret.metadata.annotations?.['helm.sh/hook'], 'pre-install,pre-upgrade', 'the password exists before the hook Job runs')
  assert.ok(hookWeight(secret) < hookWeight(migrations))
  assert.ok(hookWeight(migrations) < hookWeight(named(manifests, 'Job', 'rel-agora-topics')!))
  assert.equal(manifests.find((m) => m.kind === 'ConfigMap')!.data!.AGORA_MIGRATE_AT_START, 'false')
  const existing = named(render('db.existingSecret=my-db'), 'Job', 'rel-agora-migrations')!
  assert.equal(existing.spec!.template.spec.containers[0]!.env.find((e) => e.name === 'AGORA_DB_PASSWORD')?.valueFrom?.secretKeyRef.name, 'my-db')
})

test('a PodDisruptionBudget for every role that runs, selecting just its pods', () => {
  const manifests = render('db.password=secret', 'podDisruptionBudget.maxUnavailable=2')
  const budgets = manifests.filter((m) => m.kind === 'PodDisruptionBudget')
  assert.equal(budgets.length, deployments(manifests).length)
  for (const d of deployments(manifests)) {
    const budget = named(budgets, 'PodDisruptionBudget', d.metadata.name)!
    assert.deepEqual(budget.spec!.selector, d.spec!.selector)
    assert.equal(budget.spec!.maxUnavailable, 2)
  }
})

test('pods of a role spread over zones and nodes, never left pending for it', () => {
  for (const d of deployments(render('db.password=secret'))) {
    const spread = d.spec!.template.spec.topologySpreadConstraints!
    assert.deepEqual(spread.map((c) => c.topologyKey), ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'])
    for (const c of spread) {
      assert.equal(c.whenUnsatisfiable, 'ScheduleAnyway')
      assert.deepEqual(c.labelSelector.matchLabels, d.spec!.selector!.matchLabels)
    }
  }
  assert.equal(deployments(render('db.password=secret', 'topologySpread.enabled=false'))[0]!.spec!.template.spec.topologySpreadConstraints, undefined)
})

test('an optional HPA scales a stateless role instead of its fixed replica count; the timeout scanner does not autoscale', () => {
  const manifests = render('db.password=secret', 'roles.api.autoscaling.enabled=true', 'roles.api.autoscaling.maxReplicas=9')
  const hpa = named(manifests, 'HorizontalPodAutoscaler', 'rel-agora-api')!
  assert.deepEqual(hpa.spec!.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'rel-agora-api' })
  assert.equal(hpa.spec!.maxReplicas, 9)
  assert.equal(named(manifests, 'Deployment', 'rel-agora-api')!.spec!.replicas, undefined, 'the HPA owns the count')
  assert.equal(named(manifests, 'Deployment', 'rel-agora-position')!.spec!.replicas, 2)
  assert.equal(manifests.filter((m) => m.kind === 'HorizontalPodAutoscaler').length, 1, 'off unless enabled')
  assert.match(refusal('db.password=secret', OPERATORS, 'roles.timeout.autoscaling.enabled=true', 'roles.timeout.autoscaling.maxReplicas=2'), /roles.timeout.autoscaling: only api admin position notification quote autoscale/)
})

test('the web view\'s users and session secret come from one Secret that every admin replica reads', () => {
  const manifests = render('db.password=secret', 'roles.admin.replicas=3', 'web.users=ana:operator:scrypt$s$h', 'web.sessionSecret=s3cret')
  const web = named(manifests, 'Secret', 'rel-agora-web')!
  assert.deepEqual(web.stringData, { users: 'ana:operator:scrypt$s$h', 'session-secret': 's3cret' })
  const admin = named(manifests, 'Deployment', 'rel-agora-admin')!
  assert.equal(admin.spec!.replicas, 3)
  const ref = (name: string) => envOf(admin).find((e) => e.name === name)?.valueFrom?.secretKeyRef
  assert.deepEqual([ref('AGORA_WEB_USERS'), ref('AGORA_WEB_SESSION_SECRET')], [{ name: 'rel-agora-web', key: 'users' }, { name: 'rel-agora-web', key: 'session-secret' }])
  for (const d of deployments(manifests).filter((m) => m !== admin)) assert.equal(envOf(d).find((e) => e.name.startsWith('AGORA_WEB_')), undefined, d.metadata.name)
  const generated = named(render('db.password=secret'), 'Secret', 'rel-agora-web')!.stringData!['session-secret']!
  assert.match(generated, /^[A-Za-z0-9]{48}$/, 'generated when not given')
  const existing = render('db.password=secret', 'web.existingSecret=my-web')
  assert.equal(named(existing, 'Secret', 'rel-agora-web'), undefined)
  assert.equal(envOf(named(existing, 'Deployment', 'rel-agora-admin')!).find((e) => e.name === 'AGORA_WEB_SESSION_SECRET')?.valueFrom?.secretKeyRef.name, 'my-web')
})

test('the hub\'s JWS signing key comes from a Secret, named or made from jws.hubKey, mounted read-only', () => {
  assert.match(refusal('db.password=secret', OPERATORS, 'jws.sign=true'), /jws.hubKeySecret or jws.hubKey is required/)
  const made = render('db.password=secret', 'jws.sign=true', 'jws.hubKey=PEM')
  assert.deepEqual(named(made, 'Secret', 'rel-agora-jws')!.stringData, { 'hub.pem': 'PEM' })
  assert.equal(made.find((m) => m.kind === 'ConfigMap')!.data!.AGORA_JWS_HUB_KEY_FILE, '/etc/agora/jws/hub.pem')
  for (const d of deployments(render('db.password=secret', 'jws.sign=true', 'jws.hubKeySecret=hub-key'))) {
    const pod = d.spec!.template.spec
    assert.equal(pod.volumes?.find((v) => v.name === 'jws-hub-key')?.secret?.secretName, 'hub-key')
    assert.deepEqual(pod.containers[0]!.volumeMounts.find((v) => v.name === 'jws-hub-key'), { name: 'jws-hub-key', mountPath: '/etc/agora/jws', readOnly: true })
  }
})
