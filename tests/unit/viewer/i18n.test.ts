/** The viewer's one-language-at-a-time text (issue 21/23) and the audit's crediting, as plain functions. */
import { describe, expect, it } from 'vitest';
import { browserLocale } from '@/viewer/lib/i18n';
import { MESSAGES } from '@/viewer/lib/messages';
import { actedBy } from '@/viewer/lib/audit-text';

/** Every key path of a message table, with the kind of value at it (text or a function of n arguments). */
function shape(value: unknown, path = ''): string[] {
  if (typeof value === 'function') return [`${path}: fn/${value.length}`];
  if (typeof value === 'string') return [`${path}: text`];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => shape(v, path ? `${path}.${k}` : k));
}

describe('viewer messages', () => {
  it('Dutch and English have the same keys, nested ones too, and take the same arguments', () => {
    expect(shape(MESSAGES.en).sort()).toEqual(shape(MESSAGES.nl).sort());
  });

  it('no message is empty, and no label carries both languages side by side', () => {
    for (const locale of ['nl', 'en'] as const) {
      const texts = shape(MESSAGES[locale]).filter((s) => s.endsWith(': text')).map((s) => s.split(':')[0]!);
      for (const path of texts) {
        const text = path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], MESSAGES[locale]) as string;
        expect(text.trim(), path).not.toBe('');
        expect(text, path).not.toMatch(/ · | \/ /);
      }
    }
  });

  it('differ between the languages where words are shown', () => {
    expect(MESSAGES.nl.endedBecause['customer-stopped']).not.toBe(MESSAGES.en.endedBecause['customer-stopped']);
    expect(MESSAGES.nl.inviteCode('123 456')).toContain('123 456');
  });
});

describe('browserLocale', () => {
  it.each([
    [['nl-NL', 'en-US'], 'nl'],
    [['nl-BE'], 'nl'],
    [['en-GB', 'nl'], 'en'],
    [['de-DE', 'en-US'], 'en'],
    [['de-DE', 'fr'], 'nl'],
    [[], 'nl'],
  ] as const)('%j -> %s (the first language we speak, Dutch when none)', (languages, expected) => {
    expect(browserLocale(languages)).toBe(expected);
  });
});

describe('actedBy (the audit credits who did it, not who reported it)', () => {
  it.each([
    [{ kind: 'control-requested', actor: 'customer', detail: '' }, 'technician'],
    [{ kind: 'click-executed', actor: 'customer', detail: 'button' }, 'technician'],
    [{ kind: 'click-refused', actor: 'customer', detail: 'no-control' }, 'technician'],
    [{ kind: 'control-granted', actor: 'customer', detail: 'minutes=10' }, 'customer'],
    [{ kind: 'control-refused', actor: 'customer', detail: 'customer' }, 'customer'],
    [{ kind: 'control-refused', actor: 'customer', detail: 'technician' }, 'technician'],
    [{ kind: 'control-revoked', actor: 'customer', detail: 'technician' }, 'technician'],
    [{ kind: 'control-revoked', actor: 'customer', detail: 'customer-esc' }, 'customer'],
    [{ kind: 'session-created', actor: 'technician', detail: 'ticket=T' }, 'technician'],
    [{ kind: 'ended', actor: 'server', detail: 'idle-timeout' }, 'server'],
  ] as const)('%j -> %s', (event, expected) => {
    expect(actedBy(event)).toBe(expected);
  });
});
