/**
 * Rewrites every URL in CSS text the way the browser would find it (issue 20): the text comes from the
 * customer's extension, which is untrusted (invariant 7), so a regular expression on `url(` is not enough
 * (`u\rl(`, `\75 rl(`, `URL(`, strings in `image-set()`, `@import "x"` all load). This follows the
 * tokenizer of CSS Syntax Level 3 as far as URLs go: comments, strings (with escapes and the newline that
 * ends them), identifiers with escapes, `url(` with or without quotes, functions and blocks. Where it
 * cannot be sure it rewrites too much rather than too little: `1url(x)` is a dimension to the browser, and
 * rewritten here anyway.
 *  - `url(...)` and `src(...)`: the URL is replaced by `rewrite(url)`, always quoted.
 *  - strings directly inside `image-set()`, `-webkit-image-set()`, `image()`, `cross-fade()`: likewise.
 *  - `@import` rules are dropped (stylesheets travel as text in the events, never as URLs).
 */

/** Functions whose bare string arguments are URLs. */
const URL_STRING_FUNCTIONS = new Set(['url', 'src', 'image-set', '-webkit-image-set', 'image', 'cross-fade', '-webkit-cross-fade']);

const isHex = (c: string) => {
  const k = c.charCodeAt(0) | 0x20; // lower case
  return (k >= 0x30 && k <= 0x39) || (k >= 0x61 && k <= 0x66);
};
const isWhitespace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n';
const isIdentStart = (c: string | undefined) => {
  if (c === undefined) return false;
  const k = c.charCodeAt(0);
  return ((k | 0x20) >= 0x61 && (k | 0x20) <= 0x7a) || k === 0x5f || k >= 0x80;
};
const isIdentChar = (c: string | undefined) => {
  if (c === undefined) return false;
  const k = c.charCodeAt(0);
  return isIdentStart(c) || (k >= 0x30 && k <= 0x39) || k === 0x2d;
};

/**
 * Text in which the tokenizer could find nothing to rewrite: no backslash (so no escaped name) and none of
 * the names that load (`url(`, `src(`, `image`, `fade(`, `@import`). Most style attributes are such text.
 */
const NOTHING_TO_REWRITE = /^[^\\]*$/;
const LOADS = /url\(|src\(|image|fade\(|@import/i;
/** `\` followed by anything but a newline (or the end) starts an escape. */
const validEscape = (a: string | undefined, b: string | undefined) => a === '\\' && b !== undefined && b !== '\n';

const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\a ')}"`;

export function rewriteCss(input: string, rewrite: (url: string) => string): string {
  if (NOTHING_TO_REWRITE.test(input) && !LOADS.test(input)) return input;
  // The browser's preprocessing: CR, CRLF and FF are newlines; NUL is U+FFFD.
  const css = input.replace(/\r\n?|\f/g, '\n').replace(/\0/g, '\uFFFD');
  let i = 0;
  const out: string[] = [];
  /** Open functions and blocks: a function's lower-cased name, or the bracket of a plain block. */
  const stack: string[] = [];

  /** After a `\`: the escaped code point, consuming the hex digits and one whitespace after them. */
  const escape = (): string => {
    const c = css[i];
    if (c === undefined) return '\uFFFD';
    if (!isHex(c)) {
      i++;
      return c;
    }
    let hex = '';
    while (hex.length < 6 && css[i] !== undefined && isHex(css[i]!)) hex += css[i++];
    if (isWhitespace(css[i])) i++;
    const code = parseInt(hex, 16);
    return code === 0 || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff ? '\uFFFD' : String.fromCodePoint(code);
  };

  const startsIdent = (at: number) => {
    const [a, b, c] = [css[at], css[at + 1], css[at + 2]];
    if (a === '-') return isIdentStart(b) || b === '-' || validEscape(b, c);
    return isIdentStart(a) || validEscape(a, b);
  };

  const ident = (): string => {
    let name = '';
    for (;;) {
      const c = css[i];
      if (isIdentChar(c)) {
        name += c;
        i++;
      } else if (validEscape(c, css[i + 1])) {
        i++;
        name += escape();
      } else return name;
    }
  };

  /** A string from its opening quote; its value, and where it ends (after the quote, or at a newline). */
  const string = (): string => {
    const end = css[i++];
    let value = '';
    for (;;) {
      const c = css[i];
      if (c === undefined || c === end) {
        i++;
        return value;
      }
      if (c === '\n') return value; // a bad string: the newline is not part of it
      if (c === '\\') {
        i++;
        if (css[i] === undefined) continue;
        if (css[i] === '\n') {
          i++;
          continue;
        }
        value += escape();
        continue;
      }
      value += c;
      i++;
    }
  };

  /** After `url(` with no quote: the URL, or undefined for a bad URL (which loads nothing). Consumes the `)`. */
  const unquotedUrl = (): string | undefined => {
    while (isWhitespace(css[i])) i++;
    let value = '';
    for (;;) {
      const c = css[i];
      if (c === undefined) return value;
      i++;
      if (c === ')') return value;
      if (isWhitespace(c)) {
        while (isWhitespace(css[i])) i++;
        if (css[i] === ')' || css[i] === undefined) {
          i++;
          return value;
        }
        return badUrl();
      }
      if (c === '"' || c === "'" || c === '(' || /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(c)) return badUrl();
      if (c === '\\') {
        if (!validEscape(c, css[i])) return badUrl();
        value += escape();
        continue;
      }
      value += c;
    }
  };
  const badUrl = (): undefined => {
    for (;;) {
      const c = css[i];
      if (c === undefined) return undefined;
      i++;
      if (c === ')') return undefined;
      if (validEscape(c, css[i])) escape();
    }
  };

  /** Skips an at-rule's prelude and block (for `@import`): to its `;`, through its `{...}`, or to an unmatched `}`. */
  const skipAtRule = () => {
    let depth = 0;
    while (i < css.length) {
      const c = css[i]!;
      if (c === '/' && css[i + 1] === '*') {
        const close = css.indexOf('*/', i + 2);
        i = close < 0 ? css.length : close + 2;
      } else if (c === '"' || c === "'") string();
      else if (c === '\\') {
        i++;
        if (css[i] !== undefined && css[i] !== '\n') escape();
      } else if (startsIdent(i)) {
        const name = ident();
        if (css[i] === '(' && name.toLowerCase() === 'url') {
          i++;
          while (isWhitespace(css[i])) i++;
          if (css[i] !== '"' && css[i] !== "'") unquotedUrl();
          else depth++;
        }
      } else {
        i++;
        if (c === '(' || c === '[') depth++;
        else if (c === ')' || c === ']') depth = Math.max(0, depth - 1);
        else if (c === ';' && depth === 0) return;
        else if (c === '{') depth++;
        else if (c === '}') {
          if (depth === 0) {
            i--; // not ours: the end of an enclosing block
            return;
          }
          depth--;
          if (depth === 0) return;
        }
      }
    }
  };

  /** Text is copied in slices: only what is rewritten is written out anew. */
  let copied = 0;
  const replace = (start: number, text: string) => {
    out.push(css.slice(copied, start), text);
    copied = i;
  };

  while (i < css.length) {
    const c = css[i]!;
    const start = i;
    if (c === '/' && css[i + 1] === '*') {
      const close = css.indexOf('*/', i + 2);
      i = close < 0 ? css.length : close + 2;
    } else if (c === '"' || c === "'") {
      const value = string();
      if (URL_STRING_FUNCTIONS.has(stack.at(-1) ?? '')) replace(start, quote(rewrite(value)));
    } else if (c === '@' && startsIdent(i + 1)) {
      i++;
      const name = ident();
      if (name.toLowerCase() === 'import') {
        skipAtRule();
        replace(start, '');
      }
    } else if (startsIdent(i)) {
      const name = ident().toLowerCase();
      if (css[i] !== '(') continue;
      i++;
      if (name === 'url') {
        const afterParen = i;
        while (isWhitespace(css[i])) i++;
        if (css[i] === '"' || css[i] === "'") {
          // url( "x" ): a function whose string is the URL (rewritten when the string is read).
          stack.push('url');
          continue;
        }
        i = afterParen;
        const url = unquotedUrl();
        replace(start, `url(${quote(url === undefined ? 'data:,' : rewrite(url))})`);
        continue;
      }
      stack.push(name);
    } else {
      // A backslash that starts no identifier (before a newline) is a delimiter to the browser too.
      i++;
      if (c === '(' || c === '[' || c === '{') stack.push(c);
      // A closer ends only what it matches: `}` inside a function is part of it, as to the browser.
      else if (c === ')' && stack.length > 0 && stack.at(-1) !== '[' && stack.at(-1) !== '{') stack.pop();
      else if ((c === ']' && stack.at(-1) === '[') || (c === '}' && stack.at(-1) === '{')) stack.pop();
    }
  }
  if (copied === 0) return css;
  out.push(css.slice(copied));
  return out.join('');
}
