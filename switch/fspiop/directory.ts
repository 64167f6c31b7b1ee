// Participants as routing needs them (active flag, accounts by currency, callback endpoints), cached in
// memory so the hot path makes no database round trip. An operator's change drops the entry at once in
// this process (ParticipantChanges); other replicas drop theirs within CACHE_TTL_MS. Registered client
// certificates (mutual TLS) are cached by fingerprint for the shorter CERTIFICATE_CACHE_TTL_MS, so a
// revocation holds in every replica within seconds, and at once in the one that revoked. Both caches are
// bounded (least recently used entries dropped): names and fingerprints come from requests, and a name
// that is no participant is cached too (as undefined), so without a bound a caller sending ever new
// FSPIOP-Source or FSPIOP-Destination values would grow the process without end.
import type { Db } from '../../ledger/store/db.ts'
import type { ParticipantChanges } from './participant-changes.ts'
import { DEFAULT_API_MODE, type ApiMode } from './api-mode.ts'
import { findCertificate, type CertificateRecord } from '../../ledger/store/certificates.ts'
import { LruMap } from './lru-map.ts'
import type { AccountTable } from '../../ledger/store/ledger-tables.ts'

export const CACHE_TTL_MS = 30_000
/** How long another replica may still accept a certificate revoked elsewhere. */
export const CERTIFICATE_CACHE_TTL_MS = 5_000
/** Cached fingerprints, known or not. */
export const CERTIFICATE_CACHE_ENTRIES_MAX = 10_000
/** Cached participant names, known or not, unless config.limits.directoryEntriesMax says otherwise. */
export const DIRECTORY_ENTRIES_MAX = 10_000

export interface DirectoryAccount {
  id: number
  isActive: boolean
}

export interface DirectoryParticipant {
  id: number
  name: string
  isActive: boolean
  isHub: boolean
  endpoints: ReadonlyMap<string, string>
  /** Key: `${currency}:${type}`, e.g. "USD:POSITION". */
  accounts: ReadonlyMap<string, DirectoryAccount>
  /** PEM public key for FSPIOP-Signature, if registered. */
  publicKey: string | undefined
  /** FSPIOP, or ISO20022 for the ISO 20022 variant of v2.0 (docs/adr/0010-iso20022-mode.md). */
  apiMode: ApiMode
}

export interface ParticipantDirectory {
  /** Names held in the cache now (at most the directory's entriesMax). */
  readonly cachedEntries: number
  get(name: string): Promise<DirectoryParticipant | undefined>
  /** The registered client certificate with this SHA-256 fingerprint (64 lowercase hex), if any. */
  certificate(fingerprint: string): Promise<CertificateRecord | undefined>
  invalidate(name?: string): void
  close(): void
}

export interface DirectoryOptions {
  ttl_ms?: number
  entriesMax?: number
}

export function createDirectory(db: Db, changes: ParticipantChanges, opts: DirectoryOptions = {}): ParticipantDirectory {
  const ttl_ms = opts.ttl_ms ?? CACHE_TTL_MS
  const cache = new LruMap<string, { at: number; value: Promise<DirectoryParticipant | undefined> }>(opts.entriesMax ?? DIRECTORY_ENTRIES_MAX)
  const certificates = new LruMap<string, { at: number; value: Promise<CertificateRecord | undefined> }>(CERTIFICATE_CACHE_ENTRIES_MAX)
  // Certificate changes are rare operator actions: any of them drops every cached certificate.
  const stop = changes.onChange((name) => {
    cache.delete(name)
    certificates.clear()
  })
  return {
    get cachedEntries() {
      return cache.size
    },
    certificate(fingerprint) {
      const hit = certificates.get(fingerprint)
      if (hit && Date.now() - hit.at < CERTIFICATE_CACHE_TTL_MS) return hit.value
      const value = findCertificate(db, fingerprint)
      certificates.set(fingerprint, { at: Date.now(), value })
      value.catch(() => { if (certificates.get(fingerprint)?.value === value) certificates.delete(fingerprint) })
      return value
    },
    get(name) {
      const hit = cache.get(name)
      if (hit && Date.now() - hit.at < ttl_ms) return hit.value
      const value = load(db, name)
      cache.set(name, { at: Date.now(), value })
      value.catch(() => { if (cache.get(name)?.value === value) cache.delete(name) })
      return value
    },
    invalidate(name) {
      if (name === undefined) cache.clear()
      else cache.delete(name)
      certificates.clear()
    },
    close: stop,
  }
}

async function load(db: Db, name: string): Promise<DirectoryParticipant | undefined> {
  const p = await db('participant').where({ name }).first()
  if (!p) return undefined
  const [accounts, endpoints, key, mode] = await Promise.all([
    db<AccountTable>('account').where({ participant_id: p.id }).select('id', 'currency', 'type', 'is_active'),
    db<{ participant_id: number; type: string; value: string }>('participant_endpoint').where({ participant_id: p.id }).select('type', 'value'),
    db('participant_jws_key').where({ participant_id: p.id }).first(),
    db('participant_api_mode').where({ participant_id: p.id }).first(),
  ])
  return {
    id: p.id,
    name: p.name,
    isActive: Boolean(p.is_active),
    isHub: Boolean(p.is_hub),
    endpoints: new Map(endpoints.map((e) => [e.type, e.value])),
    accounts: new Map(accounts.map((a) => [`${a.currency}:${a.type}`, { id: a.id, isActive: Boolean(a.is_active) }])),
    publicKey: key?.public_key,
    apiMode: mode?.api_mode ?? DEFAULT_API_MODE,
  }
}
