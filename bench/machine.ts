// The facts about the machine and the settings a benchmark states next to its numbers.
import { execFileSync } from 'node:child_process'
import { cpus } from 'node:os'
import type { Db } from '../ledger/store/db.ts'
import type { Calibration } from './calibration.ts'

export interface Machine {
  nproc: string
  memory: string
  cpuModel: string
  node: string
  mariadb: string
  durability: { innodbFlushLogAtTrxCommit: string; binlog: string; syncBinlog: string }
  /** Its single-core speed, measured at the start of the run (bench/calibration.ts). */
  calibration?: Calibration
}

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim()
  } catch {
    return 'unknown'
  }
}

export async function describeMachine(db: Db): Promise<Machine> {
  const [rows] = await db.raw('SELECT @@innodb_flush_log_at_trx_commit AS flush, @@log_bin AS binlog, @@sync_binlog AS sync_binlog, VERSION() AS version')
  const r = (rows as Record<string, unknown>[])[0]!
  return {
    nproc: run('nproc', []),
    // `free -h`, the memory line only: total, used, free, shared, buff/cache, available.
    memory: run('free', ['-h']).split('\n').find((l) => l.startsWith('Mem:'))?.replace(/\s+/g, ' ') ?? 'unknown',
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    mariadb: String(r.version),
    durability: { innodbFlushLogAtTrxCommit: String(r.flush), binlog: String(r.binlog) === '1' ? 'on' : 'off', syncBinlog: String(r.sync_binlog) },
  }
}
