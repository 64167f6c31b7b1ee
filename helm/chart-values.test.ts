// The chart as CI checks it: helm lint and helm template of each values file, every manifest validated
// strictly against the Kubernetes schemas (scripts/kubernetes-validate.sh, schemas shipped with the PyPI
// package), no consuming role with more working replicas than its topic has partitions, and every setting
// the README lists reachable through values.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { TOPICS } from '../switch/pipeline/messages.ts'
import { chart, deployments, envOf, helm, type Manifest, named, OPERATORS, parse, refusal, render, root, roleOf, templateFile, VALUES_FILES } from './chart-render.ts'

/** The topics each consuming role reads (start-pipeline.ts): one consumer per partition does work. Every topic
 *  gets AGORA_KAFKA_PARTITIONS partitions (topic-specs.ts). */
const CONSUMED: Record<string, readonly string[]> = {
  position: [TOPICS.prepare, TOPICS.position],
  notification: [TOPICS.notification],
  quote: [TOPICS.quote],
}

/** A render with every optional part on: Secrets made from values, OIDC, admin TLS with client certificates,
 *  JWS, tracing, every HPA, so that strict validation sees each template's every branch. */
const EVERYTHING = [
  'db.password=secret', 'tls.cert=CERT', 'tls.key=KEY', 'tls.ca=CA', 'operators.jwks={"keys":[]}',
  'operators.oidc.issuer=https://id.example/realms/agora', 'operators.oidc.jwksUrl=https://id.example/certs',
  'adminTls.enabled=true', 'adminTls.clients={}', 'jws.sign=true', 'jws.hubKey=PEM', 'jws.validateInbound=true',
  'web.users=ana:operator:scrypt$s$h', 'tracing.enabled=true', 'tracing.otlpEndpoint=http://otel:4318', 'extraEnv.NODE_OPTIONS=--enable-source-maps',
  ...['api', 'admin', 'position', 'notification', 'quote'].map((r) => `roles.${r}.autoscaling.enabled=true`),
]

const work = mkdtempSync(path.join(tmpdir(), 'agora-chart-'))

function validateStrictly(name: string, yaml: string): void {
  const file = path.join(work, `${name}.yaml`)
  writeFileSync(file, yaml)
  execFileSync('bash', [path.join(root, 'scripts', 'kubernetes-validate.sh'), file], { encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] })
}

test('helm lint passes for the defaults and for each values file', () => {
  execFileSync(helm, ['lint', chart, '--strict', '--set', 'db.password=secret', '--set', OPERATORS], { encoding: 'utf8' })
  for (const file of VALUES_FILES) execFileSync(helm, ['lint', chart, '--strict', '-f', file], { encoding: 'utf8' })
})

test('every manifest of each values file, and of a render with every option on, validates strictly against the Kubernetes schemas', () => {
  const renders: [string, string][] = [
    ...VALUES_FILES.map((f): [string, string] => [path.basename(f, '.yaml'), templateFile(f)]),
    ['defaults', execFileSync(helm, ['template', 'rel', chart, '--set', 'db.password=secret', '--set', OPERATORS], { encoding: 'utf8' })],
    ['everything', execFileSync(helm, ['template', 'rel', chart, ...EVERYTHING.flatMap((s) => ['--set', s])], { encoding: 'utf8' })],
  ]
  for (const [name, yaml] of renders) {
    const kinds = new Set(parse(yaml).map((m) => m.kind))
    for (const kind of ['ConfigMap', 'Deployment', 'Job', 'PodDisruptionBudget', 'Service']) assert.ok(kinds.has(kind), `${name} renders a ${kind}`)
    validateStrictly(name, yaml)
  }
})

test('strict validation refuses a manifest with a field Kubernetes does not know, and a kind it has no schema for', () => {
  const yaml = templateFile(VALUES_FILES[0]!)
  assert.throws(() => validateStrictly('unknown-field', yaml.replace('terminationGracePeriodSeconds:', 'terminationGracePeriodSecond:')), /Additional properties are not allowed/)
  assert.throws(() => validateStrictly('unknown-kind', 'apiVersion: v1\nkind: Frobnicator\nmetadata: { name: x }\n'), /Couldn't find schema/)
})

/** The most replicas of a role that can run at once: the HPA's maximum, or the Deployment's count. */
function replicasMax(manifests: Manifest[], deployment: Manifest): number {
  const hpa = named(manifests, 'HorizontalPodAutoscaler', deployment.metadata.name)
  return hpa ? hpa.spec!.maxReplicas! : deployment.spec!.replicas!
}

test('no consuming role can have more replicas doing work than its topic has partitions', () => {
  for (const file of VALUES_FILES) {
    const manifests = parse(templateFile(file))
    const partitions = Number(manifests.find((m) => m.kind === 'ConfigMap')!.data!.AGORA_KAFKA_PARTITIONS)
    const consuming = deployments(manifests).filter((d) => roleOf(d)! in CONSUMED)
    assert.deepEqual(consuming.map(roleOf).sort(), Object.keys(CONSUMED).sort(), path.basename(file))
    for (const d of consuming) assert.ok(replicasMax(manifests, d) <= partitions, `${path.basename(file)}: ${d.metadata.name} ${replicasMax(manifests, d)} replicas, ${partitions} partitions`)
  }
  for (const role of Object.keys(CONSUMED)) {
    assert.match(refusal('db.password=secret', OPERATORS, 'kafka.partitions=4', `roles.${role}.replicas=5`), new RegExp(`roles.${role}: 5 replicas .* kafka.partitions=4`))
    assert.match(refusal('db.password=secret', OPERATORS, 'kafka.partitions=4', `roles.${role}.autoscaling.enabled=true`, `roles.${role}.autoscaling.maxReplicas=5`), new RegExp(`roles.${role}: 5 replicas`))
    assert.equal(named(render('db.password=secret', 'kafka.partitions=4', `roles.${role}.replicas=4`), 'Deployment', `rel-agora-${role}`)!.spec!.replicas, 4, 'as many as the partitions is fine')
  }
  assert.equal(named(render('db.password=secret', 'kafka.partitions=4', 'roles.api.replicas=9'), 'Deployment', 'rel-agora-api')!.spec!.replicas, 9, 'api consumes no topic')
})

/** README settings no chart value stands for, and why. */
const NOT_CHART_SETTINGS: Record<string, string> = {
  AGORA_HOME: 'where the scripts keep their downloads; no script runs in a pod',
  AGORA_TOKEN: 'the agora CLI\'s token, not the switch\'s',
  AGORA_JWS: 'the shorthand of AGORA_JWS_SIGN and AGORA_VALIDATE_INBOUND_JWS, which the chart sets (jws.sign, jws.validateInbound)',
}

test('every setting the README lists is set by the chart from its values', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
  const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('### Running against your own Kafka and MySQL'))
  const listed = new Set([...table.matchAll(/^\| (.+?) \|/gm)].flatMap((row) => [...row[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!)))
  assert.ok(listed.size > 50, `the README's Configuration table lists the settings (${listed.size} found)`)
  const manifests = render(...EVERYTHING)
  const set = new Set([
    ...Object.keys(manifests.find((m) => m.kind === 'ConfigMap')!.data!),
    ...deployments(manifests).flatMap((d) => envOf(d).map((e) => e.name)),
  ])
  const missing = [...listed].filter((name) => !set.has(name) && !(name in NOT_CHART_SETTINGS))
  assert.deepEqual(missing, [], 'README settings the chart cannot set')
  const config = render('db.password=secret', 'limits.ratePerSecond=7', 'db.acquireTimeoutMs=900', 'settlement.windowCloseIntervalSeconds=60', 'extraEnv.AGORA_X=1').find((m) => m.kind === 'ConfigMap')!.data!
  assert.deepEqual([config.AGORA_RATE_LIMIT_PER_S, config.AGORA_DB_ACQUIRE_TIMEOUT_MS, config.AGORA_WINDOW_CLOSE_INTERVAL_S, config.AGORA_X], ['7', '900', '60', '1'])
})
