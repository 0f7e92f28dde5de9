/**
 * A stylesheet rrweb could not inline (it comes from another origin, so the page may not read its rules)
 * is read here with CORS, as the page itself could: where the other origin allows it, its text, with its
 * `@import`s inlined and every URL in it a token, becomes the link's `_cssText` in the replay; where it
 * does not, the link stays without `href` (issue 20: never an external URL in an event).
 *
 * Runs in the page world, so the page's CSP (connect-src) applies: a page that forbids the fetch gets
 * the unstyled link, not a request it did not allow (docs/replay-assets.md).
 */
import type { AssetNames } from './asset-names';
import type { AssetUse } from './event-tokens';
import { tokeniseCss, unescapeCss } from './css-tokens';

/** The largest stylesheet read (all its imports together). */
export const MAX_SHEET_CHARS = 2 * 1024 * 1024;
const MAX_IMPORT_DEPTH = 3;
const MAX_IMPORTS = 30;

const IMPORT = /@import\s+(?:url\(\s*(?:"((?:[^"\\\n]|\\[^])*)"|'((?:[^'\\\n]|\\[^])*)'|([^"'()\s]*))\s*\)|"((?:[^"\\\n]|\\[^])*)"|'((?:[^'\\\n]|\\[^])*)')([^;]*)(?:;|$)/gi;

export interface SheetReading {
  fetch: typeof fetch;
  names: AssetNames;
  signal: AbortSignal;
  onUse: (use: AssetUse) => void;
}

/** The sheet's text ready for `_cssText`, or null when it cannot be read. */
export async function readForeignSheet(url: string, reading: SheetReading): Promise<string | null> {
  const budget = { chars: MAX_SHEET_CHARS, imports: MAX_IMPORTS };
  return readSheet(url, reading, 0, budget);
}

async function readSheet(url: string, reading: SheetReading, depth: number, budget: { chars: number; imports: number }): Promise<string | null> {
  let text: string;
  try {
    const response = await reading.fetch(url, { mode: 'cors', credentials: 'same-origin', signal: reading.signal });
    if (!response.ok) return null;
    text = await response.text();
  } catch {
    return null;
  }
  budget.chars -= text.length;
  if (budget.chars < 0) return null;
  // Imported sheets first, where the @import stood (at the top): each read, tokenised against its own URL.
  const imports: Array<{ url: string; media: string }> = [];
  for (const match of text.matchAll(IMPORT)) {
    const raw = unescapeCss(match[1] ?? match[2] ?? match[3] ?? match[4] ?? match[5] ?? '');
    try {
      imports.push({ url: new URL(raw, url).href, media: (match[6] ?? '').trim() });
    } catch {
      // not a URL: dropped with the rule
    }
  }
  const inlined: string[] = [];
  for (const item of imports) {
    if (depth >= MAX_IMPORT_DEPTH || --budget.imports < 0) break;
    const inner = await readSheet(item.url, reading, depth + 1, budget);
    // Only a plain media list can be kept as @media; layer() and supports() conditions are left out.
    if (inner !== null) inlined.push(item.media && /^[\w\s,():.-]+$/.test(item.media) && !/\b(layer|supports)\(/.test(item.media) ? `@media ${item.media}{${inner}}` : inner);
  }
  const own = tokeniseCss(text, (raw) => {
    const fate = reading.names.fate(raw, url);
    if (fate.kind === 'keep') return raw;
    if (fate.kind === 'drop') return null;
    reading.onUse({ key: fate.key, url: fate.url });
    return fate.value;
  });
  return [...inlined, own].join('\n');
}
