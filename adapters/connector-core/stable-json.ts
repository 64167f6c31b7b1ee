// JSON with object keys in sorted order at every depth, as safe-stable-stringify writes it: the ILP
// fulfilment is an HMAC over the transaction object's text, so the payee must get the same text back
// from the packet whatever order the keys arrived in.
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key]
    if (v !== undefined) out[key] = sortKeys(v)
  }
  return out
}
