// G2P: one government disbursement of N beneficiaries (default 100,000) through the switch the other phases
// measure. A payer (the ministry's bank) and one payee reference DFSP per 10,000 beneficiaries (the most one
// POST /participants registers, the API's partyList maxItems) are onboarded; each payee registers its
// beneficiaries in the account lookup with one batch POST /participants; then one pain.001.001.10 of N
// credit transfers (a few to parties nobody registered) is POSTed to /disbursements on the FSPIOP API, its
// progress polled until COMPLETED and its pain.002 report fetched. Timed from the submission to the report.
import { randomBytes } from 'node:crypto'
import { loadavg } from 'node:os'
import type { Knex } from 'knex'
import { AdminClient } from '../switch/admin-client/admin-client.ts'
import { demoSetup } from '../switch/admin-client/demo-setup.ts'
import { ReferenceDfsp } from '../adapters/reference-dfsp/reference-dfsp.ts'
import { startDfspHost } from '../adapters/reference-dfsp/dfsp-host.ts'
import { checkInvariants } from '../ledger/invariants/ledger-invariants.ts'
import { pipelineInvariants } from '../switch/invariants/pipeline-invariants.ts'
import { cpuPerPayment, cpuSnapshot, type Pids } from './process-stats.ts'
import { normalisedCpuMs, normalisedRate, type Calibration } from './calibration.ts'

/** The API's partyList maxItems: one registration batch per payee DFSP. */
export const PARTIES_PER_BATCH_MAX = 10_000
export const PAYEE_DFSPS_MIN = 3
/** One beneficiary in this many is a party nobody registered (unresolved in the report). */
export const UNKNOWN_EVERY = 1_000
export const G2P_POLL_MS = 500
export const G2P_TIMEOUT_MS = 20 * 60_000
/** The payer's NDC and funds in: more than any disbursement of this phase pays. */
export const G2P_PAYER_FUNDS = '100000000000'

export interface G2pOutcome {
  beneficiaries: number
  payees: number
  unknownPlanted: number
  registration_ms: number
  accept_ms: number
  pay_ms: number
  report_ms: number
  total_ms: number
  paid: number
  failed: number
  unresolved: number
  reportBytes: number
  reportIsPain002: boolean
  /** Switch CPU ms, in all and per beneficiary; the machine's other processes per beneficiary too. */
  switchCpu_ms: number
  cpuPerBeneficiary_ms: Record<string, number>
  violations: string[]
  /** The machine's 1-minute load average at the submission and at the report (it is shared). */
  load: [number, number]
}

const msisdn = (i: number) => `2557${String(i).padStart(8, '0')}`
const unknownMsisdn = (i: number) => `2558${String(i).padStart(8, '0')}`
const amountOf = (i: number) => `${(i % 50) + 1}.25`

/** A pain.001.001.10 as a ministry's bank sends it: one payment information block, N credit transfers by MSISDN. */
export function pain001(o: { msgId: string; payerFsp: string; count: number; party: (i: number) => string }): string {
  const txs: string[] = []
  for (let i = 0; i < o.count; i++) {
    txs.push(`<CdtTrfTxInf><PmtId><EndToEndId>E2E-${i}</EndToEndId></PmtId><Amt><InstdAmt Ccy="USD">${amountOf(i)}</InstdAmt></Amt><Cdtr><Nm>Beneficiary ${i}</Nm></Cdtr><CdtrAcct><Id><Othr><Id>${o.party(i)}</Id><SchmeNm><Prtry>MSISDN</Prtry></SchmeNm></Othr></Id></CdtrAcct></CdtTrfTxInf>`)
  }
  const now = new Date().toISOString()
  return `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.10"><CstmrCdtTrfInitn><GrpHdr><MsgId>${o.msgId}</MsgId><CreDtTm>${now.slice(0, 19)}Z</CreDtTm><NbOfTxs>${o.count}</NbOfTxs><InitgPty><Nm>Ministry of Finance</Nm></InitgPty></GrpHdr><PmtInf><PmtInfId>PMT-1</PmtInfId><PmtMtd>TRF</PmtMtd><ReqdExctnDt><Dt>${now.slice(0, 10)}</Dt></ReqdExctnDt><Dbtr><Nm>Ministry of Finance</Nm></Dbtr><DbtrAcct><Id><Othr><Id>MOF-001</Id></Othr></Id></DbtrAcct><DbtrAgt><FinInstnId><Othr><Id>${o.payerFsp}</Id></Othr></FinInstnId></DbtrAgt>${txs.join('')}</PmtInf></CstmrCdtTrfInitn></Document>`
}

export async function g2pPhase(o: { apiUrl: string; adminUrl: string; hubName: string; beneficiaries: number; db: Knex; pids: Pids; log: (line: string) => void }): Promise<G2pOutcome> {
  const n = o.beneficiaries
  const run = randomBytes(3).toString('hex')
  const payees = Math.max(PAYEE_DFSPS_MIN, Math.ceil(n / PARTIES_PER_BATCH_MAX))
  const isUnknown = (i: number) => i % UNKNOWN_EVERY === UNKNOWN_EVERY - 1
  const payeeOf = (i: number) => i % payees
  const payerName = `g2p${run}bank`
  const payer = new ReferenceDfsp({ name: payerName, secret: randomBytes(16).toString('hex'), switchUrl: o.apiUrl, customers: [{ idType: 'MSISDN', id: '255600000001', name: 'treasury', balance: G2P_PAYER_FUNDS }] })
  const wallets = Array.from({ length: payees }, (_, p) => new ReferenceDfsp({
    name: `g2p${run}w${p}`, secret: randomBytes(16).toString('hex'), switchUrl: o.apiUrl,
    customers: Array.from({ length: n }, (_, i) => i).filter((i) => payeeOf(i) === p && !isUnknown(i)).map((i) => ({ idType: 'MSISDN', id: msisdn(i), name: `Beneficiary ${i}`, balance: '0' })),
  }))
  const host = await startDfspHost([payer, ...wallets])
  try {
    const admin = new AdminClient(o.adminUrl, 'bench-g2p')
    await demoSetup(admin, { currency: 'USD', dfspUrl: host.url, ndc: G2P_PAYER_FUNDS, funds: G2P_PAYER_FUNDS, hub: o.hubName, names: [payerName, ...wallets.map((w) => w.name)] })
    o.log(`g2p: ${n} beneficiaries over ${payees} payee DFSPs, registering them (${payees} batch POST /participants)`)
    const registering = performance.now()
    await Promise.all(wallets.map((w) => w.registerParties()))
    const registration_ms = performance.now() - registering
    const unknownPlanted = Array.from({ length: n }, (_, i) => i).filter(isUnknown).length
    const msgId = `MOF-BENCH-${run}`
    const body = pain001({ msgId, payerFsp: payerName, count: n, party: (i) => (isUnknown(i) ? unknownMsisdn(i) : msisdn(i)) })
    const headers = { 'fspiop-source': payerName }
    o.log(`g2p: submitting one pain.001 of ${n} credit transfers (${(body.length / 1e6).toFixed(1)} MB)`)
    const cpuBefore = cpuSnapshot(o.pids)
    const load = [loadavg()[0]!, 0] as [number, number]
    const started = performance.now()
    const submitted = await fetch(`${o.apiUrl}/disbursements`, { method: 'POST', headers: { ...headers, 'content-type': 'application/xml' }, body })
    const answer = (await submitted.json()) as { disbursementId?: string }
    if (submitted.status !== 202 || !answer.disbursementId) throw new Error(`g2p: POST /disbursements answered ${submitted.status} ${JSON.stringify(answer).slice(0, 500)}`)
    const accepted = performance.now()
    const id = encodeURIComponent(answer.disbursementId)
    let progress: { state: string; paid: number; failed: number; unresolved: number }
    let lastLog = 0
    for (;;) {
      await new Promise((r) => setTimeout(r, G2P_POLL_MS))
      progress = (await (await fetch(`${o.apiUrl}/disbursements/${id}`, { headers })).json()) as typeof progress
      if (progress.state === 'COMPLETED') break
      if (performance.now() - started > G2P_TIMEOUT_MS) throw new Error(`g2p: not COMPLETED after ${G2P_TIMEOUT_MS} ms: ${JSON.stringify(progress)}`)
      if (performance.now() - lastLog > 5_000) { lastLog = performance.now(); o.log(`g2p: ${Math.round((lastLog - started) / 1000)} s ${JSON.stringify(progress)}`) }
    }
    const paidAt = performance.now()
    const reportAnswer = await fetch(`${o.apiUrl}/disbursements/${id}/report`, { headers })
    const report = await reportAnswer.text()
    if (!reportAnswer.ok) throw new Error(`g2p: report answered ${reportAnswer.status} ${report.slice(0, 500)}`)
    const done = performance.now()
    load[1] = loadavg()[0]!
    const cpu = cpuPerPayment(cpuBefore, cpuSnapshot(o.pids), n)
    const violations = await checkInvariants(o.db, pipelineInvariants({ expirySlack_ms: 60_000 }))
    return {
      beneficiaries: n, payees, unknownPlanted, registration_ms: Math.round(registration_ms),
      accept_ms: Math.round(accepted - started), pay_ms: Math.round(paidAt - accepted), report_ms: Math.round(done - paidAt), total_ms: Math.round(done - started),
      paid: progress.paid, failed: progress.failed, unresolved: progress.unresolved, reportBytes: report.length, reportIsPain002: report.includes('pain.002'),
      switchCpu_ms: Math.round((cpu.switch ?? 0) * n), cpuPerBeneficiary_ms: cpu, violations, load,
    }
  } finally {
    for (const d of [payer, ...wallets]) await d.close()
    await host.close()
  }
}

/** BENCHMARKS.md's section for the G2P phase. */
export function g2pSection(g: G2pOutcome, when: string, machine: string, calibration?: Calibration): string {
  const s = g.total_ms / 1000
  const met = g.beneficiaries >= 100_000 ? ` — target ≤ 120 s for 100,000: ${s <= 120 ? 'met' : '**not met**'}` : ' (smaller than the 100,000 of the target: indicative)'
  return `## G2P disbursement: ${g.beneficiaries.toLocaleString('en')} beneficiaries (${when} UTC)

One pain.001.001.10 POSTed to \`/disbursements\` on the FSPIOP API by the ministry's bank (a reference DFSP), paid
by the switch's disbursement engine through FSPIOP bulk quotes and bulk transfers to ${g.payees} payee reference
DFSPs, on the benchmark's one-process switch (all roles). Machine: ${machine}.
The beneficiaries were registered before, one batch \`POST /participants\` per payee DFSP (${g.registration_ms} ms for all,
not in the total); ${g.unknownPlanted} of them (one in ${UNKNOWN_EVERY}) are parties nobody registered.

| submission → 202 | 202 → COMPLETED | report (pain.002) | **total, submission → report** | beneficiaries/s | paid | failed | unresolved |
|---|---|---|---|---|---|---|---|
| ${g.accept_ms} ms | ${g.pay_ms} ms | ${g.report_ms} ms | **${s.toFixed(1)} s**${met} | ${Math.round(g.beneficiaries / s)}/s${calibration ? ` (${normalisedRate(g.beneficiaries / s, calibration)}/s normalised)` : ''} | ${g.paid} | ${g.failed} | ${g.unresolved} |

- Switch CPU: ${(g.switchCpu_ms / 1000).toFixed(1)} s in all, ${g.cpuPerBeneficiary_ms.switch?.toFixed(2)} ms per beneficiary${calibration && g.cpuPerBeneficiary_ms.switch !== undefined ? ` (${normalisedCpuMs(g.cpuPerBeneficiary_ms.switch, calibration).toFixed(2)} ms normalised)` : ''}; per beneficiary, MariaDB ${g.cpuPerBeneficiary_ms.mariadb?.toFixed(2) ?? '–'} ms, Kafka ${g.cpuPerBeneficiary_ms.kafka?.toFixed(2) ?? '–'} ms, this process (DFSPs, polling) ${g.cpuPerBeneficiary_ms.bench?.toFixed(2) ?? '–'} ms.
- The machine's 1-minute load average (shared with other work) at the submission → at the report: ${g.load.map((x) => x.toFixed(1)).join(' → ')}.
- Report: ${g.reportBytes.toLocaleString('en')} bytes, ${g.reportIsPain002 ? 'a pain.002' : '**not a pain.002**'}.
- Ledger invariants after the disbursement: ${g.violations.length} violations${g.violations.length ? `: ${g.violations.slice(0, 5).join('; ')}` : ''}.
`
}

/** BENCHMARKS.md's section when the disbursement did not complete. */
export function g2pFailedSection(beneficiaries: number, error: string, how: string, when: string, machine: string): string {
  return `## G2P disbursement: ${beneficiaries.toLocaleString('en')} beneficiaries (${when} UTC): **did not complete**

One pain.001.001.10 of ${beneficiaries.toLocaleString('en')} credit transfers POSTed to \`/disbursements\` on the benchmark's
one-process switch. Machine: ${machine}.

- What happened: ${error.slice(0, 300).replace(/\n/g, ' ')}; ${how}.
`
}
