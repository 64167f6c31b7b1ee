import type { SwitchDeps } from '../runtime/switch-deps.ts'
import type { Ledger } from '../../ledger/ledger-port.ts'
import { createMySqlLedger } from '../../ledger/store/mysql-ledger.ts'

/** What the admin routes need. */
export type AdminDeps = Pick<SwitchDeps, 'config' | 'db' | 'participantChanges' | 'ledger'>

/** The ledger port the admin routes move money through: the one given, else the MariaDB ledger on `db`. */
export function adminLedger(deps: AdminDeps): Ledger {
  return deps.ledger ?? createMySqlLedger(deps.db)
}
