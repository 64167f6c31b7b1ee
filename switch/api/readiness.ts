// Readiness: can a transfer complete in this process now? The database answers (and is migrated), Kafka
// answers, the producer is connected and not stuck on a batch, and the consumers of this process's roles
// have joined their groups and are fetching. Each check is bounded, so a probe never hangs on an outage.
import type { HealthDeps } from './health.ts'

/** Each dependency gets this long to answer a probe. */
export const READINESS_CHECK_TIMEOUT_MS = 1_500

export interface ServiceState {
  name: 'datastore' | 'broker'
  status: 'OK' | 'DOWN'
  /** Why DOWN. */
  detail?: string
}

export async function checkReadiness(deps: HealthDeps): Promise<{ ok: boolean; services: ServiceState[] }> {
  const [datastore, broker] = await Promise.all([datastoreState(deps), deps.bus ? brokerState(deps) : undefined])
  const services = broker ? [datastore, broker] : [datastore]
  return { ok: services.every((s) => s.status === 'OK'), services }
}

async function datastoreState(deps: HealthDeps): Promise<ServiceState> {
  const migrated = deps.dbReady ? await settledWithin(deps.dbReady, 0) : true
  if (!migrated) return down('datastore', 'not migrated yet (migrating, or the database is unreachable)')
  const answers = await settledWithin(deps.db.raw('select 1'), READINESS_CHECK_TIMEOUT_MS)
  return answers ? { name: 'datastore', status: 'OK' } : down('datastore', 'the database does not answer')
}

async function brokerState(deps: HealthDeps): Promise<ServiceState> {
  if (!(await deps.bus!.isHealthy(READINESS_CHECK_TIMEOUT_MS))) return down('broker', 'Kafka does not answer')
  if (!deps.pipeline) return { name: 'broker', status: 'OK' }
  const { producer, consumers, consumersExpected } = deps.pipeline.status()
  if (!producer.connected) return down('broker', 'the producer is not connected yet')
  if (producer.stalled) return down('broker', `the producer has had a batch in flight since ${new Date(producer.inFlightSince!).toISOString()}`)
  if (consumers.length < consumersExpected) return down('broker', 'the consumers are not started yet')
  const waiting = consumers.filter((c) => !c.joined).map((c) => c.group)
  if (waiting.length > 0) return down('broker', `joining consumer groups: ${waiting.join(', ')}`)
  const stalled = consumers.filter((c) => c.stalled).map((c) => c.group)
  if (stalled.length > 0) return down('broker', `consumers not fetching: ${stalled.join(', ')}`)
  return { name: 'broker', status: 'OK' }
}

function down(name: ServiceState['name'], detail: string): ServiceState {
  return { name, status: 'DOWN', detail }
}

/** True when the promise fulfils within the time (0: already fulfilled). */
async function settledWithin(promise: Promise<unknown>, timeout_ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const outcome = await Promise.race([
    promise.then(() => true, () => false),
    new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), timeout_ms) }),
  ])
  clearTimeout(timer)
  return outcome
}
