/**
 * From an invite to a consented session: the invite verified (signature, issuer, expiry, not ended here),
 * then, on the customer's consent, the consent recorded with the server (which spends the invite) and in
 * the customer's own history, the session's limits and remote control set up. Art. 1.1, 1.2: nothing of
 * this shares anything; the controller shares the tab once the state machine is `connecting`.
 */
import type { BackgroundToTab } from '@/lib/protocol/runtime';
import type { EndReason } from '@/lib/protocol/wire';
import { createControlSession, type ControlSession } from '@/lib/background/control/control-session';
import { DEFAULT_CONTROL_LIMITS } from '@/lib/background/control/limits';
import { createControlRecorder } from '@/lib/background/control/record';
import type { ControllerDeps, Timers } from './controller-deps';
import type { Joined } from './session-end';
import { createSessionClocks, type SessionClocks } from './clocks';
import { UserError } from './user-error';
import type { DecodedInvite } from './verify-invite';

export interface PendingInvite {
  token: string;
  decoded: DecodedInvite;
  base: string;
}

/** What a consented session holds until it ends. */
export interface Running {
  joined: Joined;
  control: ControlSession;
  clocks: SessionClocks;
  startedAt: number;
  /** The shared page's origin once the tab first connected (history shows it; no path, no content). */
  site: string | null;
}

export async function acceptInvite(deps: Pick<ControllerDeps, 'verifyInvite' | 'history'>, base: string, token: string, running: () => boolean): Promise<PendingInvite> {
  const decoded = await deps.verifyInvite(base, token);
  if (await deps.history.hasEnded(decoded.sid)) throw new UserError('errorSessionEnded');
  if (running()) throw new UserError('errorAlreadyRunning');
  return { token, decoded, base };
}

export interface ConsentWiring {
  now: () => number;
  timers: Timers;
  /** Posts to the shared tab; false when it is not connected. */
  toTab: (message: BackgroundToTab) => boolean;
  /** The session's clocks ran out. */
  end: (reason: EndReason) => void;
}

export async function joinWithConsent(
  deps: ControllerDeps,
  invite: PendingInvite,
  consent: { termsHash: string; locale: 'nl' | 'en' },
  wiring: ConsentWiring,
): Promise<Running> {
  const { now } = wiring;
  if (invite.decoded.exp < now()) throw new UserError('errorInviteExpired');
  if (await deps.history.hasEnded(invite.decoded.sid)) throw new UserError('errorSessionEnded');
  const { token, decoded, base } = invite;
  const at = now();
  const response = await deps.api.joinSession(base, decoded.sid, {
    invite: token,
    consent: { termsHash: consent.termsHash, locale: consent.locale, at: new Date(at).toISOString() },
  });
  const joined: Joined = { ...response, base };
  const limits = await deps.limits();
  await deps.persistActive({ sessionId: joined.sessionId, base, token: joined.customer.token });
  await deps.history.put({
    sessionId: joined.sessionId,
    technician: decoded.technician,
    consent: { termsHash: consent.termsHash, locale: consent.locale, at },
    site: null,
    startedAt: at,
    endedAt: null,
    endedReason: null,
    controlGranted: false,
  });
  const control = await startControl(deps, joined, decoded.technician.name, wiring);
  const clocks = createSessionClocks(limits, wiring.timers, wiring.end);
  return { joined, control, clocks, startedAt: at, site: null };
}

/** Control needs its own approval in the tab; the background holds its state (lib/background/control). */
async function startControl(deps: ControllerDeps, joined: Joined, technicianName: string, wiring: ConsentWiring): Promise<ControlSession> {
  const report = deps.reportEvent;
  const { sessionId, base } = joined;
  const token = joined.customer.token;
  return createControlSession({
    technicianName,
    limits: (await deps.controlLimits?.()) ?? DEFAULT_CONTROL_LIMITS,
    toViewer: (message) => void deps.peerHost.post({ type: 'send', message }),
    toTab: wiring.toTab,
    record: createControlRecorder({
      history: deps.history,
      report: async (kind, detail) => report?.(base, sessionId, token, kind, detail),
      sessionId,
      now: wiring.now,
    }),
    now: wiring.now,
    timers: wiring.timers,
  });
}
