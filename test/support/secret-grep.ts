// Greps captured logs and spans for secrets and payment data: the exact values a test used (passwords,
// tokens, cookies, party identifiers and names, ILP packets, conditions, fulfilments, signatures, key
// material), and the shapes of secrets whatever their value (a PEM private key, a bearer token, a session
// cookie, an Authorization header that was not redacted).
export interface Secret {
  label: string
  value: string
}

export interface Leak {
  label: string
  where: string
  line: number
  excerpt: string
}

const PATTERNS: { label: string; pattern: RegExp }[] = [
  { label: 'private key', pattern: /BEGIN [A-Z ]*PRIVATE KEY/ },
  { label: 'bearer token', pattern: /Bearer\s+[A-Za-z0-9._~+/-]{8,}/i },
  { label: 'session cookie', pattern: /agora_session=[^;\s"\\]{8,}/ },
  { label: 'authorization header', pattern: /"authorization"\s*:\s*"(?!\[redacted\])[^"]+"/i },
]
/** Values shorter than this are too common to grep for meaningfully. */
const SECRET_LENGTH_MIN = 5

export function findLeaks(text: string, where: string, secrets: readonly Secret[]): Leak[] {
  const leaks: Leak[] = []
  const values = secrets.filter((s) => s.value.length >= SECRET_LENGTH_MIN)
  text.split('\n').forEach((line, i) => {
    const excerptAt = (at: number) => line.slice(Math.max(0, at - 60), at + 80)
    for (const s of values) {
      const at = line.indexOf(s.value)
      if (at >= 0) leaks.push({ label: s.label, where, line: i + 1, excerpt: excerptAt(at) })
    }
    for (const p of PATTERNS) {
      const match = p.pattern.exec(line)
      if (match) leaks.push({ label: p.label, where, line: i + 1, excerpt: excerptAt(match.index) })
    }
  })
  return leaks
}
