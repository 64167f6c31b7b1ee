// `agora operators …`: the scheme's own operator credentials, without an identity provider.
//   keygen --dir DIR [--alg ES256|RS256]   a signing key pair: DIR/operator-key-<kid>.private.jwk.json (keep it
//                                          secret) and its public key added to DIR/operators.jwks.json (the switch's
//                                          AGORA_OPERATOR_JWKS_FILE)
//   token --key FILE --subject NAME --role ROLE [--role ROLE] [--ttl 8h] [--issuer agora] [--audience agora-admin]
//                                          prints a bearer token (send it with --token or AGORA_TOKEN)
import { parseArgs } from 'node:util'
import { loadConfig } from '../config/config.ts'
import { generateOperatorKey, readPrivateKey, signOperatorToken, writeOperatorKey, type KeyAlgorithm } from '../operators/local-keys.ts'
import { TOKEN_ALGORITHMS } from '../operators/operator-tokens.ts'
import { isOperatorRole, OPERATOR_ROLES } from '../config/operator-roles.ts'

export const OPERATORS_USAGE = `operators keygen --dir DIR [--alg ES256|RS256]
                                a signing key (private JWK) and the JWKS file for AGORA_OPERATOR_JWKS_FILE
  operators token --key FILE --subject NAME --role ${OPERATOR_ROLES.join('|')} [--role …] [--ttl 8h]
                  [--issuer ISS] [--audience AUD]   prints an operator's bearer token (for --token / AGORA_TOKEN)`

export async function operatorsCommand(argv: string[]): Promise<void> {
  const { values: f, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      dir: { type: 'string' }, alg: { type: 'string' }, key: { type: 'string' }, subject: { type: 'string' },
      role: { type: 'string', multiple: true }, ttl: { type: 'string' }, issuer: { type: 'string' }, audience: { type: 'string' },
    },
  })
  const [sub] = positionals
  if (sub === 'keygen') {
    if (!f.dir) throw new Error('usage: agora operators keygen --dir DIR [--alg ES256|RS256]')
    const alg = f.alg ?? 'ES256'
    if (!(TOKEN_ALGORITHMS as readonly string[]).includes(alg)) throw new Error(`--alg must be ${TOKEN_ALGORITHMS.join(' or ')}`)
    const key = await generateOperatorKey(alg as KeyAlgorithm)
    const files = await writeOperatorKey(f.dir, key)
    console.log(`key ${key.kid} (${alg})\n  private key (keep secret): ${files.privateKeyFile}\n  JWKS for AGORA_OPERATOR_JWKS_FILE: ${files.jwksFile}`)
    return
  }
  if (sub === 'token') {
    if (!f.key || !f.subject) throw new Error('usage: agora operators token --key FILE --subject NAME --role ROLE [--ttl 8h]')
    const roles = (f.role ?? []).flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean)
    const unknown = roles.filter((r) => !isOperatorRole(r))
    if (unknown.length > 0) throw new Error(`unknown role ${unknown.join(', ')} (roles: ${OPERATOR_ROLES.join(', ')})`)
    const config = loadConfig()
    console.log(await signOperatorToken(await readPrivateKey(f.key), {
      subject: f.subject, roles: roles.filter(isOperatorRole), ttl: f.ttl ?? '8h',
      issuer: f.issuer ?? config.operators.localIssuer, audience: f.audience ?? config.operators.audience,
    }))
    return
  }
  throw new Error(`usage: agora ${OPERATORS_USAGE}`)
}
