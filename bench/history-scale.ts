// How long the web view's history queries take over a day of transfers (run by hand, not in npm test):
// `node --import tsx bench/history-scale.ts ROWS` seeds ROWS ended transfers spread over the last 24 hours
// (4 DFSPs, 3 % failed) into a fresh database and times /reports/health, /reports/volumes and
// /reports/alerts' queries, three times each. At 400 transfers/s a day is 34.6M rows.
import { createTestDb } from '../test/support/db.ts'
import { transferHealth } from '../switch/reports/health.ts'
import { volumes } from '../switch/reports/reports.ts'
import { alerts } from '../switch/reports/alerts.ts'
import { loadConfig } from '../switch/config/config.ts'

const rows = Number(process.argv[2] ?? 1_000_000)
const testDb = await createTestDb('history')
const db = testDb.db
try {
  const seeded = performance.now()
  const CHUNK = 250_000
  for (let from = 1; from <= rows; from += CHUNK) {
    const to = Math.min(rows, from + CHUNK - 1)
    await db.raw(`INSERT INTO transfer (id, payer_fsp, payee_fsp, payer_account_id, payee_account_id, amount, currency, ilp_condition, ilp_packet, expiration, state, prepare_hash, error_code, created_at, completed_at)
      SELECT LPAD(HEX(seq), 36, '0'), CONCAT('dfsp', seq % 4), CONCAT('dfsp', (seq + 1) % 4), 1, 2, 10, 'USD', 'c', 'p', NOW(3), IF(seq % 33 = 0, 'ABORTED', 'COMMITTED'), 'h',
        IF(seq % 33 = 0, '5104', NULL), NOW(3) - INTERVAL (seq * 86400000000 DIV ?) MICROSECOND - INTERVAL 150000 MICROSECOND, NOW(3) - INTERVAL (seq * 86400000000 DIV ?) MICROSECOND
      FROM seq_${from}_to_${to}`, [rows, rows])
  }
  console.log(`seeded ${rows} transfers in ${((performance.now() - seeded) / 1000).toFixed(1)} s`)
  const time = async (name: string, run: () => Promise<unknown>) => {
    const took: number[] = []
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now()
      await run()
      took.push(performance.now() - t0)
    }
    console.log(`${name}: ${took.map((t) => `${Math.round(t)} ms`).join(', ')}`)
  }
  await time('health, 24 h, the scheme', () => transferHealth(db, { hours: 24 }))
  await time('health, 24 h, one participant', () => transferHealth(db, { hours: 24, participant: 'dfsp1' }))
  await time('volumes, 24 h', () => volumes(db, 24))
  await time('alerts', () => alerts(db, loadConfig().alerts))
} finally {
  await testDb.drop()
}
