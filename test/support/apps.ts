// The switch's apps on a test database, with logs off and a metrics registry of their own.
import { loadConfig, type Config } from '../../switch/config.ts'
import { buildAdminApp, buildApiApp, type SwitchDeps } from '../../switch/app.ts'
import { silentLogger } from '../../switch/observability/logger.ts'
import { createMetrics } from '../../switch/observability/metrics.ts'
import { createParticipantChanges } from '../../switch/admin/participant-changes.ts'
import type { Db } from '../../ledger/store/db.ts'
import type { MessageBus } from '../../switch/bus/message-bus.ts'

/** Development mode (participant mTLS and operator authentication off, actors from x-agora-operator) unless
 *  the test's config says production. */
export function testDeps(db: Db, opts: { bus?: MessageBus; config?: Partial<Config> } = {}): SwitchDeps {
  return {
    config: { ...loadConfig({ ...process.env, AGORA_ENV: 'development' }), ...opts.config },
    db,
    bus: opts.bus,
    log: silentLogger(),
    metrics: createMetrics({ defaultMetrics: false }),
    participantChanges: createParticipantChanges(),
  }
}

export async function testAdminApp(db: Db, opts: { bus?: MessageBus; config?: Partial<Config> } = {}) {
  return buildAdminApp(testDeps(db, opts))
}

export async function testApiApp(db: Db, opts: { bus?: MessageBus; config?: Partial<Config> } = {}) {
  return buildApiApp(testDeps(db, opts))
}
