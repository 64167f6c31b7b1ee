// `agora certificates …`: participants' client certificates through the admin API.
import { parseArgs } from 'node:util'
import { readFileSync } from 'node:fs'
import { adminClientFrom } from '../admin-client/admin-client.ts'

export const CERTIFICATES_USAGE = `certificates register NAME --cert FILE     register a participant's client certificate (PEM)
  certificates list NAME                     its certificates: fingerprint, state, validity, who registered or revoked
  certificates revoke NAME FINGERPRINT       refused at once by this switch, within seconds by every replica
  certificates rotate NAME --cert FILE --revoke FINGERPRINT
                                             register the new one, then revoke the old one`

export async function certificatesCommand(argv: string[]): Promise<void> {
  const { values: f, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: { cert: { type: 'string' }, revoke: { type: 'string' }, admin: { type: 'string' }, operator: { type: 'string' }, token: { type: 'string' } },
  })
  // --cert is the participant's certificate here: the admin client's own comes from AGORA_ADMIN_CERT/KEY/CA.
  const client = adminClientFrom(f)
  const [sub, name, fingerprint] = positionals
  if (!name) throw new Error(`usage: agora ${CERTIFICATES_USAGE}`)
  const base = `/participants/${encodeURIComponent(name)}/certificates`
  const register = () => {
    if (!f.cert) throw new Error('--cert FILE is required')
    return client.request('POST', base, { certificate: readFileSync(f.cert, 'utf8') })
  }
  const revoke = (fp: string) => client.request('DELETE', `${base}/${encodeURIComponent(fp)}`)
  switch (sub) {
    case 'register': return print(await register())
    case 'list': return print(await client.request('GET', base))
    case 'revoke':
      if (!fingerprint) throw new Error('usage: agora certificates revoke NAME FINGERPRINT')
      return print(await revoke(fingerprint))
    case 'rotate': {
      if (!f.revoke) throw new Error('--revoke FINGERPRINT (the old certificate) is required')
      const registered = await register()
      return print({ registered, revoked: await revoke(f.revoke) })
    }
    default: throw new Error(`usage: agora ${CERTIFICATES_USAGE}`)
  }
}

function print(value: unknown): void {
  console.log(JSON.stringify(value, null, 2))
}
