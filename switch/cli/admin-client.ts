// A small client of the admin API for the CLI: JSON in and out, Mojaloop errors turned into messages.
export class AdminClient {
  readonly base: string
  readonly operator: string

  constructor(base: string, operator: string) {
    this.base = base.replace(/\/$/, '')
    this.operator = operator
  }

  async request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: { 'x-agora-operator': this.operator, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    const parsed = text ? JSON.parse(text) : undefined
    if (!response.ok) {
      const info = parsed?.errorInformation
      throw new Error(info ? `${response.status} ${info.errorCode}: ${info.errorDescription}` : `${response.status} ${text}`)
    }
    return parsed
  }
}
