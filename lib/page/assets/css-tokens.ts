/**
 * Finds the URLs in CSS text and in `srcset`, and hands each to `replace` (issue 20): `url(...)` in any
 * form (quoted, unquoted, with escapes), the bare strings of `image-set()`, and `@import` rules, which
 * are dropped (what rrweb could read of an imported sheet it has already inlined; the rest would make
 * the replay fetch). Linear regular expressions only: the text is the page's, and may be hostile.
 */

/** `replace` returns the new URL text, or null to drop the URL (it becomes `url("")`, which loads nothing). */
export type ReplaceUrl = (url: string) => string | null;

const URL_FUNCTION = /url\(\s*(?:"((?:[^"\\\n]|\\[^])*)"|'((?:[^'\\\n]|\\[^])*)'|((?:[^"'()\\\s]|\\[0-9a-fA-F]{1,6}\s|\\[^])*))\s*\)/gi;
const IMAGE_SET = /(?:-webkit-)?image-set\(([^()]*(?:\([^()]*\)[^()]*)*)\)/gi;
/** A string inside image-set(), or a url() there, which the url() pass has already done. */
const SET_ITEM = /url\([^)]*\)|"((?:[^"\\\n]|\\[^])*)"|'((?:[^'\\\n]|\\[^])*)'/gi;
/** An @import rule up to its semicolon (strings may hold one), or to the end of the text. */
const IMPORT = /@import\s(?:[^;"']|"(?:[^"\\]|\\[^])*"|'(?:[^'\\]|\\[^])*')*(?:;|$)/gi;

export function tokeniseCss(css: string, replace: ReplaceUrl): string {
  if (!/url\(|image-set|@import/i.test(css)) return css;
  const quoted = (raw: string) => {
    const next = replace(unescapeCss(raw));
    return `"${next === null ? '' : escapeCssString(next)}"`;
  };
  return css
    .replace(IMPORT, '')
    .replace(URL_FUNCTION, (_all, double?: string, single?: string, bare?: string) => `url(${quoted(double ?? single ?? bare ?? '')})`)
    .replace(IMAGE_SET, (all: string, inner: string) =>
      all.slice(0, all.length - inner.length - 1) + inner.replace(SET_ITEM, (item: string, double?: string, single?: string) => (double ?? single) === undefined ? item : quoted(double ?? single ?? '')) + ')',
    );
}

/** CSS escapes: `\"`, `\\`, and hex code points (`\31 ` is "1"). */
export function unescapeCss(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(?:([0-9a-fA-F]{1,6})\s?|\n|([^]))/g, (_all, hex?: string, char?: string) => {
    if (hex) {
      const code = parseInt(hex, 16);
      return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code);
    }
    return char ?? '';
  });
}

function escapeCssString(text: string): string {
  return text.replace(/["\\\n\r\f]/g, (c) => `\\${c === '"' || c === '\\' ? c : c.charCodeAt(0).toString(16) + ' '}`);
}

/**
 * `srcset`, candidate by candidate (HTML's parsing rules: a URL runs to the next white space, and commas
 * at its end separate candidates; a data: URL may contain commas). A dropped URL drops its candidate.
 */
export function tokeniseSrcset(srcset: string, replace: ReplaceUrl): string {
  const out: string[] = [];
  let i = 0;
  const n = srcset.length;
  while (i < n) {
    while (i < n && (isSpace(srcset[i]!) || srcset[i] === ',')) i++;
    if (i >= n) break;
    let end = i;
    while (end < n && !isSpace(srcset[end]!)) end++;
    let url = srcset.slice(i, end);
    let descriptor = '';
    i = end;
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      // Descriptors run to the next comma outside parentheses.
      let depth = 0;
      const start = i;
      while (i < n && !(srcset[i] === ',' && depth === 0)) {
        if (srcset[i] === '(') depth++;
        else if (srcset[i] === ')') depth = Math.max(0, depth - 1);
        i++;
      }
      descriptor = srcset.slice(start, i).trim();
    }
    const next = replace(url);
    if (next !== null && next !== '') out.push(descriptor ? `${next} ${descriptor}` : next);
  }
  return out.join(', ');
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
}
