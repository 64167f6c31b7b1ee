// With tracing on, require-in-the-middle (the OpenTelemetry instrumentations' CommonJS hook) sees every
// require() and resolves its file name first, which bypasses Node's own cache of resolutions. kafkajs
// requires its protocol encoders inside every fetch, produce and offset commit (`require('./v11')`), so
// under load each Kafka request paid a full resolution (through tsx's resolver: failed tries whose errors
// build source-mapped stack traces), about 2.5% of the traced switch's busy time in a profile. The
// resolution of a request from a given module does not change while the process runs: it is remembered,
// as Node's own relativeResolveCache does (calls with resolution options are passed through).
import Module from 'node:module'

type Resolve = (request: string, parent: { filename?: string | null } | null | undefined, isMain?: boolean, options?: unknown) => string

/** The resolver, remembering each (parent module, request) answer; calls with options or without a parent pass through. */
export function memoizedResolve(resolve: Resolve): Resolve {
  const known = new Map<string, string>()
  return function resolveFilename(this: unknown, request, parent, isMain, options) {
    const from = parent?.filename
    if (options !== undefined || isMain || !from) return resolve.call(this, request, parent, isMain, options)
    const key = `${from}\0${request}`
    let filename = known.get(key)
    if (filename === undefined) {
      filename = resolve.call(this, request, parent, isMain, options)
      known.set(key, filename)
    }
    return filename
  }
}

/** Puts the memo over Module._resolveFilename (once tracing's require hook is in place). */
export function rememberRequireResolutions(): void {
  const m = Module as unknown as { _resolveFilename: Resolve }
  m._resolveFilename = memoizedResolve(m._resolveFilename)
}
