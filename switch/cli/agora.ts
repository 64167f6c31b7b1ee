// `agora`: the operator's command line. Onboarding talks to the admin API (--admin, default from config);
// `start` runs the switch.
import { parseArgs } from 'node:util'
import { loadConfig } from '../config/config.ts'
import { adminClientFrom } from '../admin-client/admin-client.ts'
import { COMMANDS, type Flags } from './onboarding-commands.ts'
import { demoSetup } from '../admin-client/demo-setup.ts'
import { settlementCommand, SETTLEMENT_USAGE } from '../settlement/settlement-cli.ts'
import { hashPassword } from '../web/passwords.ts'
import { loadtestCommand, LOADTEST_USAGE } from '../loadtest/loadtest-cli.ts'
import { caCommand, CA_USAGE } from '../mtls/ca-cli.ts'
import { certificatesCommand, CERTIFICATES_USAGE } from '../mtls/certificates-cli.ts'
import { operatorsCommand, OPERATORS_USAGE } from './operator-commands.ts'
import { auditCommand, AUDIT_USAGE } from './audit-cli.ts'
import { connectorCommand, CONNECTOR_USAGE } from '../../adapters/connector-commands.ts'
import { topicsCommand, TOPICS_USAGE } from './topics-cli.ts'
import { disbursementsCommand, DISBURSEMENTS_USAGE } from '../disbursements/disbursements-cli.ts'

const STRING_FLAGS = ['admin', 'operator', 'token', 'currency', 'amount', 'reason', 'ndc', 'type', 'value', 'funds', 'dfsp-url', 'hub', 'cert', 'key', 'ca'] as const

const EXTRA_COMMANDS: Record<string, { usage: string; run: (argv: string[]) => Promise<void> }> = {
  settlement: { usage: SETTLEMENT_USAGE, run: settlementCommand },
  loadtest: { usage: LOADTEST_USAGE, run: loadtestCommand },
  ca: { usage: CA_USAGE, run: caCommand },
  certificates: { usage: CERTIFICATES_USAGE, run: certificatesCommand },
  operators: { usage: OPERATORS_USAGE, run: operatorsCommand },
  audit: { usage: AUDIT_USAGE, run: auditCommand },
  connector: { usage: CONNECTOR_USAGE, run: connectorCommand },
  topics: { usage: TOPICS_USAGE, run: topicsCommand },
  disbursements: { usage: DISBURSEMENTS_USAGE, run: disbursementsCommand },
  'hash-password': {
    usage: 'hash-password PASSWORD                 a hash for AGORA_WEB_USERS (name:role[,role]:HASH)',
    run: async ([password]) => {
      if (!password) throw new Error('usage: agora hash-password PASSWORD')
      console.log(hashPassword(password))
    },
  },
}

/** Lets other parts (settlement, load tests) add subcommands without editing this file's table. */
export function addCommand(name: string, usage: string, run: (argv: string[]) => Promise<void>): void {
  EXTRA_COMMANDS[name] = { usage, run }
}

function help(): string {
  const lines = [
    'usage: agora <command> [args] [--admin URL] [--token TOKEN (or AGORA_TOKEN)] [--operator NAME (development mode)]',
    '       [--cert FILE --key FILE] [--ca FILE]   client certificate for an https admin API (or AGORA_ADMIN_CERT, AGORA_ADMIN_KEY, AGORA_ADMIN_CA)',
    '',
    '  start                         run the switch (same as npm start without starting dependencies)',
    '  demo-setup [--dfsp-url URL] [--currency USD] [--ndc 100000] [--funds 1000000]',
    '                                hub accounts, a settlement model and two funded DFSPs (payerfsp, payeefsp)',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage}`),
    ...Object.values(EXTRA_COMMANDS).map((c) => `  ${c.usage}`),
  ]
  return lines.join('\n')
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: false,
    options: {
      ...Object.fromEntries(STRING_FLAGS.map((name) => [name, { type: 'string' as const }])),
      initial: { type: 'boolean' }, gross: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  })
  const flags = values as Flags
  if (flags.help && positionals[0] === 'topics') {
    await topicsCommand(['--help'])
    return 0
  }
  // `agora connector KIND --help`: the connector prints its own usage.
  if ((flags.help && positionals[0] !== 'connector') || positionals.length === 0) {
    console.log(help())
    return 0
  }
  const config = loadConfig()
  const [first, second] = positionals
  if (first === 'start') {
    await import('../main.ts')
    return -1 // keeps running
  }
  if (first && EXTRA_COMMANDS[first]) {
    await EXTRA_COMMANDS[first].run(argv.slice(argv.indexOf(first) + 1))
    return Number(process.exitCode ?? 0) // a subcommand may say it failed (`topics missing`)
  }
  // Built here, not above: subcommands parse their own flags (`operators token --key` is a JWK, not TLS).
  const client = adminClientFrom(flags, flags)
  if (first === 'demo-setup') {
    const done = await demoSetup(client, {
      currency: (flags.currency as string) ?? 'USD', dfspUrl: (flags['dfsp-url'] as string) ?? 'http://127.0.0.1:4000',
      ndc: (flags.ndc as string) ?? '100000', funds: (flags.funds as string) ?? '1000000', hub: config.hubName, names: ['payerfsp', 'payeefsp'],
    })
    for (const line of done) console.log(`  ✓ ${line}`)
    return 0
  }
  const two = COMMANDS[`${first} ${second}`]
  const command = two ?? COMMANDS[first!]
  if (!command) {
    console.error(`agora: unknown command "${positionals.join(' ')}"\n\n${help()}`)
    return 2
  }
  const rest = positionals.slice(two ? 2 : 1)
  console.log(JSON.stringify(await command.run(client, rest, flags), null, 2))
  return 0
}
