import type { SwitchDeps } from '../app.ts'

/** What the admin routes need. */
export type AdminDeps = Pick<SwitchDeps, 'config' | 'db' | 'participantChanges'>
