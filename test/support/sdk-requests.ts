// Mojaloop's own DFSP client library from the npm registry (@mojaloop/sdk-standard-components, the
// requests module of its SDK scheme adapter), as a DFSP would configure it against the switch over plain
// HTTP without JWS: its default resource versions, unchanged.
import { createRequire } from 'node:module'

export const sdk = createRequire(import.meta.url)('@mojaloop/sdk-standard-components')

export function sdkClient(apiUrl: string, dfspId: string) {
  return new sdk.MojaloopRequests({
    logger: sdk.Logger.loggerFactory({ context: { app: 'agora-test' } }),
    dfspId,
    peerEndpoint: apiUrl.replace('http://', ''),
    tls: { enabled: false },
    jwsSign: false,
  })
}
