import type { SwitchDeps } from '../switch-deps.ts'

/** What the admin routes need. */
export type AdminDeps = Pick<SwitchDeps, 'config' | 'db' | 'participantChanges'>
