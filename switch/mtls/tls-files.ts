// The PEM files of mutual TLS, read once: the switch's certificate and key, and the scheme CA bundle.
import { readFileSync } from 'node:fs'
import type { SecureContextOptions } from 'node:tls'
import { requireAdminTlsSettings, requireTlsSettings, type Config } from '../config/config.ts'

export interface TlsMaterial {
  cert: string
  key: string
  ca: string
}

/** The FSPIOP port's HTTPS options in production: client certificates required and verified against the
 *  scheme CA at the handshake (no certificate, or one the CA did not issue: no connection). */
export function fspiopHttpsOptions(config: Config): (SecureContextOptions & { requestCert: true; rejectUnauthorized: true; minVersion: 'TLSv1.2' }) | undefined {
  if (config.env !== 'production') return undefined
  requireTlsSettings(config)
  return { ...readTlsMaterial(config)!, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' }
}

/** The admin port's HTTPS options with AGORA_ADMIN_TLS: the FSPIOP port's certificate and key; a client
 *  certificate is asked for but not required (tokens and browsers without one still connect), and the
 *  handshake's verdict against the scheme CA (`socket.authorized`) decides whether it may count. */
export function adminHttpsOptions(config: Config): (SecureContextOptions & { requestCert: true; rejectUnauthorized: false; minVersion: 'TLSv1.2' }) | undefined {
  if (!config.adminTls.enabled) return undefined
  requireAdminTlsSettings(config)
  return { ...readTlsMaterial(config)!, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' }
}

/** All three files when they are configured (production requires them; development may have them). */
export function readTlsMaterial(config: Config): TlsMaterial | undefined {
  const { certFile, keyFile, caFile } = config.tls
  if (!certFile || !keyFile || !caFile) return undefined
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), ca: readFileSync(caFile, 'utf8') }
}

/** The scheme CA bundle alone (the admin API checks registered certificates against it). */
export function readCaBundle(config: Config): string | undefined {
  return config.tls.caFile ? readFileSync(config.tls.caFile, 'utf8') : undefined
}
