// Who may call which admin route: one table for the admin API and the web view, keyed by
// "METHOD /route/pattern" exactly as fastify registers it (HEAD follows GET). A route that is not in the
// table is refused to everyone in production, and route-access.test.ts fails while one exists.
import type { OperatorRole } from '../config/operator-roles.ts'

export type Access = 'public' | readonly OperatorRole[]

const READ: readonly OperatorRole[] = ['operator', 'finance', 'regulator', 'auditor']
const ONBOARDING: readonly OperatorRole[] = ['operator']
const FUNDS: readonly OperatorRole[] = ['operator', 'finance']
const SETTLEMENT: readonly OperatorRole[] = ['finance']
/** The audit log's entries: auditors and the regulator; the chain's state (verify, head) is read by every role. */
const AUDIT_LOG: readonly OperatorRole[] = ['auditor', 'regulator']
const AUDIT_PATHS: Readonly<Record<string, readonly OperatorRole[]>> = { '': AUDIT_LOG, '/': AUDIT_LOG, '/verify': READ, '/head': READ }

const REPORTS = [
  '/settlementWindows/:id', '/settlements/:id', '/settlements/:id/detail', '/settlements/:id/journal', '/participants/:name/statement', '/hub', '/volumes', '/positions',
  '/participants', '/participants/:name/journal', '/participants/:name/transfers', '/transfers/:id', '/fundsMovements', '/health', '/participants/:name/positionHistory', '/conversions', '/alerts',
]

/** Admin API routes the web view reaches too, under /ui/api/admin with the same handlers and the same
 *  rules (switch/web/web-routes.ts registers those plugins there): operators act from the page through
 *  the one implementation of each action, audited as on the admin API. */
const WEB_MIRRORED_ADMIN_ROUTES: Readonly<Record<string, Access>> = {
  // Participants, accounts and funds (central-ledger)
  'POST /participants': ONBOARDING,
  'GET /participants': READ,
  'GET /participants/:name': READ,
  'PUT /participants/:name': ONBOARDING,
  'POST /participants/:name/accounts': ONBOARDING,
  'GET /participants/:name/accounts': READ,
  'PUT /participants/:name/accounts/:id': ONBOARDING,
  'POST /participants/:name/accounts/:id': FUNDS,
  'PUT /participants/:name/accounts/:id/transfers/:transferId': FUNDS,

  // Limits, positions and endpoints
  'POST /participants/:name/initialPositionAndLimits': ONBOARDING,
  'GET /participants/:name/limits': READ,
  'GET /participants/limits': READ,
  'PUT /participants/:name/limits': ONBOARDING,
  'GET /participants/:name/positions': READ,
  'POST /participants/:name/endpoints': ONBOARDING,
  'GET /participants/:name/endpoints': READ,

  // Settlement models, windows and settlements (central-settlement)
  'POST /settlementModels': ONBOARDING,
  'GET /settlementModels': READ,
  'GET /v2/settlementWindows': READ,
  'GET /v2/settlementWindows/:id': READ,
  'POST /v2/settlementWindows/:id': SETTLEMENT,
  'POST /v2/settlements': SETTLEMENT,
  'GET /v2/settlements': READ,
  'GET /v2/settlements/:id': READ,
  'PUT /v2/settlements/:id': SETTLEMENT,
}
export const WEB_ADMIN_PREFIX = '/ui/api/admin'

export const ROUTE_ACCESS: Readonly<Record<string, Access>> = {
  // Probes
  'GET /health': 'public',
  'GET /ready': 'public',
  'GET /live': 'public',
  'GET /metrics': 'public',

  ...WEB_MIRRORED_ADMIN_ROUTES,

  // Participant keys and API mode
  'PUT /participants/:name/jwsKey': ONBOARDING,
  'GET /participants/:name/jwsKey': READ,
  'PUT /participants/:name/apiMode': ONBOARDING,
  'GET /participants/:name/apiMode': READ,
  // Participant client certificates (mutual TLS on the FSPIOP API)
  'POST /participants/:name/certificates': ONBOARDING,
  'GET /participants/:name/certificates': READ,
  'DELETE /participants/:name/certificates/:fingerprint': ONBOARDING,

  // Oracles (account-lookup-service admin API)
  'POST /oracles': ONBOARDING,
  'GET /oracles': READ,
  'PUT /oracles/:ID': ONBOARDING,
  'DELETE /oracles/:ID': ONBOARDING,

  // G2P disbursements (progress only; payers submit on the FSPIOP API)
  'GET /disbursements': READ,
  'GET /disbursements/:id': READ,

  // Reports
  ...Object.fromEntries(REPORTS.map((path) => [`GET /reports${path}`, READ])),

  // The audit log
  ...Object.fromEntries(Object.entries(AUDIT_PATHS).map(([path, roles]) => [`GET /audit${path}`, roles])),

  // The web view: the page and its log-in are public; its data API follows the same roles
  'GET /ui': 'public',
  'GET /ui/assets/uplot.js': 'public',
  'GET /ui/assets/uplot.css': 'public',
  'POST /ui/login': 'public',
  'POST /ui/login/token': 'public',
  'POST /ui/logout': 'public',
  'GET /ui/api/me': READ,
  'GET /ui/api/scheme': READ,
  'GET /ui/api/windows': READ,
  'GET /ui/api/settlements': READ,
  ...Object.fromEntries(Object.entries(WEB_MIRRORED_ADMIN_ROUTES).map(([key, roles]) => [key.replace(' ', ` ${WEB_ADMIN_PREFIX}`), roles])),
  'GET /ui/api/disbursements': READ,
  'GET /ui/api/disbursements/:id': READ,
  ...Object.fromEntries(REPORTS.map((path) => [`GET /ui/api/reports${path}`, READ])),
  ...Object.fromEntries(Object.entries(AUDIT_PATHS).map(([path, roles]) => [`GET /ui/api/audit${path}`, roles])),
}

export function routeKey(method: string, url: string): string {
  return `${method === 'HEAD' ? 'GET' : method} ${url}`
}

export function accessFor(method: string, url: string | undefined): Access | undefined {
  return url === undefined ? undefined : ROUTE_ACCESS[routeKey(method, url)]
}

/** Routes of the web view, where the session cookie counts as a credential (elsewhere only a bearer token does). */
export function isWebRoute(url: string): boolean {
  return url === '/ui' || url.startsWith('/ui/')
}
