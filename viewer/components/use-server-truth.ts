/**
 * The viewer tells the server's truth about its session (issue 17): it reads the session from the server
 * every few seconds while it runs, so an end it did not cause (the customer's extension reported it, the
 * server swept it, another tab of the technician ended it) shows here too, with the server's reason; and
 * while the customer's connection is down it ends the session itself once the grace period is over, so a
 * customer whose browser is gone for good does not leave it "reconnecting" for ever. It also shows what the
 * server says of the customer's link (`up`: page data reaches the technician; `down`: reconnecting), which
 * the customer's extension reports.
 */
import { useEffect } from 'preact/hooks';
import type { ViewerSessionResponse } from '@/lib/protocol/api';
import type { ViewerApi } from '../lib/api-client';

/** How often the viewer reads the session's state from the server (the invariant: agree within 2 s). */
export const SERVER_POLL_MS = 1_500;
/** After the grace period the customer's extension reports the end itself; the viewer waits a little longer. */
export const GRACE_SLACK_MS = 5_000;

export type ServerLink = ViewerSessionResponse['session']['link'];

export function useServerTruth(api: ViewerApi, id: string, running: boolean, onEnded: (reason: string | null) => void, onLink: (link: ServerLink) => void) {
  useEffect(() => {
    if (!running) return;
    let stopped = false;
    const timer = setInterval(() => {
      api.getSession(id).then(
        (s: ViewerSessionResponse) => {
          if (stopped) return;
          if (s.session.status === 'ended') onEnded(s.session.endReason);
          else onLink(s.session.link);
        },
        // The server may be restarting: its view comes back with it (the sessions are in its database).
        () => undefined,
      );
    }, SERVER_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [id, running]);
}

/** While `waiting` (the customer's link is down), ends the session as `connection-lost` after the grace period. */
export function useGraceBackstop(api: ViewerApi, id: string, waiting: boolean, graceSeconds: number, onEnded: () => void) {
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => {
      api.endSession(id, 'connection-lost').then(onEnded, () => undefined);
    }, graceSeconds * 1000 + GRACE_SLACK_MS);
    return () => clearTimeout(timer);
  }, [id, waiting, graceSeconds]);
}
