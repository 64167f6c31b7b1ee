// The start of the cross-currency end-to-end tests: a switch with a USD payer, a TZS payee and FXPs holding
// positions in both (USD 10,000 cap and 20,000 funds; TZS 1,000,000 cap and 5,000,000 funds), each a DFSP
// server registered for callbacks; and positions as the admin API answers them.
import { startSwitch, type SwitchHarness } from './switch-harness.ts'
import { startTestDfsp, type TestDfsp } from './dfsp-server.ts'
import { call, onboardDfsp, onboardFxp, setupHub } from './fixtures.ts'

export interface FxWorld {
  sw: SwitchHarness
  payer: TestDfsp
  payee: TestDfsp
  /** The FXPs, in the order named. */
  fxps: TestDfsp[]
  /** [value, reserved] of the participant's POSITION account in the currency. */
  position(name: string, currency: string): Promise<[number, number]>
  stop(): Promise<void>
}

export async function startFxWorld(label: string, names: { payer: string; payee: string; fxps: string[] }): Promise<FxWorld> {
  const sw = await startSwitch(label)
  const payer = await startTestDfsp(names.payer)
  const payee = await startTestDfsp(names.payee)
  const fxps = await Promise.all(names.fxps.map((name) => startTestDfsp(name)))
  for (const currency of ['USD', 'TZS']) await setupHub(sw.admin, currency)
  await onboardDfsp(sw.admin, { name: payer.name, currency: 'USD', ndc: '10000', fundsIn: '20000', endpointBase: payer.url })
  await onboardDfsp(sw.admin, { name: payee.name, currency: 'TZS', ndc: '1000000', fundsIn: '1000000', endpointBase: payee.url })
  for (const fxp of fxps) {
    await onboardFxp(sw.admin, { name: fxp.name, currencies: ['USD', 'TZS'], ndc: { USD: '10000', TZS: '1000000' }, fundsIn: { USD: '20000', TZS: '5000000' }, endpointBase: fxp.url })
  }
  return {
    sw, payer, payee, fxps,
    async position(name, currency) {
      const accounts = (await call(sw.admin, 'GET', `/participants/${name}/accounts`)).body as { ledgerAccountType: string; currency: string; value: number; reservedValue: number }[]
      const a = accounts.find((x) => x.ledgerAccountType === 'POSITION' && x.currency === currency)
      if (!a) throw new Error(`${name} has no ${currency} POSITION account`)
      return [a.value, a.reservedValue]
    },
    async stop() {
      await sw.stop()
      for (const d of [payer, payee, ...fxps]) await d.close()
    },
  }
}
