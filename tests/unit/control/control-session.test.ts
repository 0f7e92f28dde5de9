/**
 * The background's control state machine (issue 6): control needs the customer's answer to the prompt
 * on screen, ends in every way the issue lists, and refuses and records every click it may not run.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLICK_TIMEOUT_MS, createControlSession, type ControlSessionDeps } from '@/lib/background/control/control-session';
import { DEFAULT_CONTROL_LIMITS } from '@/lib/background/control/limits';
import type { ControlEventKind } from '@/lib/protocol/control';
import type { BackgroundToTab } from '@/lib/protocol/runtime';
import type { ToViewer } from '@/lib/protocol/wire';

const SITE = 'https://shop.example';

function setup(overrides: Partial<ControlSessionDeps> = {}) {
  const viewer: ToViewer[] = [];
  const tab: BackgroundToTab[] = [];
  const records: Array<[ControlEventKind, string]> = [];
  let tabUp = true;
  let ids = 0;
  const control = createControlSession({
    technicianName: 'Sanne',
    limits: DEFAULT_CONTROL_LIMITS,
    toViewer: (m) => void viewer.push(m),
    toTab: (m) => {
      if (!tabUp) return false;
      tab.push(m);
      return true;
    },
    record: (kind, detail) => void records.push([kind, detail]),
    now: () => Date.now(),
    newId: () => `prompt-${++ids}-xxxxxxxx`,
    ...overrides,
  });
  control.tabReady(SITE);
  const lastState = () => viewer.filter((m) => m.type === 'control-state').at(-1);
  const results = () => viewer.filter((m) => m.type === 'click-result');
  const prompt = () => tab.filter((m) => m.type === 'control-prompt').at(-1) as Extract<BackgroundToTab, { type: 'control-prompt' }>;
  const grant = () => {
    control.fromViewer({ type: 'control-request' });
    control.fromTab({ type: 'control-answer', promptId: prompt().promptId, allow: true });
    expect(control.phase).toBe('granted');
  };
  const click = (seq: number, id = 12) => control.fromViewer({ type: 'click', seq, id, x: 0.5, y: 0.5 });
  const tabClicks = () => tab.filter((m) => m.type === 'control-click') as Array<Extract<BackgroundToTab, { type: 'control-click' }>>;
  return { control, viewer, tab, records, lastState, results, prompt, grant, click, tabClicks, setTab: (up: boolean) => (tabUp = up) };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('control session', () => {
  it('refuses a click before any approval, records it, and forwards nothing to the tab', () => {
    const t = setup();
    t.click(1);
    expect(t.results()).toEqual([{ type: 'click-result', seq: 1, outcome: { ok: false, reason: 'no-control' } }]);
    expect(t.tabClicks()).toEqual([]);
    expect(t.records).toEqual([['click-refused', 'no-control']]);
  });

  it('asks in the tab; only the answer to the prompt on screen grants control', () => {
    const t = setup();
    t.control.fromViewer({ type: 'control-request' });
    expect(t.prompt()).toMatchObject({ technicianName: 'Sanne', remainingMs: 30_000, grantMinutes: 10 });
    expect(t.lastState()).toMatchObject({ state: 'requested', remainingMs: 30_000 });
    // A second request while asking shows no second prompt.
    t.control.fromViewer({ type: 'control-request' });
    expect(t.tab.filter((m) => m.type === 'control-prompt')).toHaveLength(1);
    t.control.fromTab({ type: 'control-answer', promptId: 'some-other-prompt', allow: true });
    expect(t.control.phase).toBe('asking');
    t.control.fromTab({ type: 'control-answer', promptId: t.prompt().promptId, allow: true });
    expect(t.control.phase).toBe('granted');
    expect(t.lastState()).toMatchObject({ state: 'granted', remainingMs: 600_000 });
    expect(t.tab.at(-1)).toEqual({ type: 'control-state', state: 'granted', technicianName: 'Sanne' });
    expect(t.records).toEqual([['requested', ''], ['granted', 'minutes=10']]);
    // An old prompt's answer cannot grant again later.
    const old = t.prompt().promptId;
    t.control.fromTab({ type: 'control-revoke', via: 'button' });
    t.control.fromTab({ type: 'control-answer', promptId: old, allow: true });
    expect(t.control.phase).toBe('off');
  });

  it('runs an approved click in the tab and reports it without content', () => {
    const t = setup();
    t.grant();
    t.click(7, 42);
    const sent = t.tabClicks()[0]!;
    expect(sent).toMatchObject({ id: 42, x: 0.5, y: 0.5 });
    t.control.fromTab({ type: 'control-click-result', seq: sent.seq, outcome: { ok: true, target: { tag: 'button', role: 'button' } } });
    expect(t.results().at(-1)).toEqual({ type: 'click-result', seq: 7, outcome: { ok: true, target: { tag: 'button', role: 'button' } } });
    expect(t.records.at(-1)).toEqual(['click', 'button role=button']);
    // A result for a click nobody sent is ignored.
    t.control.fromTab({ type: 'control-click-result', seq: 999, outcome: { ok: true, target: { tag: 'a', role: 'link' } } });
    expect(t.results()).toHaveLength(1);
  });

  it('refuses what the tab refused (unknown node, no-control zone), and a click the tab never answers', () => {
    const t = setup();
    t.grant();
    t.click(1);
    t.control.fromTab({ type: 'control-click-result', seq: t.tabClicks()[0]!.seq, outcome: { ok: false, reason: 'no-control-zone' } });
    t.click(2);
    vi.advanceTimersByTime(CLICK_TIMEOUT_MS);
    expect(t.results().map((r) => r.type === 'click-result' && r.outcome)).toEqual([
      { ok: false, reason: 'no-control-zone' },
      { ok: false, reason: 'timeout' },
    ]);
    expect(t.records.slice(-2)).toEqual([['click-refused', 'no-control-zone'], ['click-refused', 'timeout']]);
  });

  it('an unanswered prompt lapses after 30 s; a refusal holds off new prompts for a moment', () => {
    const t = setup();
    t.control.fromViewer({ type: 'control-request' });
    vi.advanceTimersByTime(29_999);
    expect(t.control.phase).toBe('asking');
    vi.advanceTimersByTime(1);
    expect(t.control.phase).toBe('off');
    expect(t.lastState()).toEqual({ type: 'control-state', state: 'watching', reason: 'unanswered' });
    expect(t.tab.at(-1)).toMatchObject({ type: 'control-state', state: 'off' });
    expect(t.records.at(-1)).toEqual(['refused', 'unanswered']);
    t.control.fromViewer({ type: 'control-request' });
    expect(t.lastState()).toMatchObject({ state: 'watching', reason: 'too-soon' });
    vi.advanceTimersByTime(DEFAULT_CONTROL_LIMITS.cooldownMs);
    t.control.fromViewer({ type: 'control-request' });
    expect(t.control.phase).toBe('asking');
    t.control.fromTab({ type: 'control-answer', promptId: t.prompt().promptId, allow: false });
    expect(t.lastState()).toMatchObject({ state: 'watching', reason: 'refused' });
    expect(t.records.at(-1)).toEqual(['refused', 'customer']);
  });

  it('granted control expires after the configured time, even when the timer fires late', () => {
    const t = setup({ limits: { ...DEFAULT_CONTROL_LIMITS, grantMs: 60_000 } });
    t.grant();
    vi.advanceTimersByTime(60_000);
    expect(t.lastState()).toEqual({ type: 'control-state', state: 'watching', reason: 'expired' });
    t.click(1);
    expect(t.results().at(-1)).toMatchObject({ outcome: { ok: false, reason: 'no-control' } });

    // A suspended worker: the clock moved on, the timer did not fire. The click is refused all the same.
    const late = setup({ limits: { ...DEFAULT_CONTROL_LIMITS, grantMs: 60_000 }, timers: { setTimeout: () => 0, clearTimeout: () => undefined } });
    late.grant();
    vi.setSystemTime(Date.now() + 61_000);
    late.click(1);
    expect(late.tabClicks()).toEqual([]);
    expect(late.records.map(([k]) => k)).toEqual(['requested', 'granted', 'expired', 'click-refused']);
  });

  it('ends on the customer’s revoke, the technician’s release, another site and the end of the session', () => {
    const t = setup();
    t.grant();
    t.control.fromTab({ type: 'control-revoke', via: 'escape' });
    expect(t.lastState()).toMatchObject({ state: 'watching', reason: 'revoked' });
    expect(t.records.at(-1)).toEqual(['revoked', 'customer-esc']);

    t.grant();
    t.control.fromViewer({ type: 'control-release' });
    expect(t.lastState()).toMatchObject({ reason: 'released' });

    // Same site after navigation: control carries over; another origin ends it.
    t.grant();
    t.control.tabLost();
    t.control.tabReady(SITE);
    expect(t.control.phase).toBe('granted');
    t.control.tabLost();
    t.control.tabReady('https://evil.example');
    expect(t.lastState()).toMatchObject({ reason: 'navigated' });
    expect(t.records.at(-1)).toEqual(['revoked', 'other-site']);

    t.control.tabReady(SITE);
    t.grant();
    t.control.leftSite();
    expect(t.control.phase).toBe('off');

    t.grant();
    const before = t.viewer.length;
    t.control.end();
    expect(t.records.at(-1)).toEqual(['revoked', 'session-ended']);
    t.control.fromViewer({ type: 'control-request' });
    t.click(99);
    expect(t.viewer.length).toBe(before);
    expect(t.control.phase).toBe('off');
  });

  it('a prompt the page took with it (navigation) is a refusal; no prompt without a tab', () => {
    const t = setup();
    t.control.fromViewer({ type: 'control-request' });
    t.control.tabLost();
    expect(t.lastState()).toMatchObject({ state: 'watching', reason: 'navigated' });
    vi.advanceTimersByTime(DEFAULT_CONTROL_LIMITS.cooldownMs);
    t.setTab(false);
    t.control.fromViewer({ type: 'control-request' });
    expect(t.lastState()).toMatchObject({ state: 'watching', reason: 'unavailable' });
    expect(t.control.phase).toBe('off');
  });

  it('a granted click while the tab is navigating is refused, not queued', () => {
    const t = setup();
    t.grant();
    t.control.tabLost();
    t.setTab(false);
    t.click(3);
    expect(t.results().at(-1)).toMatchObject({ seq: 3, outcome: { ok: false, reason: 'tab-unavailable' } });
  });

  it('scrolling needs control', () => {
    const t = setup();
    t.control.fromViewer({ type: 'scroll', x: 0.5, y: 0.5, dx: 0, dy: 300 });
    expect(t.tab.filter((m) => m.type === 'control-scroll')).toEqual([]);
    expect(t.viewer.at(-1)).toMatchObject({ type: 'error', code: 'not-allowed' });
    t.grant();
    t.control.fromViewer({ type: 'scroll', x: 0.5, y: 0.5, dx: 0, dy: 300 });
    expect(t.tab.at(-1)).toEqual({ type: 'control-scroll', x: 0.5, y: 0.5, dx: 0, dy: 300 });
  });

  it('rate limits the pointer, clicks and the audit of a flood of refusals', () => {
    const t = setup();
    for (let i = 0; i < 100; i++) t.control.fromViewer({ type: 'pointer', x: 0.1, y: 0.2 });
    expect(t.tab.filter((m) => m.type === 'control-pointer')).toHaveLength(10);
    vi.advanceTimersByTime(1000);
    for (let i = 0; i < 100; i++) t.control.fromViewer({ type: 'pointer', x: 0.1, y: 0.2 });
    expect(t.tab.filter((m) => m.type === 'control-pointer')).toHaveLength(20);

    for (let i = 0; i < 200; i++) t.click(i);
    expect(t.results()).toHaveLength(200); // every click is answered...
    expect(t.records.filter(([k]) => k === 'click-refused')).toHaveLength(50); // ...not every one is written down

    const g = setup();
    g.grant();
    for (let i = 0; i < 20; i++) g.click(i);
    expect(g.tabClicks()).toHaveLength(10);
    expect(g.results().filter((r) => r.type === 'click-result' && !r.outcome.ok && r.outcome.reason === 'rate-limited')).toHaveLength(10);
  });
});
