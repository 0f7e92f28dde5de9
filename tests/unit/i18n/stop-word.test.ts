/**
 * One word for stopping, everywhere the customer meets it (issue 23: "Stoppen" in the page and "Stop met
 * delen" in the popup were two names for one act): the popup's button, the indicator's button, its
 * accessible name, the shortcut's description and the hints all say "Stoppen met delen" / "Stop sharing",
 * and no other wording for ending the sharing appears in the customer's texts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type LocaleFile = Record<string, { message: string }>;
const read = (lang: string) => JSON.parse(readFileSync(`public/_locales/${lang}/messages.json`, 'utf8')) as LocaleFile;

const WORD = { nl: 'Stoppen met delen', en: 'Stop sharing' } as const;
/** Other ways to say it that must not come back. */
const OTHER = {
  nl: [/\bStop met delen\b/i, /\bdelen stoppen\b/i, /\bstop delen\b/i, /^Stoppen$/i, /\bbeëindig(en)? (het )?delen\b/i],
  en: [/\bstop the shar/i, /\bend sharing\b/i, /^Stop$/i, /\bstop screen ?shar/i],
} as const;

describe.each(['nl', 'en'] as const)('the stop word in %s', (lang) => {
  const messages = read(lang);

  it('the popup and the indicator name their Stop button the same', () => {
    expect(messages['statusStop']?.message).toBe(WORD[lang]);
    expect(messages['indicatorStop']?.message).toBe(WORD[lang]);
    // The accessible name starts with the visible words (WCAG 2.5.3), then says what it stops.
    expect(messages['indicatorStopLabel']?.message.startsWith(WORD[lang])).toBe(true);
  });

  it('no customer text says it another way', () => {
    const offenders = Object.entries(messages)
      .filter(([, m]) => OTHER[lang].some((re) => re.test(m.message)))
      .map(([key, m]) => `${key}: ${m.message}`);
    expect(offenders).toEqual([]);
  });

  it('the hints about stopping use the same words', () => {
    const hints = Object.values(messages).filter((m) => /stop/i.test(m.message) && /delen|shar/i.test(m.message));
    expect(hints.length).toBeGreaterThanOrEqual(4);
    for (const m of hints) expect(m.message.toLowerCase()).toMatch(lang === 'nl' ? /stop(pen|t)? (met|dan met) delen|gestopt met delen|stoppen met delen/ : /stop(ped)? sharing/);
  });
});
