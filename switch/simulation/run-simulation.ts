// npm run simulate -- --seeds 100000 [--from 1] [--steps 120] [--mutant NAME]: many seeds of the
// deterministic simulation; SIM_SEED=123 npm run simulate replays one seed and prints its step log.
// Exits 1 on the first failure, with its seed.
import { parseArgs } from 'node:util'
import { describeFailure, runSimulation } from './simulation.ts'
import { MUTANTS, type MutantName } from './mutants.ts'

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '1000' }, from: { type: 'string', default: '1' }, steps: { type: 'string' }, mutant: { type: 'string', multiple: true, default: [] } } })
const mutants = values.mutant.map((m) => {
  if (!(m in MUTANTS)) throw new Error(`unknown mutant ${m}; one of ${Object.keys(MUTANTS).join(', ')}`)
  return m as MutantName
})
const steps = values.steps === undefined ? undefined : Number(values.steps)

async function main(): Promise<number> {
  const replay = process.env.SIM_SEED
  if (replay !== undefined) {
    const r = await runSimulation({ seed: Number(replay), steps, mutants })
    console.log(r.log.join('\n'))
    console.log(r.ok ? `seed ${r.seed}: ok (${r.transfers} transfers, trace ${r.trace.slice(0, 16)})` : describeFailure(r))
    return r.ok ? 0 : 1
  }
  const from = Number(values.from)
  const count = Number(values.seeds)
  const started = performance.now()
  for (let seed = from; seed < from + count; seed++) {
    const r = await runSimulation({ seed, steps, mutants })
    if (!r.ok) {
      console.log(describeFailure(r))
      return 1
    }
    if ((seed - from + 1) % 1000 === 0) console.log(`${seed - from + 1} seeds ok, ${((seed - from + 1) / ((performance.now() - started) / 1000)).toFixed(0)} seeds/s`)
  }
  const seconds = (performance.now() - started) / 1000
  console.log(`${count} seeds from ${from} ok in ${seconds.toFixed(1)} s (${(count / seconds).toFixed(0)} seeds/s)`)
  return 0
}

process.exitCode = await main()
