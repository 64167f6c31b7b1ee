// Simulated DFSPs: what each answers the switch's callbacks with on the wire (2xx, 5xx, no answer, a 4xx
// refusal), what it has received (its own log, for I6), and, as a payee, what it answers a forwarded
// prepare with and when: fulfil, RESERVED, reject, abort, a wrong fulfilment, nothing; on time or after
// the expiration; once, twice, or a second time with a different answer.
import type { Callback } from '../fspiop/callback.ts'
import type { ErrorInformation } from '../fspiop/errors.ts'
import type { FspiopVersion } from '../fspiop/headers.ts'
import type { FulfilBody, TransferPrepareBody } from '../pipeline/messages.ts'
import type { Prng } from './prng.ts'

/** How a DFSP's endpoint answers one callback. */
export type WireAnswer = 'ok' | 'fail' | 'timeout' | 'refuse'

/** What a payee answers a forwarded prepare with. */
export type PayeeAnswer = 'fulfil' | 'reserved' | 'reject' | 'abort' | 'wrong-fulfilment' | 'never'

export interface DfspProfile {
  wire: Readonly<Record<WireAnswer, number>>
  answers: Readonly<Record<PayeeAnswer, number>>
  /** Probability that an answer comes after the transfer's expiration. */
  late: number
  /** Probability that the same answer is sent again. */
  twice: number
  /** Probability that a second, different answer follows (a modified duplicate). */
  modifiedTwice: number
}

export const HEALTHY: DfspProfile = {
  wire: { ok: 96, fail: 2, timeout: 1, refuse: 1 },
  answers: { fulfil: 70, reserved: 8, reject: 6, abort: 4, 'wrong-fulfilment': 4, never: 8 },
  late: 0.08, twice: 0.1, modifiedTwice: 0.06,
}

export const FLAKY: DfspProfile = {
  wire: { ok: 55, fail: 25, timeout: 15, refuse: 5 },
  answers: { fulfil: 50, reserved: 5, reject: 10, abort: 5, 'wrong-fulfilment': 10, never: 20 },
  late: 0.25, twice: 0.2, modifiedTwice: 0.15,
}

export interface ReceivedCallback {
  at_ms: number
  method: Callback['method']
  path: string
  transferId: string | undefined
  body: unknown
}

/** A payee's answer, as it sends it to the switch's PUT /transfers/{id}[/error]. */
export type AnswerRequest = { kind: 'fulfil'; body: FulfilBody } | { kind: 'error'; body: { errorInformation: ErrorInformation } }

export interface DfspAction {
  due_ms: number
  from: string
  transferId: string
  version: FspiopVersion
  request: AnswerRequest
  /** For the step log. */
  label: string
}

export class SimDfsp {
  readonly received: ReceivedCallback[] = []
  /** When set, every callback fails until then (the DFSP is down). */
  down_until_ms = 0

  constructor(readonly name: string, readonly profile: DfspProfile) {}

  wireAnswer(prng: Prng, now_ms: number): WireAnswer {
    if (now_ms < this.down_until_ms) return prng.chance(0.5) ? 'fail' : 'timeout'
    return prng.weighted(this.profile.wire)
  }

  receive(callback: Callback, now_ms: number): void {
    this.received.push({ at_ms: now_ms, method: callback.method, path: callback.path, transferId: callback.params.transferId, body: callback.body })
  }

  /** Heard the outcome of a transfer: a PUT (its state or an error) or a PATCH about it. */
  heardFinal(transferId: string): boolean {
    return this.received.some((c) => c.transferId === transferId && (c.method === 'PUT' || c.method === 'PATCH'))
  }

  /** The answers this payee will send to a prepare it received (none, one, or two). */
  planAnswers(prng: Prng, prepare: TransferPrepareBody, version: FspiopVersion, fulfilment: string | undefined, now_ms: number): DfspAction[] {
    const expiration_ms = Date.parse(prepare.expiration)
    const first = prng.weighted(this.profile.answers)
    if (first === 'never') return []
    const due = () => prng.chance(this.profile.late) ? Math.max(now_ms, expiration_ms) + prng.between(1, 3_000) : now_ms + prng.between(0, 1_500)
    const action = (answer: Exclude<PayeeAnswer, 'never'>, due_ms: number): DfspAction => ({
      due_ms, from: this.name, transferId: prepare.transferId, version, label: answer, request: answerRequest(prng, answer, fulfilment, due_ms),
    })
    const actions = [action(first, due())]
    if (prng.chance(this.profile.twice)) actions.push({ ...actions[0]!, due_ms: due(), label: `${first} again` })
    if (prng.chance(this.profile.modifiedTwice)) {
      const other = prng.pick((['fulfil', 'reject', 'abort', 'wrong-fulfilment'] as const).filter((a) => a !== first))
      actions.push({ ...action(other, due()), label: `${other} (modified duplicate)` })
    }
    return actions
  }
}

function answerRequest(prng: Prng, answer: Exclude<PayeeAnswer, 'never'>, fulfilment: string | undefined, at_ms: number): AnswerRequest {
  const completedTimestamp = new Date(at_ms).toISOString()
  switch (answer) {
    case 'fulfil': return { kind: 'fulfil', body: { transferState: 'COMMITTED', fulfilment: fulfilment ?? prng.bytes32(), completedTimestamp } }
    case 'reserved': return { kind: 'fulfil', body: { transferState: 'RESERVED', fulfilment: fulfilment ?? prng.bytes32(), completedTimestamp } }
    case 'wrong-fulfilment': return { kind: 'fulfil', body: { transferState: 'COMMITTED', fulfilment: prng.bytes32(), completedTimestamp } }
    case 'abort': return { kind: 'fulfil', body: { transferState: 'ABORTED', completedTimestamp } }
    case 'reject': return { kind: 'error', body: { errorInformation: { errorCode: '5104', errorDescription: 'Payee rejected the transfer' } } }
  }
}
