// @vitest-environment happy-dom
/**
 * The shared tab's side of control (issue 6): the prompt answers only to a real user gesture, the tab
 * refuses clicks unless it too was told control is granted, and a page script cannot take part.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTabControl, type TabControlDeps } from '@/lib/tab/control/tab-control';
import { showControlPrompt, ANSWER_DELAY_MS } from '@/lib/tab/control/prompt';
import type { Overlay } from '@/lib/tab/control/overlay';
import type { TabToBackground } from '@/lib/protocol/runtime';

vi.mock('webextension-polyfill', () => ({
  default: { i18n: { getMessage: (key: string, subs?: string[]) => `${key}${subs ? `(${subs.join(',')})` : ''}` } },
}));

function fakeOverlay() {
  const calls: string[] = [];
  const overlay: Overlay = {
    point: (x, y) => void calls.push(`point ${x},${y}`),
    setMode: (mode) => void calls.push(`mode ${mode}`),
    marker: (x, y) => void calls.push(`marker ${x},${y}`),
    remove: () => void calls.push('remove'),
  };
  return { overlay, calls };
}

function setup(overrides: Partial<TabControlDeps> = {}) {
  const sent: TabToBackground[] = [];
  const indicator: boolean[] = [];
  const prompts: Array<{ onAnswer: (allow: boolean) => void; closed: boolean }> = [];
  const { overlay, calls } = fakeOverlay();
  const control = startTabControl({
    win: window,
    technicianName: 'Sanne',
    send: (m) => void sent.push(m),
    blockSelector: () => '[data-meekijk-block]',
    setIndicatorControl: (active) => void indicator.push(active),
    showPrompt: (options) => {
      const p = { onAnswer: options.onAnswer, closed: false };
      prompts.push(p);
      return () => void (p.closed = true);
    },
    showOverlay: () => overlay,
    resolve: async () => document.querySelector('#ok') ?? 'unknown',
    ...overrides,
  });
  return { control, sent, indicator, prompts, calls };
}

beforeEach(() => {
  document.body.innerHTML = '<button id="ok">OK</button>';
  const ok = document.querySelector('#ok')!;
  ok.getBoundingClientRect = () => ({ left: 10, top: 10, width: 100, height: 20 }) as DOMRect;
  document.elementFromPoint = () => ok;
});
afterEach(() => vi.useRealTimers());

describe('tab control', () => {
  it('answers the prompt with its id, and refuses clicks until the background says granted', async () => {
    const t = setup();
    let clicks = 0;
    document.querySelector('#ok')!.addEventListener('click', () => clicks++);
    t.control.handle({ type: 'control-prompt', promptId: 'prompt-12345678', technicianName: 'Sanne', remainingMs: 30_000, grantMinutes: 10 });
    t.prompts[0]!.onAnswer(true);
    expect(t.sent).toEqual([{ type: 'control-answer', promptId: 'prompt-12345678', allow: true }]);
    // The background has not confirmed yet: a click is still refused here.
    t.control.handle({ type: 'control-click', seq: 1, id: 5, x: 0.5, y: 0.5 });
    await vi.waitFor(() => expect(t.sent).toHaveLength(2));
    expect(t.sent[1]).toEqual({ type: 'control-click-result', seq: 1, outcome: { ok: false, reason: 'no-control' } });
    t.control.handle({ type: 'control-state', state: 'granted', technicianName: 'Sanne' });
    expect(t.indicator).toEqual([true]);
    t.control.handle({ type: 'control-click', seq: 2, id: 5, x: 0.5, y: 0.5 });
    await vi.waitFor(() => expect(t.sent).toHaveLength(3));
    expect(t.sent[2]).toEqual({ type: 'control-click-result', seq: 2, outcome: { ok: true, target: { tag: 'button', role: 'button' } } });
    expect(clicks).toBe(1);
    expect(t.calls).toContain('marker 60,20');
  });

  it('refuses unknown and stale ids', async () => {
    const unknown = setup({ resolve: async () => 'unknown' });
    unknown.control.handle({ type: 'control-state', state: 'granted', technicianName: 'Sanne' });
    unknown.control.handle({ type: 'control-click', seq: 1, id: 99, x: 0.5, y: 0.5 });
    await vi.waitFor(() => expect(unknown.sent.at(-1)).toMatchObject({ outcome: { ok: false, reason: 'unknown-node' } }));
    const stale = setup({ resolve: async () => 'stale' });
    stale.control.handle({ type: 'control-state', state: 'granted', technicianName: 'Sanne' });
    stale.control.handle({ type: 'control-click', seq: 1, id: 99, x: 0.5, y: 0.5 });
    await vi.waitFor(() => expect(stale.sent.at(-1)).toMatchObject({ outcome: { ok: false, reason: 'stale-node' } }));
  });

  it('a synthetic Escape does not take control back; the indicator button does, at once', async () => {
    const t = setup();
    t.control.handle({ type: 'control-state', state: 'granted', technicianName: 'Sanne' });
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(t.sent).toEqual([]);
    t.control.takeBack('button');
    expect(t.sent).toEqual([{ type: 'control-revoke', via: 'button' }]);
    expect(t.indicator.at(-1)).toBe(false);
    // Refused locally before the background even answers.
    t.control.handle({ type: 'control-click', seq: 3, id: 5, x: 0.5, y: 0.5 });
    await vi.waitFor(() => expect(t.sent.at(-1)).toMatchObject({ seq: 3, outcome: { ok: false, reason: 'no-control' } }));
  });

  it('points without control (laser), shows a cursor with control, and leaves nothing behind on stop', () => {
    const t = setup();
    t.control.handle({ type: 'control-pointer', x: 0.5, y: 0.25 });
    expect(t.calls).toEqual(['mode laser', `point ${window.innerWidth * 0.5},${window.innerHeight * 0.25}`]);
    t.control.handle({ type: 'control-state', state: 'granted', technicianName: 'Sanne' });
    expect(t.calls.at(-1)).toBe('mode cursor');
    // A hand first drawn while in control is a cursor from the start.
    const late = setup();
    late.control.handle({ type: 'control-state', state: 'granted', technicianName: 'Sanne' });
    late.control.handle({ type: 'control-pointer', x: 0.1, y: 0.1 });
    expect(late.calls[0]).toBe('mode cursor');
    t.control.handle({ type: 'control-prompt', promptId: 'prompt-12345678', technicianName: 'Sanne', remainingMs: 1, grantMinutes: 10 });
    t.control.stop();
    expect(t.calls.at(-1)).toBe('remove');
    expect(t.prompts[0]!.closed).toBe(true);
    t.control.handle({ type: 'control-pointer', x: 0.5, y: 0.5 });
    expect(t.calls.at(-1)).toBe('remove');
  });
});

describe('the prompt', () => {
  let root: ShadowRoot | undefined;
  beforeEach(() => {
    const attach = Element.prototype.attachShadow;
    vi.spyOn(Element.prototype, 'attachShadow').mockImplementation(function (this: Element, init: ShadowRootInit) {
      root = attach.call(this, init);
      return root;
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('lives in a closed shadow root, names the technician, starts on Refuse, and ignores a page script', async () => {
    const answers: boolean[] = [];
    const close = showControlPrompt({ technicianName: 'Sanne', remainingMs: 30_000, grantMinutes: 10, onAnswer: (a) => answers.push(a) });
    const host = document.querySelector('meekijk-ui')!;
    expect(host.shadowRoot).toBeNull();
    const card = root!.querySelector('[role=alertdialog]')!;
    expect(card.textContent).toContain('controlPromptTitle(Sanne)');
    expect(card.textContent).toContain('controlPromptTakeBack(10)');
    expect(card.textContent).toContain('controlPromptExpires(30)');
    expect(root!.activeElement?.getAttribute('data-action')).toBe('refuse');
    await new Promise((r) => setTimeout(r, ANSWER_DELAY_MS + 50));
    // What a page script can do, even with a reference to the button: untrusted events.
    const allow = root!.querySelector<HTMLButtonElement>('[data-action=allow]')!;
    allow.click();
    allow.dispatchEvent(new MouseEvent('click', { bubbles: true, detail: 1 }));
    card.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(answers).toEqual([]);
    expect(host.isConnected).toBe(true);
    close();
    expect(host.isConnected).toBe(false);
  });

  it('comes back when the page removes it', async () => {
    const close = showControlPrompt({ technicianName: 'Sanne', remainingMs: 30_000, grantMinutes: 10, onAnswer: () => undefined });
    document.querySelector('meekijk-ui')!.remove();
    await new Promise((r) => setTimeout(r, 0));
    expect(document.querySelector('meekijk-ui')).not.toBeNull();
    close();
  });
});
