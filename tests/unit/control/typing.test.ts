// @vitest-environment happy-dom
/**
 * Typing on the customer's behalf (issue 23): the background refuses and records every key it may not
 * pass on (no control, after a revoke, a flood), records typing without its content; the tab's executor
 * refuses password, card, no-control and hidden fields and types into a plain one with input events.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createControlSession, TYPED_RECORD_EVERY_MS } from '@/lib/background/control/control-session';
import { DEFAULT_CONTROL_LIMITS } from '@/lib/background/control/limits';
import type { ControlEventKind } from '@/lib/protocol/control';
import type { BackgroundToTab } from '@/lib/protocol/runtime';
import { parseToExtension, type ToViewer } from '@/lib/protocol/wire';
import { executeKey, typingTarget } from '@/lib/tab/control/execute-key';
import { buildMaskRules } from '@/lib/shared/mask';

function session() {
  const viewer: ToViewer[] = [];
  const tab: BackgroundToTab[] = [];
  const records: Array<[ControlEventKind, string]> = [];
  let ids = 0;
  const control = createControlSession({
    technicianName: 'Sanne',
    limits: DEFAULT_CONTROL_LIMITS,
    toViewer: (m) => void viewer.push(m),
    toTab: (m) => {
      tab.push(m);
      return true;
    },
    record: (kind, detail) => void records.push([kind, detail]),
    now: () => Date.now(),
    newId: () => `prompt-${++ids}-xxxxxxxx`,
  });
  control.tabReady('https://shop.example');
  const grant = () => {
    control.fromViewer({ type: 'control-request' });
    const prompt = tab.filter((m) => m.type === 'control-prompt').at(-1) as Extract<BackgroundToTab, { type: 'control-prompt' }>;
    control.fromTab({ type: 'control-answer', promptId: prompt.promptId, allow: true });
  };
  const keyResults = () => viewer.filter((m) => m.type === 'key-result');
  const tabKeys = () => tab.filter((m) => m.type === 'control-key') as Array<Extract<BackgroundToTab, { type: 'control-key' }>>;
  return { control, records, grant, keyResults, tabKeys };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the background decides about each key', () => {
  it('refuses keys before approval and after a revoke, records them, forwards nothing', () => {
    const t = session();
    t.control.fromViewer({ type: 'key', seq: 1, key: 'a' });
    expect(t.tabKeys()).toEqual([]);
    expect(t.keyResults()).toEqual([{ type: 'key-result', seq: 1, outcome: { ok: false, reason: 'no-control' } }]);
    expect(t.records).toContainEqual(['key-refused', 'no-control']);
    t.grant();
    t.control.fromTab({ type: 'control-revoke', via: 'escape' });
    vi.advanceTimersByTime(1000);
    t.control.fromViewer({ type: 'key', seq: 2, key: 'b' });
    expect(t.tabKeys()).toEqual([]);
    expect(t.keyResults().at(-1)).toEqual({ type: 'key-result', seq: 2, outcome: { ok: false, reason: 'no-control' } });
  });

  it('passes keys on while granted, answers with the tab outcome, records typing once per interval and never the text', () => {
    const t = session();
    t.grant();
    for (const [i, key] of ['h', 'o', 'i'].entries()) {
      t.control.fromViewer({ type: 'key', seq: 10 + i, key });
      const sent = t.tabKeys().at(-1)!;
      expect(sent.key).toBe(key);
      t.control.fromTab({ type: 'control-key-result', seq: sent.seq, outcome: { ok: true } });
    }
    expect(t.keyResults().map((r) => r.outcome.ok)).toEqual([true, true, true]);
    expect(t.records.filter(([k]) => k === 'typed')).toEqual([['typed', '']]);
    vi.advanceTimersByTime(TYPED_RECORD_EVERY_MS);
    t.control.fromViewer({ type: 'key', seq: 20, key: 'x' });
    t.control.fromTab({ type: 'control-key-result', seq: t.tabKeys().at(-1)!.seq, outcome: { ok: false, reason: 'protected-field' } });
    expect(t.records).toContainEqual(['key-refused', 'protected-field']);
    expect(JSON.stringify(t.records)).not.toMatch(/"h"|"o"|"i"/);
  });

  it('refuses a flood (rate limit) and a tab that never answers (timeout)', () => {
    const t = session();
    t.grant();
    for (let i = 0; i < 100; i++) t.control.fromViewer({ type: 'key', seq: i, key: 'a' });
    expect(t.tabKeys().length).toBeLessThan(100);
    expect(t.keyResults().some((r) => !r.outcome.ok && r.outcome.reason === 'rate-limited')).toBe(true);
    vi.advanceTimersByTime(5000);
    expect(t.keyResults().some((r) => !r.outcome.ok && r.outcome.reason === 'timeout')).toBe(true);
  });
});

describe('the wire accepts one character or a named key', () => {
  it.each([['a', true], ['é', true], ['😀', true], ['Enter', true], ['Backspace', true], ['ab', false], ['\u0000', false], ['\u200b', false], ['F5', false], ['', false]])(
    '%j -> %s',
    (key, ok) => {
      expect(parseToExtension({ type: 'key', seq: 1, key }).ok).toBe(ok);
    },
  );
});

describe('the tab types into the focused field only', () => {
  const BLOCK = buildMaskRules({ mask: [], block: ['.secret'], unmask: [] }).blockSelector;
  beforeEach(() => {
    document.body.innerHTML = `
      <form id="f"><input id="name" /><input id="pw" type="password" /><input id="card" autocomplete="cc-number" />
      <input id="iban" name="iban" /><textarea id="note"></textarea><input id="ro" readonly /><input id="box" type="checkbox" /></form>
      <div data-meekijk-no-control><input id="promo" /></div><div class="secret"><input id="hidden" /></div>`;
  });
  const focus = (id: string) => (document.getElementById(id) as HTMLElement).focus();

  it.each([
    ['pw', 'protected-field'],
    ['card', 'protected-field'],
    ['iban', 'protected-field'],
    ['promo', 'no-control-zone'],
    ['hidden', 'blocked'],
    ['ro', 'no-field'],
    ['box', 'no-field'],
  ])('refuses #%s (%s)', (id, reason) => {
    focus(id);
    expect(typingTarget(document, BLOCK)).toEqual({ ok: false, reason });
  });

  it('refuses when nothing is focused', () => {
    (document.activeElement as HTMLElement | null)?.blur();
    expect(typingTarget(document, BLOCK)).toEqual({ ok: false, reason: 'no-field' });
  });

  it('types, deletes and moves the caret with input events, as the customer would', () => {
    focus('name');
    const seen: string[] = [];
    document.getElementById('name')!.addEventListener('input', (e) => seen.push((e as InputEvent).inputType));
    const type = (key: string) => {
      const target = typingTarget(document, BLOCK);
      if ('ok' in target) throw new Error(target.reason);
      return executeKey(target, key);
    };
    for (const key of ['J', 'a', 'n', 'x', 'Backspace', 'Home', 'Delete', 'End', '!']) expect(type(key)).toEqual({ ok: true });
    expect((document.getElementById('name') as HTMLInputElement).value).toBe('an!');
    expect(seen).toEqual(['insertText', 'insertText', 'insertText', 'insertText', 'deleteContentBackward', 'deleteContentForward', 'insertText']);
  });

  it('Enter breaks a line in a textarea', () => {
    focus('note');
    const target = typingTarget(document, BLOCK);
    if ('ok' in target) throw new Error(target.reason);
    executeKey(target, 'a');
    executeKey(target, 'Enter');
    executeKey(target, 'b');
    expect((document.getElementById('note') as HTMLTextAreaElement).value).toBe('a\nb');
  });
});
