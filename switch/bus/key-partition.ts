// The partition of a keyed message: Kafka's default partitioner (the Java client's, which kafkajs' default
// follows): murmur2 of the key's UTF-8 bytes, made positive, modulo the partition count. The in-memory bus
// uses it too, so a key lands on the same partition on both buses.
const SEED = 0x9747b28c
const M = 0x5bd1e995
const R = 24

/** Kafka's 32-bit murmur2 (org.apache.kafka.common.utils.Utils.murmur2). */
export function murmur2(key: string): number {
  const data = Buffer.from(key, 'utf8')
  const length = data.length
  let h = SEED ^ length
  const length4 = Math.floor(length / 4)
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4
    let k = data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24)
    k = Math.imul(k, M)
    k ^= k >>> R
    k = Math.imul(k, M)
    h = Math.imul(h, M) ^ k
  }
  const tail = length & ~3
  switch (length % 4) {
    case 3: h ^= data[tail + 2]! << 16 // falls through
    case 2: h ^= data[tail + 1]! << 8 // falls through
    case 1:
      h ^= data[tail]!
      h = Math.imul(h, M)
  }
  h ^= h >>> 13
  h = Math.imul(h, M)
  h ^= h >>> 15
  return h | 0
}

export function partitionOfKey(key: string, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions
}
