// `agora connector <kind> --config FILE`: the connectors a participant can run on its side, one line each.
import { GSMA_CONNECTOR_USAGE, gsmaConnectorCommand } from './gsma-mmp/gsma-cli.ts'
import { ISO_CONNECTOR_USAGE, isoConnectorCommand } from './iso20022-bank/iso-cli.ts'
import { SYNC_CONNECTOR_USAGE, syncConnectorCommand } from './sync-api/sync-cli.ts'

const CONNECTORS: Record<string, { usage: string; run: (argv: string[]) => Promise<void> }> = {
  sync: { usage: SYNC_CONNECTOR_USAGE, run: syncConnectorCommand },
  iso20022: { usage: ISO_CONNECTOR_USAGE, run: isoConnectorCommand },
  gsma: { usage: GSMA_CONNECTOR_USAGE, run: gsmaConnectorCommand },
}

export const CONNECTOR_USAGE = Object.values(CONNECTORS).map((c) => c.usage).join('\n  ')

export async function connectorCommand(argv: string[]): Promise<void> {
  const kind = argv.find((a) => !a.startsWith('-'))
  const connector = kind ? CONNECTORS[kind] : undefined
  if (!connector) {
    console.log(`usage: agora ${CONNECTOR_USAGE}`)
    if (argv.includes('--help') || argv.includes('-h')) return
    throw new Error(`connector: expected one of ${Object.keys(CONNECTORS).join(', ')}`)
  }
  await connector.run(argv.filter((a) => a !== kind))
}
