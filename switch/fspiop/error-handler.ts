// Turns whatever a handler throws into Mojaloop's error shape: FspiopError as it is, schema validation
// failures as 3100/3102, unparsable bodies as 3101, Kafka or the database out of reach (or the producer's
// queue full) as 2003 Service currently unavailable, anything else as 2001 (logged: that is a bug).
import type { FastifyError, FastifyInstance } from 'fastify'
import { FspiopError } from './errors.ts'
import { unavailability } from './unavailable.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The body as it arrived, for JWS verification. */
    rawBody?: string
  }
}

/** FSPIOP bodies arrive as application/vnd.interoperability.{resource}+json;version=X.Y (ISO 20022 ones with .iso20022 before the resource). */
export function parseFspiopJson(app: FastifyInstance): void {
  app.addContentTypeParser(/^application\/vnd\.interoperability\.(?:iso20022\.)?[a-zA-Z]+\+json/, { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = body as string
    try {
      done(null, body === '' ? undefined : JSON.parse(body as string))
    } catch {
      done(new FspiopError('3101', 'the body is not valid JSON'), undefined)
    }
  })
}

export function mapErrors(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | FspiopError, request, reply) => {
    const fspiop = toFspiopError(error)
    if (fspiop.code === '2001') request.log.error({ err: error }, 'unexpected error')
    else if (fspiop.code === '2003') request.log.warn({ err: error, url: request.url }, 'refused: a dependency is unavailable')
    return reply.code(fspiop.httpStatus).send(fspiop.toBody())
  })
  app.setNotFoundHandler((request, reply) => {
    const error = new FspiopError('3002', `${request.method} ${request.url}`)
    return reply.code(error.httpStatus).send(error.toBody())
  })
}

export function toFspiopError(error: FastifyError | FspiopError): FspiopError {
  if (error instanceof FspiopError) return error
  const unavailable = unavailability(error)
  if (unavailable) return new FspiopError('2003', unavailable)
  if ('validation' in error && error.validation) {
    const first = error.validation[0]
    const where = `${error.validationContext ?? 'body'}${first?.instancePath ?? ''}`
    if (first?.keyword === 'required') return new FspiopError('3102', `${where} must have ${String(first.params.missingProperty)}`)
    return new FspiopError('3100', `${where} ${first?.message ?? 'is invalid'}`)
  }
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.statusCode === 400) {
    return new FspiopError('3101', error.message)
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new FspiopError('3101', 'unsupported content type')
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new FspiopError('3104')
  return new FspiopError('2001')
}
