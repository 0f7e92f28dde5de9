/** What a session's phase means, for every context that shows or decides on it (popup, background). */
import type { SessionState } from '@/lib/protocol/runtime';

/**
 * Consent given and not ended: the tab may be shared, and a second invite is refused. `reconnecting` is
 * running too: consent covers the session, not one connection (issue 17), though nothing is shared then.
 */
export const isRunning = (state: Pick<SessionState, 'phase'>): boolean =>
  state.phase === 'connecting' || state.phase === 'live' || state.phase === 'paused' || state.phase === 'reconnecting';
