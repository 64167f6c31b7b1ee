// A switch with a payer and a payee DFSP server onboarded, funded and registered for callbacks: the
// common start of the end-to-end tests.
import { startSwitch, type SwitchHarness } from './switch-harness.ts'
import { startTestDfsp, type TestDfsp } from './dfsp-server.ts'
import { onboardDfsp, setupHub } from './fixtures.ts'
import type { Config } from '../../switch/config/config.ts'
import type { Logger } from '../../switch/observability/logger.ts'

export interface DfspPair {
  sw: SwitchHarness
  payer: TestDfsp
  payee: TestDfsp
  stop(): Promise<void>
}

export async function startSwitchWithDfsps(label: string, names: [string, string], opts: { ndc?: string; fundsIn?: string; config?: Partial<Config>; log?: Logger } = {}): Promise<DfspPair> {
  const sw = await startSwitch(label, { config: opts.config, log: opts.log })
  const payer = await startTestDfsp(names[0])
  const payee = await startTestDfsp(names[1])
  await setupHub(sw.admin, 'USD')
  for (const dfsp of [payer, payee]) await onboardDfsp(sw.admin, { name: dfsp.name, ndc: opts.ndc ?? '1000', fundsIn: opts.fundsIn ?? '1000', endpointBase: dfsp.url })
  return {
    sw, payer, payee,
    async stop() {
      await sw.stop()
      await payer.close()
      await payee.close()
    },
  }
}
