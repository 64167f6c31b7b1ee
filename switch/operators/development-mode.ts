// What `AGORA_ENV=development` leaves open, said loudly at start: on stderr for the person at the
// terminal, and as one log line for whoever reads the logs later.
import type { Config } from '../config/config.ts'
import { ADMIN_DEVELOPMENT_WARNING } from './operator-auth.ts'

export function developmentWarning(config: Config): string {
  const bar = '!'.repeat(78)
  return [
    bar,
    '!!  AGORA_ENV=development: PARTICIPANT AUTHENTICATION IS OFF',
    `!!  - The FSPIOP API (port ${config.http.port}) is plain HTTP: no TLS, no client certificates.`,
    '!!  - Anyone who can reach it can act as any DFSP by setting FSPIOP-Source: prepare transfers',
    '!!    against another payer\'s liquidity, fulfil or abort another DFSP\'s transfers, read quotes.',
    '!!  - Callbacks to https endpoints are sent without the hub\'s client certificate unless the',
    '!!    AGORA_TLS_* files are set.',
    ...(config.roles.has('admin') ? ADMIN_DEVELOPMENT_WARNING.split('\n').map((line) => line.replace(/^!!! /, '!!  ')) : []),
    '!!  - Whatever else development mode relaxes is listed in the README ("Development mode").',
    '!!  Use it on a laptop or in tests only. Production (the default) needs AGORA_TLS_CERT_FILE,',
    '!!  AGORA_TLS_KEY_FILE and AGORA_TLS_CA_FILE; `npx agora ca init` makes a test set.',
    bar,
  ].join('\n')
}
