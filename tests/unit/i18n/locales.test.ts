/**
 * Every user-visible string exists in Dutch and in English (CONVENTIONS: "Dutch first: the terms are
 * Dutch"). The locale files and the source are scanned, not listed here, so new keys are checked as they
 * are added.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import config from '@/wxt.config';
import { toViewerSchema } from '@/lib/protocol/wire';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const LOCALES = ['nl', 'en'] as const;
const SOURCE_DIRS = ['components', 'entrypoints', 'lib'];

interface Message {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}
type Messages = Record<string, Message>;

function readLocale(locale: string): Messages {
  return JSON.parse(readFileSync(join(ROOT, 'public/_locales', locale, 'messages.json'), 'utf8')) as Messages;
}

const messages: Record<(typeof LOCALES)[number], Messages> = { nl: readLocale('nl'), en: readLocale('en') };

/** `$NAME$` references in a message, lower-cased (`$$` is a literal dollar sign). */
function referencedPlaceholders(text: string): string[] {
  return [...text.replace(/\$\$/g, '').matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1]!.toLowerCase()).sort();
}

/** The highest `$n` substitution a message takes (0 when it takes none). */
function substitutionCount(message: Message): number {
  const numbers = Object.values(message.placeholders ?? {}).flatMap((p) => [...p.content.matchAll(/\$(\d)/g)].map((m) => Number(m[1])));
  return Math.max(0, ...numbers);
}

// --- the source scan ---

interface KeyUse {
  key: string;
  file: string;
  /** Substitutions passed, when they can be counted from the source (a missing argument or an array literal). */
  substitutions?: number;
}

/** From an opening parenthesis, the text up to its matching close (strings and templates skipped). */
function callArguments(source: string, open: number): string {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < source.length; i++) {
    const c = source[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return source.slice(open + 1, i);
    }
  }
  return source.slice(open + 1);
}

/** Splits on commas at the top level of an argument list or array literal. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const KEY = /^[A-Za-z0-9_]+$/;

/**
 * Message keys a source file uses: literal keys (also both arms of a ternary) passed to `t(...)`,
 * `getMessage(...)`, `translate(...)` or `new UserError(...)`, and `__MSG_key__` in manifests and HTML.
 * A template key (`ended_${reason}`) yields its static prefix in `prefixes`.
 */
function scanSource(source: string, file: string): { uses: KeyUse[]; prefixes: string[] } {
  const uses: KeyUse[] = [];
  const prefixes: string[] = [];
  for (const match of source.matchAll(/(?:\bt|\bgetMessage|\btranslate|\bnew\s+UserError)\s*\(/g)) {
    const args = splitTopLevel(callArguments(source, match.index + match[0].length - 1));
    const [first, second] = args;
    if (!first) continue;
    let substitutions: number | undefined;
    if (second === undefined) substitutions = 0;
    else if (second.startsWith('[') && second.endsWith(']')) substitutions = splitTopLevel(second.slice(1, -1)).length;
    const outsideTemplates = first.replace(/`(?:\\.|[^`\\])*`/g, '``');
    for (const literal of outsideTemplates.matchAll(/(['"])((?:\\.|(?!\1).)*)\1/g)) {
      if (KEY.test(literal[2]!)) uses.push({ key: literal[2]!, file, ...(substitutions === undefined ? {} : { substitutions }) });
    }
    for (const template of first.matchAll(/`([A-Za-z0-9_]*)\$\{/g)) prefixes.push(template[1]!);
  }
  for (const match of source.matchAll(/__MSG_([A-Za-z0-9_@]+)__/g)) uses.push({ key: match[1]!, file });
  return { uses: uses.filter((u) => !u.key.startsWith('@@')), prefixes };
}

function sourceFiles(): string[] {
  const files = SOURCE_DIRS.flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((name) => /\.(ts|tsx|html)$/.test(name) && !name.includes('node_modules'))
      .map((name) => join(ROOT, dir, name)),
  );
  return [...files, join(ROOT, 'wxt.config.ts')];
}

const scanned = sourceFiles().map((file) => scanSource(readFileSync(file, 'utf8'), relative(ROOT, file)));
const uses = scanned.flatMap((s) => s.uses);
const prefixes = [...new Set(scanned.flatMap((s) => s.prefixes))];

describe('the source scan', () => {
  it('finds the kinds of key use the code has', () => {
    const sample = [
      `t('plain'); t("double", name); t('withTwo', [a, b]);`,
      `browser.i18n.getMessage('viaBrowser', [x || y]);`,
      `t(granted ? 'yesKey' : 'noKey');`,
      `deps.translate('@@ui_locale'); throw new UserError('errorKey', [detail]);`,
      "name: \"__MSG_extName__\", t(`ended_${reason.replace(/-/g, '_')}`), format(x), shortcut('notAKey')",
    ].join('\n');
    const { uses: found, prefixes: templates } = scanSource(sample, 'sample.ts');
    expect(found.map((u) => [u.key, u.substitutions])).toEqual([
      ['plain', 0],
      ['double', undefined],
      ['withTwo', 2],
      ['viaBrowser', 1],
      ['yesKey', 0],
      ['noKey', 0],
      ['errorKey', 1],
      ['extName', undefined],
    ]);
    expect(templates).toEqual(['ended_']);
  });

  it('finds the keys used in the extension', () => {
    expect(new Set(uses.map((u) => u.key)).size).toBeGreaterThan(10);
    expect(uses.some((u) => u.file === 'wxt.config.ts')).toBe(true);
  });
});

describe('locales', () => {
  it('nl and en have the same keys', () => {
    const nl = Object.keys(messages.nl).sort();
    const en = Object.keys(messages.en).sort();
    expect(nl.filter((k) => !en.includes(k)), 'in nl, missing from en').toEqual([]);
    expect(en.filter((k) => !nl.includes(k)), 'in en, missing from nl').toEqual([]);
  });

  it.each(LOCALES)('%s: every key is a valid name and no two keys differ only in case', (locale) => {
    const keys = Object.keys(messages[locale]);
    for (const key of keys) expect(key, key).toMatch(/^(?!@@)[A-Za-z0-9_@]+$/);
    const lower = keys.map((k) => k.toLowerCase());
    expect(lower.filter((k, i) => lower.indexOf(k) !== i)).toEqual([]);
  });

  it.each(LOCALES)('%s: no message is empty', (locale) => {
    const empty = Object.entries(messages[locale]).filter(([, m]) => typeof m.message !== 'string' || m.message.trim() === '');
    expect(empty.map(([key]) => key)).toEqual([]);
  });

  it.each(LOCALES)('%s: every placeholder a message uses is defined (Chrome refuses to load otherwise)', (locale) => {
    const undefinedUses: string[] = [];
    for (const [key, message] of Object.entries(messages[locale])) {
      const defined = Object.keys(message.placeholders ?? {}).map((name) => name.toLowerCase());
      for (const name of referencedPlaceholders(message.message)) if (!defined.includes(name)) undefinedUses.push(`${key}: $${name}$`);
    }
    expect(undefinedUses).toEqual([]);
  });

  it('placeholders match between nl and en', () => {
    for (const [key, nl] of Object.entries(messages.nl)) {
      const en = messages.en[key];
      if (!en) continue; // reported by the key comparison
      const contents = (m: Message) =>
        Object.fromEntries(Object.entries(m.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]));
      expect(contents(en), key).toEqual(contents(nl));
      // A translation that leaves out the name (or adds one) says something else.
      expect(referencedPlaceholders(en.message), key).toEqual(referencedPlaceholders(nl.message));
    }
  });
});

describe('keys used in the source', () => {
  it.each(LOCALES)('exist in %s', (locale) => {
    const missing = uses.filter((u) => !(u.key in messages[locale])).map((u) => `${u.key} (${u.file})`);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('are given as many substitutions as the message takes', () => {
    const wrong: string[] = [];
    for (const use of uses) {
      const message = messages.nl[use.key];
      if (use.substitutions === undefined || !message) continue;
      const takes = substitutionCount(message);
      if (takes !== use.substitutions) wrong.push(`${use.key} in ${use.file}: takes ${takes}, given ${use.substitutions}`);
    }
    expect(wrong).toEqual([]);
  });

  it.each(LOCALES)('built from a template, have at least one key with that prefix in %s', (locale) => {
    for (const prefix of prefixes) {
      expect(Object.keys(messages[locale]).some((key) => key.startsWith(prefix) && key !== prefix), prefix).toBe(true);
    }
  });

  it.each(LOCALES)('%s explains every reason a session can end', (locale) => {
    // The popup and the history show `ended_<reason>` (dashes as underscores) for the session's end reason.
    const shape: Record<string, unknown> = toViewerSchema.options.find((option) => (option.shape.type._zod.def.values as unknown[]).includes('end'))?.shape ?? {};
    const reasons = shape.reason instanceof z.ZodEnum ? shape.reason.options.map(String) : [];
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(messages[locale], reason).toHaveProperty(`ended_${reason.replace(/-/g, '_')}`);
  });
});

describe('manifest', () => {
  it.each(['chrome', 'firefox'])("defaults to Dutch ('nl') in %s", async (browser) => {
    const manifest = typeof config.manifest === 'function'
      ? await config.manifest({ browser, manifestVersion: browser === 'firefox' ? 2 : 3, mode: 'production', command: 'build' })
      : await config.manifest;
    expect(manifest?.default_locale).toBe('nl');
  });
});
