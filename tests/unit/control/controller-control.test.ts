/**
 * Remote control wired into the session controller (issue 6): viewer messages reach the control state
 * machine, the tab's answers come back over the shared tab's port, every step is reported to the server's
 * audit trail with the customer's token, and the session's end ends control.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Runtime } from 'webextension-polyfill';
import type { JoinResponse } from '@/lib/protocol/api';
import type { BackgroundToPeer, PeerToBackground } from '@/lib/protocol/runtime';
import { createController } from '@/lib/background/session/controller';
import { createHistory, type KeyValueStore } from '@/lib/background/session/history';

vi.mock('webextension-polyfill', () => ({ default: {} }));

const SID = 'sess-1';
const join = {
  sessionId: SID,
  viewerPeerId: 'viewer-peer',
  customer: { peerId: 'customer-peer', token: 'customer-token' },
  peer: { path: '/peerjs', key: 'k' },
  iceServers: [],
  siteRules: [],
} as unknown as JoinResponse;

function memoryStore(): KeyValueStore {
  const data: Record<string, unknown> = {};
  return {
    get: async (key) => (key in data ? { [key]: structuredClone(data[key]) } : {}),
    set: async (items) => void Object.assign(data, structuredClone(items)),
    remove: async (key) => void delete data[key],
  };
}

function tabPort(url = 'https://shop.example/cart') {
  const posted: Array<{ type: string; [k: string]: unknown }> = [];
  let listener: (m: unknown) => void = () => undefined;
  const port = {
    name: 'meekijk:tab',
    sender: { tab: { id: 7 }, frameId: 0, url },
    postMessage: (m: { type: string }) => void posted.push(m),
    disconnect: () => undefined,
    onMessage: { addListener: (l: (m: unknown) => void) => void (listener = l) },
    onDisconnect: { addListener: () => undefined },
  };
  return { port: port as unknown as Runtime.Port, posted, fromTab: (m: unknown) => listener(m) };
}

async function live() {
  const history = createHistory(memoryStore());
  const toPeer: BackgroundToPeer[] = [];
  const reports: Array<[string, string, string, string]> = [];
  let peer: (e: PeerToBackground) => void = () => undefined;
  const controller = createController({
    peerHost: { post: async (m) => void toPeer.push(m), close: async () => undefined, onEvent: (l) => (peer = l) },
    serverUrl: async () => 'http://127.0.0.1:8080',
    inject: async () => undefined,
    api: {
      redeemCode: async () => ({ invite: 'invite' }),
      redeemLink: async () => ({ invite: 'invite' }),
      joinSession: async () => join,
      endSession: async () => undefined,
    },
    verifyInvite: async () => ({ v: 1, iss: 'http://127.0.0.1:8080', sid: SID, exp: Date.now() + 600_000, technician: { name: 'Sanne', organisation: 'Reconi' } }) as never,
    history,
    limits: async () => ({ idleMs: 600_000, maxMs: 3_600_000 }),
    controlLimits: async () => ({ promptMs: 30_000, grantMs: 60_000, cooldownMs: 0 }),
    reportEvent: async (_base, sessionId, token, kind, detail) => void reports.push([sessionId, token, kind, detail]),
    translate: (key) => key,
    onState: () => undefined,
    persistActive: async () => undefined,
  });
  await controller.handlePopup({ type: 'redeem', code: '123456' });
  await controller.handlePopup({ type: 'consent', tabId: 7, termsHash: 'h', locale: 'nl' });
  peer({ type: 'state', state: 'open' });
  await vi.advanceTimersByTimeAsync(0);
  const tab = tabPort();
  controller.acceptTabPort(tab.port);
  const fromViewer = (message: unknown) => peer({ type: 'message', message } as PeerToBackground);
  const toViewer = () => toPeer.flatMap((m) => (m.type === 'send' ? [m.message] : []));
  return { controller, history, tab, fromViewer, toViewer, reports };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('control in the session controller', () => {
  it('prompts in the shared tab, grants on the tab\u2019s answer, executes there, and reports every step', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const t = await live();
    t.fromViewer({ type: 'click', seq: 1, id: 5, x: 0.5, y: 0.5 });
    expect(t.tab.posted.some((m) => m.type === 'control-click')).toBe(false);
    expect(t.toViewer().at(-1)).toEqual({ type: 'click-result', seq: 1, outcome: { ok: false, reason: 'no-control' } });

    t.fromViewer({ type: 'control-request' });
    const prompt = t.tab.posted.find((m) => m.type === 'control-prompt')!;
    expect(prompt).toMatchObject({ technicianName: 'Sanne', grantMinutes: 1 });
    t.tab.fromTab({ type: 'control-answer', promptId: prompt['promptId'], allow: true });
    expect(t.toViewer().at(-1)).toMatchObject({ type: 'control-state', state: 'granted' });
    t.fromViewer({ type: 'click', seq: 2, id: 5, x: 0.5, y: 0.5 });
    const click = t.tab.posted.find((m) => m.type === 'control-click')!;
    t.tab.fromTab({ type: 'control-click-result', seq: click['seq'], outcome: { ok: true, target: { tag: 'a', role: 'link' } } });
    expect(t.toViewer().at(-1)).toEqual({ type: 'click-result', seq: 2, outcome: { ok: true, target: { tag: 'a', role: 'link' } } });

    // A malformed answer from the tab is dropped, not trusted.
    t.tab.fromTab({ type: 'control-answer', promptId: 1, allow: 'yes' });

    await t.controller.handlePopup({ type: 'stop' });
    await vi.advanceTimersByTimeAsync(0);
    expect(t.reports.map(([, , kind, detail]) => `${kind}:${detail}`)).toEqual([
      'click-refused:no-control',
      'control-requested:',
      'control-granted:minutes=1',
      'click-executed:a role=link',
      'control-revoked:session-ended',
    ]);
    expect(t.reports.every(([sid, token]) => sid === SID && token === 'customer-token')).toBe(true);
    const [entry] = await t.history.list();
    expect(entry).toMatchObject({ controlGranted: true });
    expect(entry?.control?.map((e) => e.kind)).toEqual(['click-refused', 'requested', 'granted', 'click', 'revoked']);
    // After the end nothing reaches the tab or the viewer any more.
    const before = t.toViewer().length;
    t.fromViewer({ type: 'control-request' });
    expect(t.toViewer().length).toBe(before);
  });

  it('ends control when the shared tab comes back on another site', async () => {
    const t = await live();
    t.fromViewer({ type: 'control-request' });
    const prompt = t.tab.posted.find((m) => m.type === 'control-prompt')!;
    t.tab.fromTab({ type: 'control-answer', promptId: prompt['promptId'], allow: true });
    // Another site: the tab agent goes, the injection fails, sharing pauses.
    const other = tabPort('https://elsewhere.example/');
    t.controller.acceptTabPort(other.port);
    await vi.advanceTimersByTimeAsync(0);
    expect(t.toViewer().filter((m) => m.type === 'control-state').at(-1)).toMatchObject({ state: 'watching', reason: 'navigated' });
    expect(other.posted.find((m) => m.type === 'control-state')).toMatchObject({ state: 'off' });
  });
});
