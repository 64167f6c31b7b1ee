// Pays disbursements: RECEIVED → RESOLVING (each beneficiary's DFSP from the oracle, in batches) →
// PAYING (beneficiaries grouped by payee DFSP into chunks of at most CHUNK_ITEMS_MAX, fixed in one
// transaction before anything is paid; each chunk a bulk quote then a bulk transfer through the port,
// CHUNKS_IN_FLIGHT_MAX at a time, its results recorded in one transaction) → COMPLETED.
// Resumable after any crash: `start` picks up every unfinished disbursement; a chunk whose results were
// not recorded is sent again with the same ids, and the port answers the same results without paying twice.
import type { Knex } from 'knex'
import type { Db } from '../../ledger/store/db.ts'
import type { BulkPayments, BulkQuoteItemResult } from '../bulk/bulk-payments.ts'
import type { Logger } from '../observability/logger.ts'
import type { Oracle } from '../lookup/oracle.ts'
import { FspiopError } from '../fspiop/errors.ts'
import { disbursementIds } from './disbursement-ids.ts'
import { chunkItems, findDisbursement, itemsPage, setState, unfinishedDisbursements, updateItems, type DisbursementRow, type ItemRow, type ItemUpdate } from './disbursement-store.ts'
import { assignChunks, pendingChunks, recordChunk, startAttempt } from './disbursement-chunks.ts'

/** Beneficiaries per bulk quote / bulk transfer (FSPIOP bulk allows 1000 individual transfers). */
export const CHUNK_ITEMS_MAX = 1_000
/** Chunks whose bulk quote or transfer is awaited at once, per disbursement. */
export const CHUNKS_IN_FLIGHT_MAX = 4
/** Parties per oracle lookupAll (and per resolution transaction). */
export const RESOLVE_BATCH_MAX = 5_000
/** A chunk's bulk quote and transfer expire this long after its first attempt. */
export const CHUNK_EXPIRY_MS = 300_000
/** How often `start` looks for disbursements it has not seen (another replica's, or one a failure left). */
export const POLL_INTERVAL_MS = 2_000

export interface EngineDeps {
  db: Db
  oracle: Pick<Oracle, 'lookupAll'>
  bulk: BulkPayments
  log: Logger
  chunkItemsMax?: number
  chunksInFlightMax?: number
}

export interface DisbursementEngine {
  /** Resumes every unfinished disbursement, then keeps looking for new ones until `stop`. */
  start(): void
  /** Works on one disbursement now (after a submission); resolves when it is COMPLETED or the engine stopped. */
  run(id: string): Promise<void>
  /** Takes no new chunk; resolves once the chunks in flight are recorded. */
  stop(): Promise<void>
}

export function createDisbursementEngine(deps: EngineDeps): DisbursementEngine {
  const chunkItemsMax = deps.chunkItemsMax ?? CHUNK_ITEMS_MAX
  const inFlightMax = deps.chunksInFlightMax ?? CHUNKS_IN_FLIGHT_MAX
  const running = new Map<string, Promise<void>>()
  let stopping = false
  let timer: NodeJS.Timeout | undefined

  async function work(id: string): Promise<void> {
    let row = await findDisbursement(deps.db, id)
    if (!row) throw new Error(`disbursement ${id} does not exist`)
    if (row.state === 'RECEIVED') {
      await deps.db.transaction((trx) => setState(trx, id, 'RESOLVING'))
      row = { ...row, state: 'RESOLVING' }
    }
    if (row.state === 'RESOLVING') {
      await resolveAll(row)
      if (stopping) return
      await deps.db.transaction(async (trx) => {
        await assignChunks(trx, id, chunkItemsMax)
        await setState(trx, id, 'PAYING')
      })
      row = { ...row, state: 'PAYING' }
    }
    if (row.state === 'PAYING') {
      const chunks = await pendingChunks(deps.db, id)
      let next = 0
      const lane = async () => {
        while (!stopping && next < chunks.length) await payChunk(row!, chunks[next++]!)
      }
      await Promise.all(Array.from({ length: Math.min(inFlightMax, chunks.length) }, lane))
      if (stopping || next < chunks.length) return
      await deps.db.transaction((trx) => setState(trx, id, 'COMPLETED'))
      deps.log.info({ disbursementId: id }, 'disbursement completed')
    }
  }

  async function resolveAll(row: DisbursementRow): Promise<void> {
    let after = -1
    while (!stopping) {
      const items = await itemsPage(deps.db, row.id, { afterItemNo: after, limit: RESOLVE_BATCH_MAX, state: 'RECEIVED' })
      if (items.length === 0) return
      after = items.at(-1)!.itemNo
      const answers = await deps.oracle.lookupAll(items.map((i) => ({ type: i.idType, id: i.idValue })), row.currency)
      const updates = new Map<string, ItemUpdate>()
      for (const [n, item] of items.entries()) {
        const answer = answers[n]
        const set: ItemUpdate['set'] = typeof answer === 'string'
          ? { state: 'RESOLVED', payee_fsp: answer }
          : answer instanceof FspiopError
            ? { state: 'UNRESOLVED', error_code: answer.code, error_description: answer.message.slice(0, 255) }
            : { state: 'UNRESOLVED', error_code: '3204', error_description: 'Party not found' }
        addTo(updates, set, item.itemNo)
      }
      await deps.db.transaction((trx) => updateItems(trx, row.id, [...updates.values()]))
    }
  }

  async function payChunk(row: DisbursementRow, chunk: { chunkNo: number; payeeFsp: string }): Promise<void> {
    const ids = disbursementIds(row.payerFsp, row.id)
    const items = await chunkItems(deps.db, row.id, chunk.chunkNo)
    const expiration = await deps.db.transaction((trx) => startAttempt(trx, row.id, chunk.chunkNo, CHUNK_EXPIRY_MS))
    const updates = new Map<string, ItemUpdate>()
    if (items.length > 0) await pay(row, chunk, items, expiration, ids, updates)
    await deps.db.transaction((trx: Knex.Transaction) => recordChunk(trx, row.id, chunk.chunkNo, [...updates.values()]))
  }

  async function pay(row: DisbursementRow, chunk: { chunkNo: number; payeeFsp: string }, items: ItemRow[], expiration: string, ids: ReturnType<typeof disbursementIds>, updates: Map<string, ItemUpdate>): Promise<void> {
    const base = { payerFsp: row.payerFsp, payeeFsp: chunk.payeeFsp, expiration }
    const bulkQuoteId = ids.bulkQuoteId(chunk.chunkNo)
    const quotes = await deps.bulk.quote({
      ...base, bulkQuoteId,
      items: items.map((i) => ({ quoteId: ids.quoteId(i.itemNo), transactionId: ids.transactionId(i.itemNo), payee: { partyIdType: i.idType, partyIdentifier: i.idValue }, amount: i.amount, currency: row.currency, note: i.reference || undefined })),
    })
    const quoteOf = new Map<string, BulkQuoteItemResult>(quotes.map((q) => [q.quoteId, q]))
    const quoted: { item: ItemRow; quote: Extract<BulkQuoteItemResult, { ok: true }> }[] = []
    for (const item of items) {
      const quote = quoteOf.get(ids.quoteId(item.itemNo))
      if (quote?.ok) quoted.push({ item, quote })
      else addTo(updates, { state: 'FAILED', error_code: quote?.errorCode ?? '2001', error_description: (quote?.errorDescription ?? 'no quote result').slice(0, 255) }, item.itemNo)
    }
    if (quoted.length === 0) return
    const results = await deps.bulk.transfer({
      ...base, bulkQuoteId, bulkTransferId: ids.bulkTransferId(chunk.chunkNo),
      items: quoted.map(({ item, quote }) => ({ transferId: ids.transferId(item.itemNo), amount: quote.transferAmount.amount, currency: quote.transferAmount.currency, ilpPacket: quote.ilpPacket, condition: quote.condition })),
    })
    const resultOf = new Map(results.map((r) => [r.transferId, r]))
    for (const { item } of quoted) {
      const result = resultOf.get(ids.transferId(item.itemNo))
      if (result?.state === 'COMMITTED') addTo(updates, { state: 'PAID', error_code: null, error_description: null }, item.itemNo)
      else addTo(updates, { state: 'FAILED', error_code: result?.errorCode ?? '2001', error_description: (result?.errorDescription ?? 'no transfer result').slice(0, 255) }, item.itemNo)
    }
  }

  function run(id: string): Promise<void> {
    const current = running.get(id)
    if (current) return current
    const job = work(id).finally(() => running.delete(id))
    running.set(id, job)
    return job
  }

  async function sweep(): Promise<void> {
    try {
      for (const id of await unfinishedDisbursements(deps.db)) {
        if (stopping) return
        await run(id).catch((error: unknown) => deps.log.error({ disbursementId: id, err: error }, 'disbursement step failed; retried on the next sweep'))
      }
    } catch (error) {
      deps.log.error({ err: error }, 'disbursement sweep failed')
    } finally {
      if (!stopping) timer = setTimeout(() => void sweep(), POLL_INTERVAL_MS)
    }
  }

  return {
    start() { void sweep() },
    run,
    async stop() {
      stopping = true
      if (timer) clearTimeout(timer)
      await Promise.allSettled([...running.values()])
    },
  }
}

function addTo(updates: Map<string, ItemUpdate>, set: ItemUpdate['set'], itemNo: number): void {
  const key = JSON.stringify(set)
  const update = updates.get(key)
  if (update) update.itemNos.push(itemNo)
  else updates.set(key, { set, itemNos: [itemNo] })
}
