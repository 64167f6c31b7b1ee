// A small client of the admin API for the CLI: JSON in and out, Mojaloop errors turned into messages.
// It sends the operator's bearer token (--token, AGORA_TOKEN); x-agora-operator names the actor only in
// development mode, where the admin API is open.
export class AdminClient {
  readonly base: string
  readonly operator: string
  readonly token: string | undefined

  constructor(base: string, operator: string, token?: string) {
    this.base = base.replace(/\/$/, '')
    this.operator = operator
    this.token = token
  }

  async request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        'x-agora-operator': this.operator,
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
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
