// What the switch's HTTP faces and its pipeline are built from: one typed object, made by main.ts (or a test).
import type { Config } from '../config/config.ts'
import type { Db } from '../../ledger/store/db.ts'
import type { Ledger } from '../../ledger/ledger-port.ts'
import type { MessageBus } from '../bus/message-bus.ts'
import type { Logger } from '../observability/logger.ts'
import type { Metrics } from '../observability/metrics.ts'
import type { ParticipantChanges } from '../fspiop/participant-changes.ts'
import type { BulkPayments } from '../bulk/bulk-payments.ts'

export interface SwitchDeps {
  config: Config
  db: Db
  bus?: MessageBus
  log: Logger
  metrics: Metrics
  participantChanges: ParticipantChanges
  /** The ledger port (funds, windows, settlements); the MariaDB ledger on `db` when not given. */
  ledger?: Ledger
  /** Resolves once the database is migrated (main.ts migrates in the background of the start); readiness waits for it. */
  dbReady?: Promise<void>
  /** Replaces the pipeline's own bulk-payments port (switch/bulk/create-bulk-payments.ts), e.g. with the in-memory one in tests. */
  bulkPayments?: BulkPayments
}
