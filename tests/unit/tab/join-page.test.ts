// @vitest-environment happy-dom
/**
 * What the join page tells the customer to click, per state of the extension (issue 23), in Dutch and in
 * English, with the extension's own locale files:
 * - not installed: the server's page alone (no script runs in it): install from the store link, then
 *   open the link again; nothing about an icon that is not there;
 * - installed, not pinned: the puzzle piece, then Meekijk;
 * - installed and pinned: the Meekijk icon;
 * - the browser cannot tell: both ways.
 * The real browser shows all three (not installed, not pinned, pinned) in tests/e2e/first-use.test.ts.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderJoinPage } from '@/server/pages/join-page';

type LocaleFile = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const FILES: Record<'nl' | 'en', LocaleFile> = {
  nl: JSON.parse(readFileSync('public/_locales/nl/messages.json', 'utf8')) as LocaleFile,
  en: JSON.parse(readFileSync('public/_locales/en/messages.json', 'utf8')) as LocaleFile,
};
const browserLang = vi.hoisted(() => ({ current: 'nl' as 'nl' | 'en' }));
function message(lang: 'nl' | 'en', key: string, subs: string[] = []): string {
  const entry = FILES[lang][key];
  if (!entry) return '';
  return entry.message.replace(/\$([A-Za-z0-9_]+)\$/g, (_, name: string) =>
    (entry.placeholders?.[name.toLowerCase()]?.content ?? '').replace(/\$(\d)/g, (_m, n: string) => subs[Number(n) - 1] ?? ''),
  );
}
vi.mock('webextension-polyfill', () => ({
  default: { i18n: { getMessage: (key: string, subs?: string | string[]) => message(browserLang.current, key, typeof subs === 'string' ? [subs] : subs) } },
}));

const { showJoinResult } = await import('@/lib/tab/join-page');

const joinPage = () =>
  renderJoinPage({
    state: 'open',
    secret: 'Zq3v9XkLm2Np7RtW8yB4cD6fG1hJ5sA0',
    organisation: 'Reconi',
    technicianName: 'Sanne de Vries',
    storeLinks: { chrome: 'https://chromewebstore.google.com/detail/meekijk', firefox: 'https://addons.mozilla.org/firefox/addon/meekijk' },
  });

/** The text a reader meets: hidden parts left out, per language section. */
function visibleText(root: ParentNode, lang: 'nl' | 'en'): string {
  const section = root.querySelector(`section[lang=${lang}]`)!;
  const parts: string[] = [];
  const walk = (el: Element) => {
    if ((el as HTMLElement).hidden) return;
    for (const node of el.childNodes) {
      if (node.nodeType === 3) parts.push(node.textContent ?? '');
      else if (node.nodeType === 1) walk(node as Element);
    }
  };
  walk(section);
  return parts.join(' ').replace(/\s+/g, ' ');
}

function load(html: string) {
  document.documentElement.innerHTML = html.replace(/^<!doctype html>/i, '').replace(/<\/?html[^>]*>/g, '');
}

afterEach(() => {
  document.documentElement.innerHTML = '<head></head><body></body>';
});

const STEPS = (lang: 'nl' | 'en') => ({
  pinned: message(lang, 'joinClickPinned'),
  menu: message(lang, 'joinClickMenu'),
  either: message(lang, 'joinClickEither'),
});

describe.each(['nl', 'en'] as const)('the join page in %s', (lang) => {
  it('not installed: install from the store link for this browser, then open the link again; no icon to click', () => {
    load(joinPage());
    const text = visibleText(document, lang);
    if (lang === 'nl') {
      expect(text).toContain('U heeft de Meekijk-extensie nog niet in deze browser.');
      expect(text).toContain('Klik hieronder op de link voor uw browser en daarna in de winkel op ‘Toevoegen aan Chrome’ of ‘Toevoegen aan Firefox’. Open daarna deze link opnieuw.');
      expect(text).toContain('Meekijk voor Chrome en Edge');
      expect(text).not.toMatch(/pictogram|puzzelstuk/i);
    } else {
      expect(text).toContain('The Meekijk extension is not in this browser yet.');
      expect(text).toContain('Click the link for your browser below, then ‘Add to Chrome’ or ‘Add to Firefox’ in the store. Then open this link again.');
      expect(text).toContain('Meekijk for Chrome and Edge');
      expect(text).not.toMatch(/icon|puzzle/i);
    }
    // The install part comes before the steps that follow it.
    const section = document.querySelector(`section[lang=${lang}]`)!;
    const install = section.querySelector('[data-meekijk-install]')!;
    expect(install.compareDocumentPosition(section.querySelector('ol')!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it.each([
    ['installed and pinned', true, 'pinned'],
    ['installed, not pinned', false, 'menu'],
    ['where the browser cannot tell', null, 'either'],
  ] as const)('%s: says exactly what to click, and hides the install part', (_state, pinned, step) => {
    browserLang.current = lang;
    load(joinPage());
    showJoinResult(document, { ok: true, technician: { name: 'Sanne de Vries', organisation: 'Reconi' }, toolbar: { pinned, shortcut: 'Alt+Shift+M' } });
    const box = document.querySelector<HTMLElement>('[data-meekijk-join=ready]')!;
    expect(box.lang).toBe(lang);
    const steps = [...box.querySelectorAll('[data-meekijk-join-step]')].map((p) => [p.getAttribute('data-meekijk-join-step'), p.textContent]);
    expect(steps).toEqual([
      [step, STEPS(lang)[step]],
      ['shortcut', message(lang, 'joinShortcut', ['Alt+Shift+M'])],
    ]);
    // The words themselves: what there is to click in each state.
    const click = steps[0]![1]!;
    if (step === 'pinned') expect(click).toMatch(lang === 'nl' ? /Meekijk-pictogram/ : /Meekijk icon/);
    if (step === 'pinned') expect(click).not.toMatch(/puzzel|puzzle/);
    if (step === 'menu') expect(click).toMatch(lang === 'nl' ? /puzzelstukje.*daarna op Meekijk/ : /puzzle piece.*then Meekijk/);
    if (step === 'either') expect(click).toMatch(lang === 'nl' ? /pictogram.*puzzelstukje/ : /icon.*puzzle piece/);
    for (const part of document.querySelectorAll<HTMLElement>('[data-meekijk-install]')) expect(part.hidden).toBe(true);
    expect(visibleText(document, lang)).not.toMatch(/Toevoegen aan|Add to Chrome/);
  });
});
