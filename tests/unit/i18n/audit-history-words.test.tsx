// @vitest-environment happy-dom
/**
 * Every audit and history event kind, with every value its detail can take, rendered by the real
 * components (the technician's AuditPage, the customer's HistoryList) in Dutch and in English (issue 23):
 * a Dutch screen holds no English word and an English screen no Dutch one, and every detail is put in
 * words, never shown as it is stored.
 *
 * "An English word" is one the English texts use and the Dutch ones do not (the two vocabularies are read
 * from the message tables themselves, so a new text is checked as it is added), plus a short list of
 * everyday words of each language in case a fragment slipped in from outside the tables.
 */
import { readFileSync } from 'node:fs';
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEvent } from '@/lib/protocol/api';
import type { ControlEvent, ControlEventKind } from '@/lib/protocol/control';
import type { HistoryEntry } from '@/lib/protocol/runtime';
import { LIMIT_NAMES, REFUSED_BY, REVOKED_BY, SESSION_END_REASONS, DETAIL, AUDIT_KIND_OF, writeDetail, type Detail, type DetailKind } from '@/lib/shared/audit/detail';
import { DETAIL_WORDS, detailText } from '@/lib/shared/audit/detail-text';
import { clickRefusalSchema, keyRefusalSchema } from '@/lib/protocol/control';
import { MESSAGES } from '@/viewer/lib/messages';
import { actedBy } from '@/viewer/lib/audit-text';

type Lang = 'nl' | 'en';
type LocaleFile = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const LOCALE_FILES: Record<Lang, LocaleFile> = {
  nl: JSON.parse(readFileSync('public/_locales/nl/messages.json', 'utf8')) as LocaleFile,
  en: JSON.parse(readFileSync('public/_locales/en/messages.json', 'utf8')) as LocaleFile,
};

// The popup's browser.i18n, speaking the language under test from our own locale files.
const browserLang = vi.hoisted(() => ({ current: 'nl' as 'nl' | 'en' }));
vi.mock('webextension-polyfill', () => ({
  default: {
    i18n: {
      getMessage: (key: string, subs?: string | string[]) => {
        const entry = LOCALE_FILES[browserLang.current][key];
        if (!entry) return '';
        const list = typeof subs === 'string' ? [subs] : (subs ?? []);
        return entry.message.replace(/\$([A-Za-z0-9_]+)\$/g, (_, name: string) =>
          (entry.placeholders?.[name.toLowerCase()]?.content ?? '').replace(/\$(\d)/g, (_m, n: string) => list[Number(n) - 1] ?? ''),
        );
      },
    },
  },
}));

const { HistoryList } = await import('@/components/HistoryList');
const { AuditPage } = await import('@/viewer/components/AuditPage');
const { setLocale } = await import('@/viewer/lib/i18n');

// --- every kind, every value ---

const HASH = 'a3f1c9e07b5d24688e1f0c3b9a7d5e2f4c6b8a0d1e3f5a7c9b1d3e5f7a9c0b2d';
const AT = '2026-03-01T10:00:01.000Z';
const TICKET = 'KB-4711';
const values = <T,>(list: readonly T[]) => [...list];
const DETAIL_KINDS = Object.keys(DETAIL) as DetailKind[];

/** Every value each kind's detail can take (enums in full), and the data values that are not words. */
const SAMPLES: { [K in DetailKind]: Array<Detail<K>> } = {
  'control-requested': [{}],
  'control-granted': [{ minutes: 10 }, { minutes: 1 }],
  'control-refused': values(REFUSED_BY).map((by) => ({ by })),
  'control-revoked': values(REVOKED_BY).map((by) => ({ by })),
  'control-expired': [{ minutes: 10 }],
  'click-executed': [
    ...['a', 'button', 'input', 'select', 'textarea', 'option', 'label', 'summary', 'img'].map((tag) => ({ tag, role: null })),
    { tag: 'div', role: 'tab' },
    { tag: 'button', role: 'switch' },
  ],
  'click-refused': values(clickRefusalSchema.options).map((reason) => ({ reason })),
  'keys-typed': [{}],
  'key-refused': values(keyRefusalSchema.options).map((reason) => ({ reason })),
  'verification-shown': [{}],
  'session-created': [{ ticket: TICKET }],
  'invite-redeemed': [{ via: 'code' }, { via: 'link' }],
  'invite-used': [{}],
  consent: [
    { terms: HASH, locale: 'nl', at: AT },
    { terms: HASH, locale: 'en', at: AT },
  ],
  ended: values(SESSION_END_REASONS).map((reason) => ({ reason })),
  'rate-limited': [...values(LIMIT_NAMES).map((limit) => ({ limit })), { limit: 'code-global', more: 14, since: AT }],
  'peer-second-socket-refused': [{ role: 'customer' }, { role: 'viewer' }],
  'technician-disabled': [{ signIns: 2, sessions: 1 }],
  'audit-capped': [{ cap: 500 }],
};
/** Data, not words: taken out before the words are checked. */
const DATA = [HASH, TICKET, 'Sanne de Vries', /<[a-z]+>/g, /\b(?:tab|switch)\)/g];

function rows(): AuditEvent[] {
  let id = 0;
  return DETAIL_KINDS.flatMap((kind) =>
    (SAMPLES[kind] as Array<Detail<DetailKind>>).map((value) => ({
      id: ++id,
      at: AT,
      sessionId: 'session-1',
      ticket: TICKET,
      technician: 'Sanne de Vries',
      kind,
      detail: writeDetail(kind, value as never),
      actor: kind.startsWith('control') || kind.includes('click') || kind.includes('key') ? 'customer' : 'server',
    })),
  );
}

function historyEntries(): HistoryEntry[] {
  const control: ControlEvent[] = (Object.keys(AUDIT_KIND_OF) as ControlEventKind[]).flatMap((kind) =>
    (SAMPLES[AUDIT_KIND_OF[kind]] as Array<Detail<DetailKind>>).map((value, i) => ({ at: Date.parse(AT) + i * 1000, kind, detail: writeDetail(AUDIT_KIND_OF[kind], value as never) })),
  );
  const reasons = [...SESSION_END_REASONS.filter((r) => r !== 'expired' && r !== 'technician-disabled'), null];
  return reasons.map((reason, i) => ({
    sessionId: `s${i}`,
    technician: { name: 'Sanne de Vries', organisation: 'Reconi' },
    consent: { termsHash: HASH, locale: 'nl', at: Date.parse(AT) },
    site: 'https://shop.example',
    startedAt: Date.parse(AT),
    endedAt: reason ? Date.parse(AT) + 600_000 : null,
    endedReason: reason,
    controlGranted: i % 2 === 0,
    control: i === 0 ? control : [],
  }));
}

// --- the two vocabularies ---

const wordsOf = (text: string) => (text.toLowerCase().match(/\p{L}+(?:['’-]\p{L}+)*/gu) ?? []).map((w) => w.replace(/['’]s$/, ''));

function textsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'function') {
    const args = Array.from({ length: value.length }, () => '1');
    const out: unknown = (value as (...a: string[]) => unknown)(...args);
    return typeof out === 'string' ? [out] : [];
  }
  if (value && typeof value === 'object') return Object.values(value).flatMap(textsOf);
  return [];
}

function vocabulary(lang: Lang): Set<string> {
  const texts = [...Object.values(LOCALE_FILES[lang]).map((m) => m.message), ...textsOf(MESSAGES[lang]), ...textsOf(DETAIL_WORDS[lang])];
  return new Set(texts.flatMap(wordsOf));
}

/** Everyday words of each language that must never appear in the other's screen. */
const EVERYDAY: Record<Lang, string[]> = {
  en: ['the', 'by', 'for', 'after', 'with', 'and', 'customer', 'technician', 'refused', 'given', 'back', 'session', 'ended', 'minutes', 'min', 'request', 'withdrawn', 'another', 'page', 'answer', 'terms', 'locale', 'sign-ins', 'more', 'took'],
  nl: ['de', 'het', 'een', 'door', 'voor', 'na', 'van', 'met', 'klant', 'medewerker', 'geweigerd', 'sessie', 'beëindigd', 'minuten', 'vraag', 'pagina', 'antwoord', 'voorwaarden', 'gegeven', 'nog', 'terug', 'u'],
};

const VOCAB = { nl: vocabulary('nl'), en: vocabulary('en') };
const foreignWords = (lang: Lang): Set<string> => {
  const other: Lang = lang === 'nl' ? 'en' : 'nl';
  return new Set([...[...VOCAB[other]].filter((w) => !VOCAB[lang].has(w)), ...EVERYDAY[other]]);
};

function foreignIn(lang: Lang, text: string): string[] {
  let cleaned = text;
  for (const data of DATA) cleaned = typeof data === 'string' ? cleaned.split(data).join(' ') : cleaned.replace(data, ' ');
  const foreign = foreignWords(lang);
  return wordsOf(cleaned).filter((w) => foreign.has(w));
}

// --- rendering ---

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
let container: HTMLElement;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
});
afterEach(() => {
  render(null, container);
  container.remove();
});

describe.each(['nl', 'en'] as const)('every audit and history detail in %s', (lang) => {
  it('the vocabularies tell the languages apart (the check below can fail)', () => {
    expect(foreignIn(lang, lang === 'nl' ? 'refused by the customer' : 'geweigerd door de klant').length).toBeGreaterThanOrEqual(2);
    expect(foreignIn(lang, lang === 'nl' ? 'for 10 minutes' : 'voor 10 minuten')).toHaveLength(2);
  });

  it('detailText: every kind and value in words of this language only, never as stored', () => {
    for (const row of rows()) {
      const text = detailText(lang, row.kind, row.detail);
      // (A clicked element's tag may be its English name: <button> is a button.)
      if (row.detail !== '' && row.kind !== 'click-executed') expect(text, `${row.kind} ${row.detail}`).not.toBe(row.detail);
      expect(foreignIn(lang, text), `${row.kind} ${row.detail}: ${text}`).toEqual([]);
      expect(foreignIn(lang, detailText(lang, row.kind, row.detail, 'customer')), row.kind).toEqual([]);
    }
  });

  it("the technician's audit page: kinds, who and details all in this language", async () => {
    setLocale(lang);
    const events = rows();
    render(<AuditPage api={{ audit: async () => events } as never} />, container);
    for (let i = 0; i < 100 && !container.querySelector('tbody tr'); i++) await settle();
    const trs = [...container.querySelectorAll('tbody tr')];
    expect(trs).toHaveLength(events.length);
    expect(new Set(trs.map((tr) => tr.getAttribute('data-kind')))).toEqual(new Set(DETAIL_KINDS));
    for (const tr of trs) {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '');
      // time, ticket, technician (data) and then who, what, details (words)
      const words = cells.slice(3).join(' | ');
      expect(foreignIn(lang, words), `${tr.getAttribute('data-kind')}: ${words}`).toEqual([]);
      const kind = tr.getAttribute('data-kind') as DetailKind;
      expect(cells[4]).toBe(MESSAGES[lang].auditKind[kind]);
    }
    expect(foreignIn(lang, container.querySelector('thead')?.textContent ?? '')).toEqual([]);
  });

  it("the customer's history in the popup: every control kind and end, in this language", async () => {
    browserLang.current = lang;
    render(<HistoryList entries={historyEntries()} onClear={() => undefined} busy={false} />, container);
    await settle();
    const text = container.textContent ?? '';
    const lines = [...container.querySelectorAll('.control-log li')].map((li) => li.textContent ?? '');
    expect(lines.length).toBe((Object.keys(AUDIT_KIND_OF) as ControlEventKind[]).reduce((n, k) => n + SAMPLES[AUDIT_KIND_OF[k]].length, 0));
    for (const line of lines) expect(foreignIn(lang, line), line).toEqual([]);
    expect(foreignIn(lang, text), text).toEqual([]);
    // The customer's own acts are said to them.
    expect(text).toContain(DETAIL_WORDS[lang].you.refused);
    expect(text).toContain(DETAIL_WORDS[lang].you.revokedEsc);
    // No key shown in place of a message.
    expect(text).not.toMatch(/controlEvent_|ended_|history[A-Z]/);
  });
});

describe('the audit credits who did it, from the data', () => {
  it.each([
    ['control-requested', {}, 'technician'],
    ['control-refused', { by: 'technician' }, 'technician'],
    ['control-refused', { by: 'customer' }, 'customer'],
    ['control-refused', { by: 'unanswered' }, 'customer'],
    ['control-revoked', { by: 'technician' }, 'technician'],
    ['control-revoked', { by: 'customer-esc' }, 'customer'],
    ['control-granted', { minutes: 10 }, 'customer'],
  ] as const)('%s %j -> %s', (kind, value, expected) => {
    expect(actedBy({ kind, actor: 'customer', detail: writeDetail(kind, value as never) })).toBe(expected);
  });
});
