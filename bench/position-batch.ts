// Micro benchmark of the pure position batch: reserve-and-commit pairs per second, in process.
// `node --import tsx bench/position-batch.ts` prints one JSON line; bench/run.ts records it.
import { applyPositionBatch, type PositionAccount, type PositionOp } from '../ledger/domain/position-batch.ts'

const ACCOUNTS = 50
const BATCH_SIZE = 1_000
const DURATION_MS = Number(process.env.BENCH_POSITION_MS ?? 3_000)

export function measurePositionBatch(duration_ms = DURATION_MS): { opsPerSecond: number; transfers: number } {
  const accounts = new Map<number, PositionAccount>()
  for (let id = 0; id < ACCOUNTS; id++) accounts.set(id, { id, value: 0n, reserved: 0n, ndc: 10n ** 15n, liquidity: 10n ** 15n })
  const reserves: PositionOp[] = []
  const commits: PositionOp[] = []
  for (let i = 0; i < BATCH_SIZE; i++) {
    const payer = i % ACCOUNTS
    const payee = (i * 7 + 3) % ACCOUNTS
    reserves.push({ kind: 'reserve', payer, amount: 10_000n + BigInt(i) })
    commits.push({ kind: 'commit', payer, payee, amount: 10_000n + BigInt(i) })
  }
  let transfers = 0
  const start = performance.now()
  while (performance.now() - start < duration_ms) {
    applyPositionBatch(accounts, reserves)
    applyPositionBatch(accounts, commits)
    transfers += BATCH_SIZE
  }
  const seconds = (performance.now() - start) / 1000
  return { opsPerSecond: Math.round(transfers / seconds), transfers }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify({ benchmark: 'position-batch reserve+commit', ...measurePositionBatch() }))
}
