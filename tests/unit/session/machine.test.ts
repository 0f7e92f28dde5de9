/**
 * The session's state machine (lib/background/session/machine.ts), driven with plain values: consent,
 * the tab's link, what control is told, the connection, and every way a session ends.
 */
import { describe, expect, it } from 'vitest';
import { initialSession, isRunning, transition, type Session, type SessionEvent } from '@/lib/background/session/machine';

const technician = { name: 'Sanne', organisation: 'Reconi' };
const TAB = 42;

/** Runs events in order; returns the last session and every effect on the way. */
function drive(events: SessionEvent[], from: Session = initialSession()) {
  let session = from;
  const effects: unknown[] = [];
  for (const event of events) {
    const step = transition(session, event);
    session = step.session;
    effects.push(...step.effects);
  }
  return { session, effects };
}

const invited: SessionEvent = { type: 'invited', sessionId: 's-1', technician };
const consented: SessionEvent = { type: 'consented', tabId: TAB, at: 1000 };
const connecting = () => drive([invited, consented]).session;
const live = () => drive([{ type: 'share' }, { type: 'tab-linked' }, { type: 'peer-open' }], connecting()).session;

describe('consent', () => {
  it('shows the consent screen for an invite and shares nothing before consent', () => {
    const { session, effects } = drive([invited, { type: 'share' }, { type: 'tab-linked' }, { type: 'peer-open' }, { type: 'tab-complete' }]);
    expect(session.state).toMatchObject({ phase: 'invited', sessionId: 's-1', technician, tabId: null });
    expect(effects).toEqual([]);
  });

  it('on consent connects for the consented tab, which is injected once on `share`', () => {
    const { session, effects } = drive([invited, consented, { type: 'share' }, { type: 'share' }]);
    expect(session.state).toMatchObject({ phase: 'connecting', tabId: TAB, startedAt: 1000 });
    expect(isRunning(session.state)).toBe(true);
    expect(effects).toEqual([{ type: 'inject', tabId: TAB }]);
  });

  it('consent without an invite changes nothing; declining goes back to idle', () => {
    expect(drive([consented]).session).toEqual(initialSession());
    expect(drive([invited, { type: 'declined' }]).session).toEqual(initialSession());
  });

  it('a second invite while a session runs is not taken, nor is declining', () => {
    const running = connecting();
    expect(drive([{ type: 'invited', sessionId: 's-2', technician }, { type: 'declined' }], running).session).toEqual(running);
  });
});

describe('the tab link', () => {
  it('goes live when both the tab and the channel are there, in either order, and tells the viewer it shares', () => {
    const tabFirst = drive([{ type: 'share' }, { type: 'tab-linked' }, { type: 'peer-open' }], connecting());
    const peerFirst = drive([{ type: 'peer-open' }, { type: 'tab-linked' }], connecting());
    expect(tabFirst.session.state.phase).toBe('live');
    expect(peerFirst.session.state.phase).toBe('live');
    expect(tabFirst.effects).toEqual([{ type: 'inject', tabId: TAB }, { type: 'tab-state', state: 'sharing' }]);
    // The channel opened before the tab was there: the tab is injected then.
    expect(peerFirst.effects).toEqual([{ type: 'inject', tabId: TAB }, { type: 'tab-state', state: 'sharing' }]);
  });

  it('pauses while the tab loads a new page and injects again when it is complete', () => {
    const { session, effects } = drive([{ type: 'tab-unlinked' }, { type: 'tab-loading' }, { type: 'tab-complete' }], live());
    expect(session.state).toMatchObject({ phase: 'paused', pausedReason: 'loading' });
    expect(effects).toEqual([
      { type: 'control', call: 'tab-lost' },
      { type: 'tab-state', state: 'paused', reason: 'loading' },
      { type: 'inject', tabId: TAB },
    ]);
    expect(drive([{ type: 'tab-linked' }], session).session.state).toMatchObject({ phase: 'live', pausedReason: null });
  });

  it('a page it may not inject pauses the session as another site, and control hears it left the site', () => {
    const { session, effects } = drive([{ type: 'tab-unlinked' }, { type: 'tab-complete' }, { type: 'inject-failed' }], live());
    expect(session.state).toMatchObject({ phase: 'paused', pausedReason: 'other-site' });
    expect(effects.slice(-3)).toEqual([{ type: 'inject', tabId: TAB }, { type: 'control', call: 'left-site' }, { type: 'tab-state', state: 'paused', reason: 'other-site' }]);
  });

  it('the verification code shows once the connection has it', () => {
    expect(drive([{ type: 'verification', code: '123456' }], live()).session.state.verificationCode).toBe('123456');
  });
});

describe('ending', () => {
  it.each(['customer-stopped', 'technician-ended', 'tab-closed', 'idle-timeout', 'max-duration'] as const)('ends for good on %s, with one teardown', (reason) => {
    const { session, effects } = drive([{ type: 'end', reason }], live());
    expect(session.state).toMatchObject({ phase: 'ended', endedReason: reason, pausedReason: null });
    expect(effects).toEqual([{ type: 'teardown', reason }]);
    // Nothing brings it back, and a second end does nothing.
    const after = drive([{ type: 'peer-open' }, { type: 'tab-linked' }, { type: 'share' }, { type: 'consented', tabId: TAB, at: 2 }, { type: 'end', reason: 'tab-closed' }], session);
    expect(after.session).toEqual(session);
    expect(after.effects).toEqual([]);
  });

  it('a connection lost before it ever opened ends as refused, with its detail', () => {
    expect(drive([{ type: 'peer-lost' }], connecting()).session.state).toMatchObject({ phase: 'ended', endedReason: 'refused', error: null });
  });

  it('stopping at the consent screen ends it too; from idle nothing happens', () => {
    expect(drive([invited, { type: 'end', reason: 'customer-stopped' }]).session.state.phase).toBe('ended');
    expect(drive([{ type: 'end', reason: 'customer-stopped' }]).effects).toEqual([]);
  });

  it('a new invite after the end starts from a clean slate', () => {
    const ended = drive([{ type: 'end', reason: 'customer-stopped' }], live()).session;
    const again = drive([{ type: 'invited', sessionId: 's-2', technician }], ended).session;
    expect(again).toEqual({ ...initialSession(), state: { ...initialSession().state, phase: 'invited', sessionId: 's-2', technician } });
  });
});

describe('reconnecting (issue 17: consent covers the session, not one connection)', () => {
  const lost: SessionEvent = { type: 'peer-lost', detail: 'gone' };

  it('a connection lost once open waits for the technician: grace clock, control ends, the indicator says so', () => {
    const { session, effects } = drive([lost], live());
    expect(session.state).toMatchObject({ phase: 'reconnecting', endedReason: null, error: 'gone', verificationCode: null });
    expect(session.connected).toBe(false);
    expect(isRunning(session.state)).toBe(true);
    expect(effects).toEqual([{ type: 'grace', on: true }, { type: 'control', call: 'peer-lost' }, { type: 'indicator', state: 'reconnecting' }]);
    // A second loss report while waiting changes nothing (one grace clock).
    expect(drive([lost], session).effects).toEqual([]);
  });

  it('the technician back: live again, grace clock stopped, the tab state and a fresh full snapshot', () => {
    const { session, effects } = drive([lost, { type: 'peer-open' }], live());
    expect(session.state).toMatchObject({ phase: 'live', error: null });
    expect(session.connected).toBe(true);
    expect(effects.slice(3)).toEqual([
      { type: 'grace', on: false },
      { type: 'indicator', state: 'viewing' },
      { type: 'tab-state', state: 'sharing' },
      { type: 'snapshot' },
    ]);
  });

  it('the grace period running out ends it as connection-lost; it ends nothing outside reconnecting', () => {
    const { session, effects } = drive([lost, { type: 'grace-expired' }], live());
    expect(session.state).toMatchObject({ phase: 'ended', endedReason: 'connection-lost' });
    expect(effects.slice(3)).toEqual([{ type: 'grace', on: false }, { type: 'teardown', reason: 'connection-lost' }]);
    expect(drive([{ type: 'grace-expired' }], live()).session.state.phase).toBe('live');
  });

  it('any end while reconnecting stops the grace clock and tears down with its own reason', () => {
    const { session, effects } = drive([lost, { type: 'end', reason: 'customer-stopped' }], live());
    expect(session.state).toMatchObject({ phase: 'ended', endedReason: 'customer-stopped' });
    expect(effects.slice(3)).toEqual([{ type: 'grace', on: false }, { type: 'teardown', reason: 'customer-stopped' }]);
  });

  it('the tab navigating while reconnecting stays reconnecting (never live without a technician)', () => {
    const waiting = drive([lost], live()).session;
    const nav = drive([{ type: 'tab-unlinked' }, { type: 'tab-loading' }, { type: 'tab-complete' }, { type: 'tab-linked' }], waiting);
    expect(nav.session.state.phase).toBe('reconnecting');
    expect(nav.session.tabLinked).toBe(true);
    expect(drive([{ type: 'peer-open' }], nav.session).session.state.phase).toBe('live');
  });

  it('back while the tab is on another site: paused, and the viewer is told why', () => {
    const waiting = drive([lost, { type: 'tab-unlinked' }, { type: 'tab-loading' }, { type: 'inject-failed' }], live()).session;
    expect(waiting.state).toMatchObject({ phase: 'reconnecting', pausedReason: 'other-site' });
    const back = drive([{ type: 'peer-open' }], waiting);
    expect(back.session.state).toMatchObject({ phase: 'paused', pausedReason: 'other-site' });
    expect(back.effects).toContainEqual({ type: 'tab-state', state: 'paused', reason: 'other-site' });
  });

  it('a quiet channel is reconnecting at once; heard again it is live without a snapshot (the viewer lacks nothing)', () => {
    const quiet = drive([{ type: 'peer-quiet', detail: 'nothing heard' }], live());
    expect(quiet.session.state).toMatchObject({ phase: 'reconnecting', error: 'nothing heard' });
    expect(quiet.session.connected).toBe(false);
    expect(quiet.effects).toEqual([{ type: 'grace', on: true }, { type: 'control', call: 'peer-lost' }, { type: 'indicator', state: 'reconnecting' }]);
    const back = drive([{ type: 'peer-resumed' }], quiet.session);
    expect(back.session.state).toMatchObject({ phase: 'live', error: null });
    expect(back.session.connected).toBe(true);
    expect(back.effects).toEqual([{ type: 'grace', on: false }, { type: 'indicator', state: 'viewing' }, { type: 'tab-state', state: 'sharing' }]);
    // Quiet while already reconnecting, or before the channel ever opened, changes nothing; resumed outside
    // reconnecting neither.
    expect(drive([lost, { type: 'peer-quiet' }], live()).effects.slice(3)).toEqual([]);
    expect(drive([{ type: 'peer-quiet' }], connecting()).session.state.phase).toBe('connecting');
    expect(drive([{ type: 'peer-resumed' }], live()).effects).toEqual([]);
    // A quiet channel that then dies and is replaced: a new connection, a fresh snapshot.
    const replaced = drive([{ type: 'peer-quiet' }, lost, { type: 'peer-open' }], live());
    expect(replaced.session.state.phase).toBe('live');
    expect(replaced.effects).toContainEqual({ type: 'snapshot' });
  });

  it('back while the tab has no agent: paused loading and injected again', () => {
    const waiting = drive([lost, { type: 'tab-unlinked' }, { type: 'tab-loading' }], live()).session;
    const back = drive([{ type: 'peer-open' }], waiting);
    expect(back.session.state).toMatchObject({ phase: 'paused', pausedReason: 'loading' });
    expect(back.effects).toContainEqual({ type: 'inject', tabId: TAB });
  });
});
