import type { Role } from './auth/session.js';

/** Who is looking at a page, and whether they may submit operator forms. */
export interface Viewer {
  user: string | null;
  role: Role | 'anonymous';
  /** How they were recognised. */
  via: 'session' | 'proxy' | 'anonymous';
}

export function canSubmit(viewer: Viewer): boolean {
  return viewer.role === 'operator' && viewer.user !== null;
}
