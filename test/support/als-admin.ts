// Calls to the account-lookup admin API (/oracles) with the headers Mojaloop's ALS admin API requires:
// Content-Type and Date always, Accept on GET, POST and DELETE.
import type { FastifyInstance } from 'fastify'

export const ALS_ADMIN_CONTENT_TYPE = 'application/vnd.interoperability.participants+json;version=1.1'

export function alsAdminHeaders(method: string): Record<string, string> {
  return {
    'content-type': ALS_ADMIN_CONTENT_TYPE, date: new Date().toUTCString(), 'x-agora-operator': 'test-operator',
    ...(method === 'PUT' ? {} : { accept: ALS_ADMIN_CONTENT_TYPE }),
  }
}

export async function alsAdmin(admin: FastifyInstance, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers = alsAdminHeaders(method)) {
  const response = await admin.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) })
  return { status: response.statusCode, body: response.body ? response.json() : undefined }
}
