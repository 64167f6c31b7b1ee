// Where a trace may start: at a request that comes in (a SERVER span: an HTTP request from a DFSP or an
// operator) or at the switch's own INTERNAL spans, each sampled at the ratio. A CLIENT, PRODUCER or
// CONSUMER span without a parent (a SQL statement of a batch consumer's transaction, a callback sent by the
// retrier, a Kafka message of no request) starts none: it would be a trace of one span, kept at the ratio
// on its own, never part of a request's trace. Used as the root sampler of a ParentBasedSampler, so that
// inside a trace the parent's decision holds.
import { SpanKind, type Attributes, type Context, type Link } from '@opentelemetry/api'
import { SamplingDecision, TraceIdRatioBasedSampler, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace'

const NOT_RECORDED: SamplingResult = { decision: SamplingDecision.NOT_RECORD }

export class RequestRootSampler implements Sampler {
  private readonly ratio: TraceIdRatioBasedSampler

  constructor(private readonly sampleRatio: number) {
    this.ratio = new TraceIdRatioBasedSampler(sampleRatio)
  }

  shouldSample(context: Context, traceId: string, _spanName: string, spanKind: SpanKind, _attributes?: Attributes, _links?: Link[]): SamplingResult {
    if (spanKind !== SpanKind.SERVER && spanKind !== SpanKind.INTERNAL) return NOT_RECORDED
    return this.ratio.shouldSample(context, traceId)
  }

  toString(): string {
    return `RequestRootSampler{ratio=${this.sampleRatio}}`
  }
}
