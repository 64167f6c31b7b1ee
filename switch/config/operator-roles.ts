// The four operator roles of the admin API and the web view (docs/adr/0009-operator-identity.md):
// - operator:  onboarding, limits, endpoints, JWS keys, funds in/out, oracles
// - finance:   settlement windows and settlements, funds in/out
// - regulator: read-only (participants, positions, limits, settlement reads, reports, the web view)
// - auditor:   read-only, plus the audit log
export const OPERATOR_ROLES = ['operator', 'finance', 'regulator', 'auditor'] as const
export type OperatorRole = (typeof OPERATOR_ROLES)[number]

export function isOperatorRole(value: unknown): value is OperatorRole {
  return typeof value === 'string' && (OPERATOR_ROLES as readonly string[]).includes(value)
}

/** Who is calling, as every admin route sees it; `subject` is what the audit log records. */
export interface OperatorIdentity {
  readonly subject: string
  readonly roles: readonly OperatorRole[]
  /** token: a bearer JWT; session: the web view's cookie; certificate: an mTLS client certificate;
   *  development: AGORA_ENV=development, no credentials (the x-agora-operator header names the actor). */
  readonly via: 'token' | 'session' | 'certificate' | 'development'
}
