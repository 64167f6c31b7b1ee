// What the signed-in person may do from the page, read from the one access table (route-access.ts), so
// the page shows exactly the controls the server would accept. The server checks every call anyway.
import type { OperatorRole } from '../config/operator-roles.ts'
import { accessFor, WEB_ADMIN_PREFIX } from '../operators/route-access.ts'

/** Each operator action of the page and the admin route (under /ui/api/admin) that does it. */
export const WEB_ACTIONS = {
  closeWindow: ['POST', '/v2/settlementWindows/:id'],
  createSettlement: ['POST', '/v2/settlements'],
  updateSettlement: ['PUT', '/v2/settlements/:id'],
  recordFunds: ['POST', '/participants/:name/accounts/:id'],
  completeFundsOut: ['PUT', '/participants/:name/accounts/:id/transfers/:transferId'],
  setNetDebitCap: ['PUT', '/participants/:name/limits'],
  setParticipantActive: ['PUT', '/participants/:name'],
} as const satisfies Record<string, readonly [string, string]>

export type WebAction = keyof typeof WEB_ACTIONS

export function allowedActions(roles: readonly OperatorRole[]): Record<WebAction, boolean> {
  const entries = Object.entries(WEB_ACTIONS).map(([action, [method, path]]) => {
    const access = accessFor(method, `${WEB_ADMIN_PREFIX}${path}`)
    return [action, access !== undefined && access !== 'public' && roles.some((role) => access.includes(role))]
  })
  return Object.fromEntries(entries) as Record<WebAction, boolean>
}
