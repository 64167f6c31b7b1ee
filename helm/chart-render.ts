// Renders helm/agora for the chart tests: `helm template` with --set values or a values file, parsed into
// the manifests (a duplicate key in a manifest fails the render), and the parts of them the tests read.
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { parseAllDocuments } from 'yaml'

export const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
export const chart = path.join(root, 'helm', 'agora')
export const helm = execFileSync('bash', [path.join(root, 'scripts', 'helm.sh')], { encoding: 'utf8', timeout: 600_000 }).trim()
/** The values files of the chart beside its defaults: a small scheme's and a large one's. */
export const VALUES_FILES = ['values-small.yaml', 'values-large.yaml'].map((f) => path.join(chart, f))

/** What these tests read of a Kubernetes manifest. */
interface Probe { httpGet: { path: string; port: string; scheme?: string }; periodSeconds?: number; failureThreshold?: number }
export interface EnvVar { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }
export interface Container {
  env: EnvVar[]
  readinessProbe: Probe
  livenessProbe: Probe
  startupProbe?: Probe
  ports: { name: string; containerPort: number }[]
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[]
  command?: string[]
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] } }
}
export interface PodSpec {
  containers: Container[]
  volumes?: { name: string; secret?: { secretName: string }; emptyDir?: object }[]
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number }
  automountServiceAccountToken?: boolean
  topologySpreadConstraints?: { topologyKey: string; whenUnsatisfiable: string; labelSelector: { matchLabels: Record<string, string> } }[]
}
export interface Spec {
  replicas?: number
  template: { metadata: { annotations: Record<string, string> }; spec: PodSpec }
  selector?: { matchLabels: Record<string, string> }
  maxUnavailable?: number
  minReplicas?: number
  maxReplicas?: number
  scaleTargetRef?: { kind: string; name: string }
}
export type Manifest = {
  kind: string
  metadata: { name: string; annotations?: Record<string, string> }
  spec?: Spec
  data?: Record<string, string>
  stringData?: Record<string, string>
}

/** Every render names a source of operator tokens, which the chart requires (see the operators test). */
export const OPERATORS = 'operators.existingJwksSecret=scheme-operator-jwks'

export function render(...sets: string[]): Manifest[] {
  return renderOnly(OPERATORS, ...sets)
}

export function renderOnly(...sets: string[]): Manifest[] {
  return parse(execFileSync(helm, ['template', 'rel', chart, ...sets.flatMap((s) => ['--set', s])], { encoding: 'utf8' }))
}

/** `helm template` of a values file, as YAML text. */
export function templateFile(valuesFile: string): string {
  return execFileSync(helm, ['template', 'rel', chart, '-f', valuesFile], { encoding: 'utf8' })
}

export function parse(out: string): Manifest[] {
  const documents = parseAllDocuments(out)
  for (const d of documents) assert.deepEqual(d.errors, [], 'every manifest is valid YAML without duplicate keys')
  return documents.map((d) => d.toJSON()).filter(Boolean)
}

/** A render the chart refuses: its error message. */
export function refusal(...sets: string[]): string {
  const failed = spawnSync(helm, ['template', 'rel', chart, ...sets.flatMap((s) => ['--set', s])], { encoding: 'utf8' })
  assert.notEqual(failed.status, 0, `helm template ${sets.join(' ')} must fail`)
  return failed.stderr
}

export const envOf = (deployment: Manifest) => deployment.spec!.template.spec.containers[0]!.env
export const deployments = (manifests: Manifest[]) => manifests.filter((m) => m.kind === 'Deployment')
export const named = (manifests: Manifest[], kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name)
export const roleOf = (deployment: Manifest) => envOf(deployment).find((e) => e.name === 'AGORA_ROLES')?.value
