/**
 * The session controller's one-off rules (issue 3): every way a session ends, and that an ended session
 * cannot be resumed. The browser is faked at the controller's seams; timers are vitest's fake timers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Runtime } from 'webextension-polyfill';
import type { JoinResponse } from '@/lib/protocol/api';
import type { BackgroundToPeer, PeerToBackground } from '@/lib/protocol/runtime';
import { createController, type ControllerDeps } from '@/lib/background/session/controller';
import { endInterruptedSession } from '@/lib/background/session/session-end';
import { createHistory, type KeyValueStore } from '@/lib/background/session/history';
import { DEFAULT_LIMITS } from '@/lib/background/session/limits';

vi.mock('webextension-polyfill', () => ({ default: {} }));

function memoryStore(): KeyValueStore & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = {};
  return {
    data,
    get: async (key) => (key in data ? { [key]: structuredClone(data[key]) } : {}),
    set: async (items) => void Object.assign(data, structuredClone(items)),
    remove: async (key) => void delete data[key],
  };
}

const SID = 'sess-1';
const join: JoinResponse = {
  sessionId: SID,
  viewerPeerId: 'viewer-peer',
  customer: { peerId: 'customer-peer', token: 'customer-token' },
  peer: { path: '/peerjs', key: 'k' },
  iceServers: [],
} as unknown as JoinResponse;

function setup(overrides: Partial<ControllerDeps> = {}) {
  const store = memoryStore();
  const history = createHistory(store);
  const sentToPeer: BackgroundToPeer[] = [];
  let peerListener: (event: PeerToBackground) => void = () => undefined;
  const ended: string[] = [];
  const deps: ControllerDeps = {
    peerHost: {
      post: async (m) => void sentToPeer.push(m),
      close: async (goodbye) => void (goodbye && sentToPeer.push(goodbye)),
      onEvent: (l) => (peerListener = l),
    },
    serverUrl: async () => 'http://127.0.0.1:8080',
    inject: vi.fn(async () => undefined),
    api: {
      redeemCode: async () => ({ invite: 'invite-token' }),
      redeemLink: async () => ({ invite: 'invite-token' }),
      joinSession: vi.fn(async () => join),
      endSession: vi.fn(async (_b: string, _s: string, _t: string, reason: string) => void ended.push(reason)),
    },
    verifyInvite: async () => ({ v: 1, iss: 'http://127.0.0.1:8080', sid: SID, exp: Date.now() + 600_000, technician: { name: 'Sanne', organisation: 'Reconi' } }) as never,
    history,
    limits: async () => ({ idleMs: 60_000, maxMs: 300_000 }),
    translate: (key) => `T:${key}`,
    onState: () => undefined,
    persistActive: async (record) => {
      if (record) store.data['activeSession'] = record;
      else delete store.data['activeSession'];
    },
    ...overrides,
  };
  const controller = createController(deps);
  return { controller, deps, store, history, sentToPeer, ended, peer: (e: PeerToBackground) => peerListener(e) };
}

function fakePort(tabId: number, url = 'https://shop.example/cart'): Runtime.Port & { posted: unknown[]; disconnected: boolean } {
  const posted: unknown[] = [];
  const port = {
    name: 'meekijk:tab',
    sender: { tab: { id: tabId }, frameId: 0, url },
    posted,
    disconnected: false,
    postMessage: (m: unknown) => void posted.push(m),
    disconnect: () => void (port.disconnected = true),
    onMessage: { addListener: vi.fn(), removeListener: vi.fn(), hasListener: vi.fn() },
    onDisconnect: { addListener: vi.fn(), removeListener: vi.fn(), hasListener: vi.fn() },
  };
  return port as unknown as Runtime.Port & { posted: unknown[]; disconnected: boolean };
}

async function live(t: ReturnType<typeof setup>, tabId = 7) {
  expect((await t.controller.handlePopup({ type: 'redeem', code: '123 456' })).ok).toBe(true);
  expect((await t.controller.handlePopup({ type: 'consent', tabId, termsHash: 'h', locale: 'nl' })).ok).toBe(true);
  t.peer({ type: 'state', state: 'open' });
  await vi.advanceTimersByTimeAsync(0);
  const port = fakePort(tabId);
  t.controller.acceptTabPort(port);
  expect(t.controller.state.phase).toBe('live');
  return port;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('session controller', () => {
  it('shares nothing before consent, and declining starts nothing', async () => {
    const t = setup();
    await t.controller.handlePopup({ type: 'redeem', code: '123456' });
    expect(t.controller.state.phase).toBe('invited');
    expect(t.sentToPeer).toEqual([]);
    expect(t.deps.inject).not.toHaveBeenCalled();
    await t.controller.handlePopup({ type: 'decline' });
    expect(t.controller.state.phase).toBe('idle');
    expect(t.deps.api.joinSession).not.toHaveBeenCalled();
    // A tab port is refused when nothing runs.
    const port = fakePort(7);
    t.controller.acceptTabPort(port);
    expect(port.disconnected).toBe(true);
  });

  it('starts recording at consent while the connection comes up, and is live only when both are there', async () => {
    const t = setup();
    await t.controller.handlePopup({ type: 'redeem', code: '123456' });
    expect((await t.controller.handlePopup({ type: 'consent', tabId: 7, termsHash: 'h', locale: 'nl' })).ok).toBe(true);
    // Injected at consent, before the peer opened.
    expect(t.deps.inject).toHaveBeenCalledWith(7);
    // The peer host is told which tab's events port to accept before the tab is told to start.
    expect(t.sentToPeer).toContainEqual(expect.objectContaining({ type: 'connect', tabId: 7 }));
    const port = fakePort(7);
    t.controller.acceptTabPort(port);
    expect(port.disconnected).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(port.posted).toContainEqual(expect.objectContaining({ type: 'start' }));
    expect(t.controller.state.phase).toBe('connecting');
    // Events no longer come this way (they go to the peer host on their own port): one here is dropped.
    const onMessage = (port.onMessage.addListener as ReturnType<typeof vi.fn>).mock.calls[0]![0] as (m: unknown) => void;
    const before = t.sentToPeer.length;
    onMessage({ type: 'events', json: '[{"type":4,"data":{},"timestamp":1}]' });
    expect(t.sentToPeer).toHaveLength(before);
    t.peer({ type: 'state', state: 'open' });
    expect(t.controller.state.phase).toBe('live');
    // Not injected twice.
    expect(t.deps.inject).toHaveBeenCalledTimes(1);
  });

  it('injects once while it waits, and again when the peer opens if the tab loaded a new page meanwhile', async () => {
    const t = setup();
    await t.controller.handlePopup({ type: 'redeem', code: '123456' });
    await t.controller.handlePopup({ type: 'consent', tabId: 7, termsHash: 'h', locale: 'nl' });
    await vi.advanceTimersByTimeAsync(0);
    t.controller.tabUpdated(7, 'complete');
    expect(t.deps.inject).toHaveBeenCalledTimes(1);
    t.controller.tabUpdated(7, 'loading');
    t.peer({ type: 'state', state: 'open' });
    await vi.advanceTimersByTimeAsync(0);
    expect(t.deps.inject).toHaveBeenCalledTimes(2);
    t.controller.acceptTabPort(fakePort(7));
    expect(t.controller.state.phase).toBe('live');
  });

  it('records the consent locally with the terms hash, and accepts only the consented tab', async () => {
    const t = setup();
    await live(t, 7);
    await vi.advanceTimersByTimeAsync(0);
    const [entry] = await t.history.list();
    expect(entry).toMatchObject({ sessionId: SID, consent: { termsHash: 'h', locale: 'nl' }, technician: { name: 'Sanne' }, site: 'https://shop.example', endedAt: null });
    const other = fakePort(8);
    t.controller.acceptTabPort(other);
    expect(other.disconnected).toBe(true);
  });

  it('counts the shared tab as in use while the peer host reports its events, and idles out when they stop', async () => {
    const t = setup();
    await live(t);
    for (let i = 0; i < 4; i++) {
      await vi.advanceTimersByTimeAsync(50_000);
      t.peer({ type: 'activity' });
    }
    expect(t.controller.state.phase).toBe('live');
    await vi.advanceTimersByTimeAsync(60_001);
    expect(t.controller.state).toMatchObject({ phase: 'ended', endedReason: 'idle-timeout' });
  });

  it.each([
    ['customer-stopped', async (t: ReturnType<typeof setup>) => void (await t.controller.handlePopup({ type: 'stop' }))],
    ['technician-ended', async (t: ReturnType<typeof setup>) => t.peer({ type: 'message', message: { type: 'end', reason: 'technician-ended' } })],
    ['tab-closed', async (t: ReturnType<typeof setup>) => t.controller.tabRemoved(7)],
    ['connection-lost', async (t: ReturnType<typeof setup>) => t.peer({ type: 'state', state: 'closed' })],
    ['idle-timeout', async () => void (await vi.advanceTimersByTimeAsync(60_001))],
    ['max-duration', async (t: ReturnType<typeof setup>) => {
      // Keep it busy so idle never fires: max duration still ends it.
      for (let i = 0; i < 6; i++) {
        await vi.advanceTimersByTimeAsync(50_000);
        t.peer({ type: 'message', message: { type: 'resync' } });
      }
    }],
  ])('ends for good when %s', async (reason, end) => {
    const t = setup();
    const port = await live(t);
    await end(t);
    await vi.advanceTimersByTimeAsync(0);
    expect(t.controller.state).toMatchObject({ phase: 'ended', endedReason: reason });
    expect(port.posted).toContainEqual({ type: 'stop' });
    expect(port.disconnected).toBe(true);
    expect(t.sentToPeer).toContainEqual({ type: 'send', message: { type: 'end', reason } });
    expect(t.ended).toEqual([reason]);
    const [entry] = await t.history.list();
    expect(entry?.endedReason).toBe(reason);
    expect(t.store.data['activeSession']).toBeUndefined();
    // Nothing is left ticking.
    expect(vi.getTimerCount()).toBe(0);
    // No resumption: the same session is refused by the extension itself.
    const again = await t.controller.handlePopup({ type: 'redeem', code: '123456' });
    expect(again).toMatchObject({ ok: false, error: 'T:errorSessionEnded' });
    // And a port from the tab after the end is refused.
    const late = fakePort(7);
    t.controller.acceptTabPort(late);
    expect(late.disconnected).toBe(true);
  });

  it('activity keeps the session from idling out', async () => {
    const t = setup();
    await live(t);
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(40_000);
      t.peer({ type: 'message', message: { type: 'resync' } });
    }
    expect(t.controller.state.phase).toBe('live');
  });

  it('explains a bad code in the customer language, without calling the server', async () => {
    const redeemCode = vi.fn(async () => ({ invite: 'x' }));
    const t = setup({ api: { redeemCode, redeemLink: vi.fn(), joinSession: vi.fn(), endSession: vi.fn() } });
    const response = await t.controller.handlePopup({ type: 'redeem', code: '12a' });
    expect(response).toMatchObject({ ok: false, error: 'T:errorCodeFormat' });
    expect(redeemCode).not.toHaveBeenCalled();
  });

  it('after a browser restart, a session that was running is ended and recorded, not resumed', async () => {
    const t = setup();
    await live(t);
    const record = t.store.data['activeSession'] as { sessionId: string; base: string; token: string };
    expect(record.sessionId).toBe(SID);
    // The browser goes away; a new background starts with the same storage.
    const endSession = vi.fn(async () => undefined);
    const persistActive = vi.fn(async () => undefined);
    expect(await endInterruptedSession(record, { history: t.history, api: { ...t.deps.api, endSession }, persistActive })).toBe(true);
    expect(endSession).toHaveBeenCalledWith(record.base, SID, record.token, 'browser-closed');
    expect(persistActive).toHaveBeenCalledWith(null);
    expect((await t.history.list())[0]?.endedReason).toBe('browser-closed');
    expect(await t.history.hasEnded(SID)).toBe(true);
    expect(await endInterruptedSession(null, { history: t.history, api: t.deps.api, persistActive })).toBe(false);
  });

  it('keeps a short history the customer can clear; clearing does not make a session resumable', async () => {
    const t = setup();
    await live(t);
    await t.controller.handlePopup({ type: 'stop' });
    expect((await t.controller.handlePopup({ type: 'get-history' })) ).toMatchObject({ ok: true, history: [{ sessionId: SID }] });
    expect(await t.controller.handlePopup({ type: 'clear-history' })).toMatchObject({ ok: true, history: [] });
    expect(await t.history.list()).toEqual([]);
    expect(await t.history.hasEnded(SID)).toBe(true);
  });
});

describe('what a session holds only while it runs', () => {
  it('keeps the peer context awake from consent to the end, and gives the site access back at the end', async () => {
    let awake = 0;
    const dropSiteAccess = vi.fn(async () => undefined);
    const t = setup({
      keepAlive: () => {
        awake++;
        return () => void awake--;
      },
      dropSiteAccess,
    });
    await t.controller.handlePopup({ type: 'redeem', code: '123456' });
    expect(awake).toBe(0); // nothing before consent
    await live(t);
    expect(awake).toBe(1);
    expect(dropSiteAccess).not.toHaveBeenCalled();
    await t.controller.handlePopup({ type: 'stop' });
    expect(awake).toBe(0);
    expect(dropSiteAccess).toHaveBeenCalledTimes(1);
  });
});

describe('limits', () => {
  it('tells the server the link to the technician: up when it opens, down while reconnecting, up when back; in order', async () => {
    const reports: Array<[string, string, number]> = [];
    const t = setup({ reportLink: vi.fn(async (_b: string, sessionId: string, _t: string, state: 'up' | 'down', seq: number) => void reports.push([sessionId, state, seq])) });
    await t.controller.handlePopup({ type: 'redeem', code: '123456' });
    await t.controller.handlePopup({ type: 'consent', tabId: 7, termsHash: 'h', locale: 'nl' });
    // Consent alone is not being viewed: nothing until the channel opens.
    expect(reports).toEqual([]);
    t.peer({ type: 'state', state: 'open' });
    t.controller.acceptTabPort(fakePort(7));
    expect(reports).toEqual([[SID, 'up', 1]]);
    t.peer({ type: 'state', state: 'closed' });
    expect(t.controller.state.phase).toBe('reconnecting');
    // A second loss while reconnecting is no news.
    t.peer({ type: 'state', state: 'failed' });
    t.peer({ type: 'state', state: 'open' });
    expect(reports).toEqual([[SID, 'up', 1], [SID, 'down', 2], [SID, 'up', 3]]);
    expect(t.deps.reportLink).toHaveBeenCalledWith('http://127.0.0.1:8080', SID, 'customer-token', 'up', 3);
    // The end is reported as the end (its own report), not as a link going down.
    await t.controller.handlePopup({ type: 'stop' });
    await vi.advanceTimersByTimeAsync(0);
    expect(reports).toHaveLength(3);
    expect(t.ended).toEqual(['customer-stopped']);
  });

  it('a quiet channel reports down and back up without a snapshot; the server back sends what waits for it', async () => {
    const reports: string[] = [];
    const serverBack = vi.fn();
    const t = setup({ reportLink: vi.fn(async (_b: string, _s: string, _t: string, state: 'up' | 'down') => void reports.push(state)), serverBack });
    const port = await live(t);
    const snapshots = () => port.posted.filter((m) => (m as { type: string }).type === 'snapshot').length;
    const before = snapshots();
    t.peer({ type: 'state', state: 'quiet', detail: 'nothing heard from the technician' });
    expect(t.controller.state).toMatchObject({ phase: 'reconnecting', error: 'nothing heard from the technician' });
    t.peer({ type: 'state', state: 'resumed' });
    expect(t.controller.state.phase).toBe('live');
    expect(reports).toEqual(['up', 'down', 'up']);
    expect(snapshots()).toBe(before);
    t.peer({ type: 'server-back' });
    expect(serverBack).toHaveBeenCalledTimes(1);
  });

  it('defaults fit a support call', () => {
    expect(DEFAULT_LIMITS.idleMs).toBe(15 * 60_000);
    expect(DEFAULT_LIMITS.maxMs).toBe(2 * 3600_000);
  });
});
