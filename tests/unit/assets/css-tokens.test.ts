/**
 * The CSS and srcset tokeniser (lib/page/assets/css-tokens.ts): every form of URL in CSS text is found,
 * @import rules go, and hostile text neither hangs it nor lets a URL through.
 */
import { describe, expect, it } from 'vitest';
import { tokeniseCss, tokeniseSrcset, unescapeCss } from '@/lib/page/assets/css-tokens';

const seen: string[] = [];
const upper = (url: string) => {
  seen.push(url);
  return `T(${url.length})`;
};

describe('tokeniseCss', () => {
  it('replaces url() in its quoted, unquoted and spaced forms, with the URL unescaped', () => {
    seen.length = 0;
    const css = `a{background:url(a.png)} b{background:URL( "b c.png" )} c{background:url('d\\'e.png')} d{src:url(f\\29 .woff2)}`;
    const out = tokeniseCss(css, upper);
    expect(seen).toEqual(['a.png', 'b c.png', "d'e.png", 'f).woff2']);
    expect(out).toBe('a{background:url("T(5)")} b{background:url("T(7)")} c{background:url("T(7)")} d{src:url("T(8)")}');
  });

  it('replaces the bare strings of image-set() and -webkit-image-set()', () => {
    const out = tokeniseCss(`x{background-image:image-set("a.png" 1x, 'b.png' 2x); y: -webkit-image-set(url(c.png) 1x)}`, (u) => `tok-${u}`);
    expect(out).toContain('image-set("tok-a.png" 1x, "tok-b.png" 2x)');
    expect(out).toContain('-webkit-image-set(url("tok-c.png") 1x)');
  });

  it('drops @import rules in every form, a semicolon inside the string included', () => {
    const out = tokeniseCss(`@import "x;y.css";@import url(z.css) screen;\n@IMPORT 'w.css' layer(base);a{color:red}`, (u) => u);
    expect(out).toBe('\na{color:red}');
  });

  it('a dropped URL becomes url(""), which loads nothing', () => {
    expect(tokeniseCss('a{background:url(ftp://x/y)}', () => null)).toBe('a{background:url("")}');
  });

  it('escapes what it writes back inside the quotes', () => {
    expect(tokeniseCss('a{b:url(x)}', () => 'a"b\\c')).toBe('a{b:url("a\\"b\\\\c")}');
  });

  it('leaves CSS without URLs as it is (same string)', () => {
    const css = 'a{color:red;content:"url"}';
    expect(tokeniseCss(css, () => 'never')).toBe(css);
  });

  it('hostile input: unterminated url(, long runs of backslashes and parentheses end quickly and leave no URL', () => {
    const nasty = `a{b:url(${'\\'.repeat(50_000)}` + '('.repeat(50_000) + `url("${'x'.repeat(100_000)}` + 'image-set(' + '"a",'.repeat(20_000);
    const started = performance.now();
    tokeniseCss(nasty, () => 'T');
    expect(performance.now() - started).toBeLessThan(1_000);
    const escapes = 'a{b:url(' + '\\1 \\2'.repeat(20_000) + ' x';
    const started2 = performance.now();
    tokeniseCss(escapes, () => 'T');
    expect(performance.now() - started2).toBeLessThan(1_000);
    const many = 'a{b:url(https://evil.example/x)}'.repeat(10_000);
    expect(tokeniseCss(many, () => 'T')).not.toContain('evil.example');
  });

  it('unescapes CSS escapes, refusing surrogates and code points out of range', () => {
    expect(unescapeCss('\\31 23\\"\\\\')).toBe('123"\\');
    expect(unescapeCss('\\d800 \\110000 \\0 ')).toBe('\ufffd\ufffd\ufffd');
  });
});

describe('tokeniseSrcset', () => {
  it('replaces each candidate and keeps its descriptor', () => {
    expect(tokeniseSrcset('a.png 1x, b.png 2x,c.png   300w', (u) => `T${u[0]}`)).toBe('Ta 1x, Tb 2x, Tc 300w');
  });

  it('keeps data: URLs with commas whole, and candidates without descriptors', () => {
    const seenUrls: string[] = [];
    tokeniseSrcset('data:image/png;base64,AAA= 1x, https://x.example/a.png, b.png 2x', (u) => (seenUrls.push(u), u));
    expect(seenUrls).toEqual(['data:image/png;base64,AAA=', 'https://x.example/a.png', 'b.png']);
  });

  it('drops a candidate whose URL is dropped', () => {
    expect(tokeniseSrcset('a.png 1x, bad 2x', (u) => (u === 'bad' ? null : u))).toBe('a.png 1x');
  });

  it('copes with empty and comma-only values', () => {
    expect(tokeniseSrcset('', (u) => u)).toBe('');
    expect(tokeniseSrcset(' , ,, ', (u) => u)).toBe('');
  });
});
