// The simulation's only source of randomness: a seeded PRNG (sfc32, seeded through splitmix32), so a seed
// replays a run exactly. Nothing in a simulated run may call Math.random.

export interface Prng {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [0, n). */
  int(n: number): number
  /** An integer in [min, max]. */
  between(min: number, max: number): number
  /** True with probability p. */
  chance(p: number): boolean
  pick<T>(items: readonly T[]): T
  /** A random subset (each kept with probability p), in the items' order. */
  subset<T>(items: readonly T[], p: number): T[]
  shuffle<T>(items: readonly T[]): T[]
  /** A choice weighted by the numbers given. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K
  /** 32 random bytes as base64url (a fulfilment). */
  bytes32(): string
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x9e3779b9) >>> 0
    let z = state
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
}

export function createPrng(seed: number): Prng {
  const init = splitmix32(seed)
  let a = init(), b = init(), c = init(), d = init()
  const u32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = ((c << 21) | (c >>> 11)) >>> 0
    c = (c + t) >>> 0
    return t
  }
  for (let i = 0; i < 12; i++) u32()
  const next = () => u32() / 4294967296
  const int = (n: number) => {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`prng: int(${n})`)
    return Math.floor(next() * n)
  }
  return {
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    chance: (p) => next() < p,
    pick(items) {
      if (items.length === 0) throw new Error('prng: pick from nothing')
      return items[int(items.length)]!
    },
    subset: (items, p) => items.filter(() => next() < p),
    shuffle(items) {
      const out = [...items]
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(i + 1)
        ;[out[i], out[j]] = [out[j]!, out[i]!]
      }
      return out
    },
    weighted(weights) {
      const entries = Object.entries(weights) as [keyof typeof weights, number][]
      const total = entries.reduce((sum, [, w]) => sum + w, 0)
      let r = next() * total
      for (const [key, w] of entries) {
        if ((r -= w) < 0) return key
      }
      return entries[entries.length - 1]![0]
    },
    bytes32() {
      const bytes = Buffer.alloc(32)
      for (let i = 0; i < 32; i += 4) bytes.writeUInt32LE(u32(), i)
      return bytes.toString('base64url')
    },
  }
}
