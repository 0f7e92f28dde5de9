/**
 * The session's state machine, as one pure function: `transition(session, event)` gives the next session
 * and the effects to run, and does nothing itself (the controller runs the effects: injecting, telling the
 * viewer, control, the teardown). Tests drive it with plain values.
 *
 *   idle -> invited -> connecting -> live <-> paused -> ended
 *                                     live/paused <-> reconnecting -> ended
 *
 * (drawn in docs/architecture.md, "The session's states").
 *
 * Terms: nothing is shared before consent (art. 1.1, 1.2): only `consented` leaves `invited`, and only the
 * consented tab is ever injected. A session ends for good (art. 1.2: one-off), for every reason it can end;
 * nothing leaves `ended` but a new invite.
 *
 * Consent covers the session, not one connection (issue 17): once the channel has been open, losing it
 * goes to `reconnecting` (nothing is shared: the peer host has no one to send to and drops what the tab
 * records), the peer host dials the technician again, and `peer-open` brings the session back with a
 * fresh snapshot; `grace-expired` ends it as `connection-lost`. A channel that goes quiet (nothing heard from
 * the technician for 1.5 s, lib/peer/liveness.ts) is `reconnecting` too, at once, while the connection is
 * kept: what the tab records still goes into it and arrives in order if it is heard again (`peer-resumed`,
 * back without a snapshot: the viewer lacks nothing), and no one else can receive it. A quiet channel that
 * dies goes on as a lost one.
 */
import type { SessionState } from '@/lib/protocol/runtime';
import type { EndReason } from '@/lib/protocol/wire';
import { isRunning } from '@/lib/shared/session-phase';
import { idleState } from './state';

export { isRunning };

export type PauseReason = 'other-site' | 'restricted-page' | 'loading';

/** What the popup shows (`state`) and what the background knows of the session's links. */
export interface Session {
  readonly state: SessionState;
  /** The data channel to the technician opened at least once in this session. */
  readonly peerOpen: boolean;
  /** The data channel is open now (false while connecting and reconnecting). */
  readonly connected: boolean;
  /** The shared tab's content script is connected (its port is accepted). */
  readonly tabLinked: boolean;
  /** An injection into the tab has started and its port has not connected yet (one at a time). */
  readonly injecting: boolean;
}

export type SessionEvent =
  /** An invite was verified: show the consent screen. */
  | { type: 'invited'; sessionId: string; technician: { name: string; organisation: string } }
  | { type: 'declined' }
  /** The customer consented and the server recorded it; `tabId` is the tab to share. */
  | { type: 'consented'; tabId: number; at: number }
  /** Share the tab now, if it is not shared or being injected already. */
  | { type: 'share' }
  | { type: 'inject-failed' }
  | { type: 'tab-linked' }
  | { type: 'tab-unlinked' }
  /** The shared tab started loading a new document, or finished loading one. */
  | { type: 'tab-loading' }
  | { type: 'tab-complete' }
  | { type: 'peer-open' }
  /** The peer host reports the connection closed or failed. */
  | { type: 'peer-lost'; detail?: string }
  /** Nothing heard from the technician on the open channel for a moment; heard again. */
  | { type: 'peer-quiet'; detail?: string }
  | { type: 'peer-resumed' }
  /** The grace period after a lost connection ran out without the technician coming back. */
  | { type: 'grace-expired' }
  | { type: 'verification'; code: string }
  | { type: 'end'; reason: EndReason; detail?: string };

export type SessionEffect =
  /** Inject the content scripts into the shared tab. */
  | { type: 'inject'; tabId: number }
  /** Tell the viewer what the shared tab does. */
  | { type: 'tab-state'; state: 'sharing' }
  | { type: 'tab-state'; state: 'paused'; reason: PauseReason }
  /** The tab left the site control was granted on / the tab's content script went away. */
  | { type: 'control'; call: 'left-site' | 'tab-lost' | 'peer-lost' }
  /** Start or stop the grace period's clock (the controller owns the timer). */
  | { type: 'grace'; on: boolean }
  /** Ask the tab for a fresh full snapshot (a technician came back and has nothing). */
  | { type: 'snapshot' }
  /** What the in-page indicator says: someone views, or the connection is being restored. */
  | { type: 'indicator'; state: 'viewing' | 'reconnecting' }
  /** Everything that goes with the end: goodbye, stop the tab, history, server. */
  | { type: 'teardown'; reason: EndReason };

export interface Transition {
  session: Session;
  effects: SessionEffect[];
}

export const initialSession = (): Session => ({ state: idleState(), peerOpen: false, connected: false, tabLinked: false, injecting: false });

export function transition(session: Session, event: SessionEvent): Transition {
  const running = isRunning(session.state);
  switch (event.type) {
    case 'invited':
      if (running) return same(session);
      return next({ ...initialSession(), state: { ...idleState(), phase: 'invited', sessionId: event.sessionId, technician: event.technician } });
    case 'declined':
      return running ? same(session) : next(initialSession());
    case 'consented':
      if (session.state.phase !== 'invited') return same(session);
      return next({ ...session, state: { ...session.state, phase: 'connecting', tabId: event.tabId, startedAt: event.at } });
    case 'end':
      return end(session, event.reason, event.detail);
  }
  // Everything below concerns a running session only.
  if (!running) return same(session);
  switch (event.type) {
    case 'share':
      return share(session);
    case 'inject-failed':
      // No access to this page (another site after navigation, or a browser page): pause, share nothing.
      return pause({ ...session, injecting: false }, 'other-site');
    case 'tab-linked': {
      const linked: Session = { ...session, tabLinked: true, injecting: false };
      if (session.state.phase === 'reconnecting') return next(withState(linked, { pausedReason: null }));
      const live = session.connected ? withState(linked, { phase: 'live', pausedReason: null }) : linked;
      return next(live, { type: 'tab-state', state: 'sharing' });
    }
    case 'tab-unlinked': {
      const paused = pause({ ...session, tabLinked: false }, 'loading');
      return next(paused.session, { type: 'control', call: 'tab-lost' }, ...paused.effects);
    }
    case 'tab-loading': {
      // A new document: whatever was injected into the old one is gone.
      const reset: Session = { ...session, injecting: false };
      return session.state.phase === 'live' && !session.tabLinked ? pause(reset, 'loading') : next(reset);
    }
    case 'tab-complete':
      return session.tabLinked ? same(session) : share(session);
    case 'peer-open': {
      if (session.state.phase === 'reconnecting') return whenPeerBack(session, true);
      const open: Session = { ...session, peerOpen: true, connected: true };
      // The tab was injected at consent and has been recording while the connection came up (its events
      // waited in the peer host); now it is live. If it is not there yet (it was loading), inject.
      return session.tabLinked ? next(withState(open, { phase: 'live', pausedReason: null })) : share(open);
    }
    case 'peer-lost':
      return whenPeerLost(session, event.detail);
    case 'peer-quiet':
      return session.connected ? whenPeerLost(session, event.detail) : same(session);
    case 'peer-resumed':
      // Heard again on the same channel: nothing was lost on it, so no snapshot.
      return session.state.phase === 'reconnecting' ? whenPeerBack(session, false) : same(session);
    case 'grace-expired':
      if (session.state.phase !== 'reconnecting') return same(session);
      return end(session, 'connection-lost', 'the technician did not come back within the grace period');
    case 'verification':
      return next(withState(session, { verificationCode: event.code }));
  }
}

/**
 * The one place that decides what a lost connection means: before it ever opened the technician refused;
 * after, the session waits for the technician to come back (grace period), sharing nothing meanwhile.
 */
function whenPeerLost(session: Session, detail: string | undefined): Transition {
  if (!session.peerOpen) return end(session, 'refused', detail);
  if (session.state.phase === 'reconnecting') return same(session);
  const waiting = withState({ ...session, connected: false }, { phase: 'reconnecting', verificationCode: null, error: detail ?? null });
  return next(waiting, { type: 'grace', on: true }, { type: 'control', call: 'peer-lost' }, { type: 'indicator', state: 'reconnecting' });
}

/**
 * The technician is back: the tab's state again, and on a new connection (`fresh`) a full snapshot to start
 * from; on the same one, heard again, the viewer has everything already.
 */
function whenPeerBack(session: Session, fresh: boolean): Transition {
  const back: Session = { ...session, connected: true };
  const effects: SessionEffect[] = [{ type: 'grace', on: false }, { type: 'indicator', state: 'viewing' }];
  const reason = session.state.pausedReason as PauseReason | null;
  if (reason === 'other-site' || reason === 'restricted-page') {
    return next(withState(back, { phase: 'paused', error: null }), ...effects, { type: 'tab-state', state: 'paused', reason });
  }
  if (session.tabLinked) {
    return next(withState(back, { phase: 'live', pausedReason: null, error: null }), ...effects, { type: 'tab-state', state: 'sharing' }, ...(fresh ? [{ type: 'snapshot' } as const] : []));
  }
  const loading = pause(withState(back, { phase: 'paused', error: null }), 'loading');
  const injected = share(loading.session);
  return next(injected.session, ...effects, ...loading.effects, ...injected.effects);
}

function share(session: Session): Transition {
  const tabId = session.state.tabId;
  if (tabId === null || session.injecting) return same(session);
  return next({ ...session, injecting: true }, { type: 'inject', tabId });
}

function pause(session: Session, reason: PauseReason): Transition {
  const effects: SessionEffect[] = reason === 'loading' ? [] : [{ type: 'control', call: 'left-site' }];
  // While reconnecting the phase stays: the reason is kept for when the technician is back.
  if (session.state.phase === 'reconnecting') return next(withState(session, { pausedReason: reason }), ...effects);
  effects.push({ type: 'tab-state', state: 'paused', reason });
  return next(withState(session, { phase: 'paused', pausedReason: reason }), ...effects);
}

function end(session: Session, reason: EndReason, detail: string | undefined): Transition {
  if (!isRunning(session.state) && session.state.phase !== 'invited') return same(session);
  const ended = withState(session, { phase: 'ended', endedReason: reason, error: detail ?? null, pausedReason: null });
  const effects: SessionEffect[] = session.state.phase === 'reconnecting' ? [{ type: 'grace', on: false }] : [];
  return next({ ...ended, peerOpen: false, connected: false, tabLinked: false, injecting: false }, ...effects, { type: 'teardown', reason });
}

const withState = (session: Session, patch: Partial<SessionState>): Session => ({ ...session, state: { ...session.state, ...patch } });
const next = (session: Session, ...effects: SessionEffect[]): Transition => ({ session, effects });
const same = (session: Session): Transition => ({ session, effects: [] });
