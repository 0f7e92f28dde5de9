/**
 * The toolbar icon tells the state at a glance (art. 1.1: the customer sees at all times that someone
 * watches): a red ON while the page can reach the technician, || while paused, an amber … while the
 * connection is being restored (nothing is shared then, issue 17), a 1 for an invite waiting for consent.
 * It is set from the controller's state on every transition and whenever the background starts, never
 * only on a change: a background that restarted must not leave an ON from a session that is gone.
 */
import type { SessionState } from '@/lib/protocol/runtime';

export interface Badge {
  text: string;
  color: string | null;
  /** i18n key and substitutions of the tooltip. */
  title: [key: string, substitutions: string[]];
}

export function badgeFor(state: SessionState): Badge {
  const name = state.technician?.name ?? '';
  switch (state.phase) {
    case 'live':
    case 'connecting':
      return { text: 'ON', color: '#b42318', title: state.phase === 'live' ? ['statusLive', [name]] : ['statusConnecting', []] };
    case 'paused':
      return { text: '||', color: '#b54708', title: ['statusPaused', [name]] };
    case 'reconnecting':
      return { text: '…', color: '#b54708', title: ['statusReconnecting', [name]] };
    case 'invited':
      return { text: '1', color: '#1849a9', title: ['extName', []] };
    default:
      return { text: '', color: null, title: ['extName', []] };
  }
}
