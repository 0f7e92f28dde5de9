// @vitest-environment happy-dom
/**
 * Control messages at the boundaries (issue 6): the wire refuses malformed control messages, a viewer
 * cannot send the tab's messages, the customer's record keeps control events, and the page-world
 * resolver only maps ids to nodes.
 */
import { describe, expect, it, vi } from 'vitest';
import { parseToExtension, parseToViewer } from '@/lib/protocol/wire';
import { backgroundToTabSchema, tabToBackgroundSchema } from '@/lib/protocol/runtime';
import { createHistory, CONTROL_EVENT_LIMIT, type KeyValueStore } from '@/lib/background/session/history';
import { installNodeResolver } from '@/lib/page/page-resolver';
import { resolveNode } from '@/lib/tab/control/resolve-node';
import { parseControlLimits, DEFAULT_CONTROL_LIMITS } from '@/lib/background/control/limits';
import { applyControlMessage, INITIAL_CONTROL } from '@/viewer/lib/control-model';

describe('wire: control messages', () => {
  it('accepts well-formed requests, clicks, scrolls and pointers', () => {
    for (const message of [
      { type: 'control-request' },
      { type: 'control-release' },
      { type: 'click', seq: 1, id: 42, x: 0, y: 1 },
      { type: 'scroll', x: 0.5, y: 0.5, dx: -100, dy: 400 },
      { type: 'pointer', x: 0.2, y: 0.8 },
    ]) {
      expect(parseToExtension(message)).toMatchObject({ ok: true });
    }
  });

  it('refuses what cannot name a node or a position', () => {
    for (const message of [
      { type: 'click', seq: 1, id: 0, x: 0.5, y: 0.5 },
      { type: 'click', seq: 1, id: 1.5, x: 0.5, y: 0.5 },
      { type: 'click', seq: 1, id: 5, x: 1.5, y: 0.5 },
      { type: 'click', seq: 1, id: 5, x: Number.NaN, y: 0.5 },
      { type: 'click', id: 5, x: 0.5, y: 0.5 },
      { type: 'scroll', x: 0.5, y: 0.5, dx: 0, dy: 1e9 },
      { type: 'pointer', x: -0.1, y: 0.5 },
    ]) {
      expect(parseToExtension(message)).toMatchObject({ ok: false, code: 'malformed' });
    }
  });

  it('a viewer cannot send what only the customer\u2019s tab may say', () => {
    expect(parseToExtension({ type: 'control-answer', promptId: 'prompt-12345678', allow: true })).toMatchObject({ ok: false, code: 'unknown-type' });
    expect(parseToExtension({ type: 'control-revoke', via: 'button' })).toMatchObject({ ok: false, code: 'unknown-type' });
    expect(parseToExtension({ type: 'control-state', state: 'granted' })).toMatchObject({ ok: false, code: 'unknown-type' });
  });

  it('the viewer accepts control state and click results, and results carry no content', () => {
    expect(parseToViewer({ type: 'control-state', state: 'granted', remainingMs: 1000 })).toMatchObject({ ok: true });
    expect(parseToViewer({ type: 'click-result', seq: 1, outcome: { ok: false, reason: 'no-control-zone' } })).toMatchObject({ ok: true });
    expect(parseToViewer({ type: 'click-result', seq: 1, outcome: { ok: true, target: { tag: 'button', role: 'button' } } })).toMatchObject({ ok: true });
    expect(parseToViewer({ type: 'click-result', seq: 1, outcome: { ok: true, target: { tag: 'Betaal €10 aan Jan', role: null } } })).toMatchObject({ ok: false });
  });

  it('tab <-> background control messages validate', () => {
    expect(tabToBackgroundSchema.safeParse({ type: 'control-answer', promptId: 'short', allow: true }).success).toBe(false);
    expect(tabToBackgroundSchema.safeParse({ type: 'control-revoke', via: 'escape' }).success).toBe(true);
    expect(backgroundToTabSchema.safeParse({ type: 'control-click', seq: 1, id: 3, x: 0.1, y: 0.1 }).success).toBe(true);
  });
});

describe('control limits', () => {
  it('default to a 30 s prompt and 10 minutes of control; bad values fall back', () => {
    expect(parseControlLimits(undefined)).toEqual(DEFAULT_CONTROL_LIMITS);
    expect(DEFAULT_CONTROL_LIMITS).toMatchObject({ promptMs: 30_000, grantMs: 600_000 });
    expect(parseControlLimits({ grantMs: 120_000 })).toMatchObject({ grantMs: 120_000, promptMs: 30_000 });
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(parseControlLimits({ grantMs: 10 })).toEqual(DEFAULT_CONTROL_LIMITS);
  });
});

describe('customer history: control events', () => {
  function memoryStore(): KeyValueStore {
    const data: Record<string, unknown> = {};
    return {
      get: async (key) => (key in data ? { [key]: structuredClone(data[key]) } : {}),
      set: async (items) => void Object.assign(data, structuredClone(items)),
      remove: async (key) => void delete data[key],
    };
  }
  const entry = { sessionId: 's', technician: { name: 'Sanne', organisation: 'Reconi' }, consent: { termsHash: 'h', locale: 'nl' as const, at: 1 }, site: null, startedAt: 1, endedAt: null, endedReason: null, controlGranted: false };

  it('appends events, marks control as granted on the first grant, and stops at the limit', async () => {
    const history = createHistory(memoryStore());
    await history.put(entry);
    await history.addControlEvent('s', { at: 2, kind: 'requested', detail: '' });
    expect((await history.list())[0]).toMatchObject({ controlGranted: false, control: [{ kind: 'requested' }] });
    await history.addControlEvent('s', { at: 3, kind: 'granted', detail: 'minutes=10' });
    expect((await history.list())[0]?.controlGranted).toBe(true);
    await Promise.all(Array.from({ length: CONTROL_EVENT_LIMIT + 10 }, (_, i) => history.addControlEvent('s', { at: 4 + i, kind: 'click', detail: 'button role=button' })));
    expect((await history.list())[0]?.control).toHaveLength(CONTROL_EVENT_LIMIT);
    await history.addControlEvent('unknown', { at: 1, kind: 'click', detail: '' }); // no such session: nothing happens
  });
});

describe('page-world resolver', () => {
  it('hands the isolated world the node behind an id, and says when there is none or it left', async () => {
    document.body.innerHTML = '<button id="a">A</button>';
    const a = document.querySelector('#a')!;
    const detached = document.createElement('button');
    installNodeResolver(window, (id) => (id === 1 ? a : id === 2 ? detached : id === 3 ? a.firstChild : null));
    expect(await resolveNode(window, 1)).toBe(a);
    expect(await resolveNode(window, 3)).toBe(a); // a text node resolves to its element
    expect(await resolveNode(window, 2)).toBe('stale');
    expect(await resolveNode(window, 9)).toBe('unknown');
  });

  it('answers on the page bridge at once: no timer, no task in between', async () => {
    // The resolver installed above (one per window) still maps id 1 to #a.
    let answered: unknown;
    void resolveNode(window, 1).then((r) => (answered = r));
    await Promise.resolve();
    expect(answered).toBe(document.querySelector('#a'));
  });
});

describe('viewer control model', () => {
  it('follows the extension\u2019s state and times a click\u2019s round trip', () => {
    const sent = new Map([[4, 1000]]);
    let view = applyControlMessage(INITIAL_CONTROL, { type: 'control-state', state: 'granted', remainingMs: 60_000 }, sent, 1000, 0);
    expect(view).toEqual({ phase: 'granted', until: 60_000 });
    view = applyControlMessage(view, { type: 'click-result', seq: 4, outcome: { ok: true, target: { tag: 'a', role: 'link' } } }, sent, 1042);
    expect(view.lastClick).toEqual({ seq: 4, ok: true, detail: 'a (link)', rttMs: 42 });
    view = applyControlMessage(view, { type: 'control-state', state: 'watching', reason: 'revoked' }, sent);
    expect(view).toMatchObject({ phase: 'watching', reason: 'revoked' });
  });
});
