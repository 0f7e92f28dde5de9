/**
 * The CSS rewriter against hostile CSS (issue 20, invariant 7): every way CSS text can name a URL the
 * browser would load, written the ways the CSS tokenizer allows. Each case's URL carries its own sentinel;
 * none may survive, and what the rewriter puts in its place is all that is left.
 */
import { describe, expect, it } from 'vitest';
import { rewriteCss } from '@/viewer/lib/assets/css';

/** Rewrites every URL to SAFE and returns the text and the URLs the rewriter saw. */
function rewrite(css: string) {
  const seen: string[] = [];
  const text = rewriteCss(css, (url) => {
    seen.push(url);
    return 'SAFE';
  });
  return { text, seen };
}

const HOSTILE: Array<[string, string]> = [
  ['plain url()', 'a{background:url(https://evil.example/s1.png)}'],
  ['quoted url()', 'a{background:url("https://evil.example/s2.png")}'],
  ["single-quoted url() with spaces", "a{background:url( 'https://evil.example/s3.png' )}"],
  ['upper case', 'a{background:URL(https://evil.example/s4.png)}'],
  ['mixed case', 'a{background:uRl("https://evil.example/s5.png")}'],
  ['escaped letter', 'a{background:u\\rl(https://evil.example/s6.png)}'],
  ['hex escape', 'a{background:\\75 rl(https://evil.example/s7.png)}'],
  ['hex escape, upper', 'a{background:\\55 \\52 \\4c (https://evil.example/s8.png)}'],
  ['escaped URL inside', 'a{background:url(\\68 ttps://evil.example/s9.png)}'],
  ['escaped URL in string', 'a{background:url("\\68ttps://evil.example/s10.png")}'],
  ['protocol-relative', 'a{background:url(//evil.example/s11.png)}'],
  ['relative', 'a{background:url(/start?ticket=s12)}'],
  ['image-set strings', 'a{background-image:image-set("https://evil.example/s13.png" 1x, "https://evil.example/s13b.png" 2x)}'],
  ['-webkit-image-set', 'a{background-image:-webkit-image-set(url(https://evil.example/s14.png) 1x)}'],
  ['image-set, escaped name', 'a{background-image:im\\61ge-set("https://evil.example/s15.png" 1x)}'],
  ['font-face src', '@font-face{font-family:x;src:url(https://evil.example/s16.woff2) format("woff2"),local(Arial)}'],
  ['cursor', 'a{cursor:url(https://evil.example/s17.cur),auto}'],
  ['comment before', 'a{background:/*x*/url(https://evil.example/s18.png)}'],
  ['newline and tab inside quoted', 'a{background:url("ht\\\ntps://evil.example/s19.png")}'],
  ['inside a custom property', 'a{--x:url(https://evil.example/s20.png)}'],
  ['nested in @media', '@media screen{a{background:url(https://evil.example/s21.png)}}'],
  ['src() function', 'a{background:src("https://evil.example/s22.png")}'],
  ['} inside image-set', 'a{background:image-set(} "https://evil.example/s23.png" 1x)}'],
  ['cross-fade', 'a{background:cross-fade("https://evil.example/s24.png" 50%, url(https://evil.example/s24b.png))}'],
  ['content url', 'a::before{content:url(https://evil.example/s25.png)}'],
  ['border-image', 'a{border-image:url(https://evil.example/s26.png) 30 round}'],
  ['filter url', 'a{filter:url(https://evil.example/s27.svg#f)}'],
  ['CRLF line endings', 'a{\r\nbackground:\r\nurl(\r\nhttps://evil.example/s28.png\r\n)}'],
  ['form feed whitespace', 'a{background:url(\fhttps://evil.example/s29.png\f)}'],
];

describe('rewriteCss with hostile CSS', () => {
  it.each(HOSTILE)('%s: no URL survives', (_name, css) => {
    const { text, seen } = rewrite(css);
    expect(text).not.toMatch(/evil\.example|ticket=s12/);
    expect(seen.length).toBeGreaterThan(0);
    for (const url of seen) expect(url).toMatch(/evil\.example|start\?ticket=s12/);
  });

  it('reads escapes as the browser does: the URL the rewriter sees is the decoded one', () => {
    expect(rewrite('a{background:url(\\68 ttps://e.example/d1.png)}').seen).toEqual(['https://e.example/d1.png']);
    expect(rewrite('a{background:url("\\68ttps://e.example/d2.png")}').seen).toEqual(['https://e.example/d2.png']);
    expect(rewrite("a{background:url( 'x.png' )}").seen).toEqual(['x.png']);
  });

  it('puts the rewritten URL in quotes, escaped', () => {
    const text = rewriteCss('a{background:url(x)}', () => 'data:image/png;base64,"\\x');
    expect(text).toBe('a{background:url("data:image/png;base64,\\"\\\\x")}');
  });

  it.each([
    ['@import url()', '@import url(https://evil.example/i1.css);a{color:red}'],
    ['@import string', '@import "https://evil.example/i2.css";a{color:red}'],
    ['@import upper case, media', '@IMPORT "https://evil.example/i3.css" screen;a{color:red}'],
    ['@import escaped', '@\\69mport "https://evil.example/i4.css";a{color:red}'],
    ['@import with layer and supports', '@import url("https://evil.example/i5.css") layer(x) supports(display:grid);a{color:red}'],
    ['@import without semicolon at the end', 'a{color:red}@import "https://evil.example/i6.css"'],
  ])('drops %s', (_name, css) => {
    const { text } = rewrite(css);
    expect(text).not.toMatch(/evil\.example|import/i);
    expect(text).toContain('a{color:red}');
  });

  it('leaves CSS without URLs as it was, strings and escapes included', () => {
    const css = '@charset "utf-8";a::before{content:"url(not-a-url)";font-family:"Open Sans",\\41 rial}b{color:#123}@media (min-width:1px){c{margin:0 auto}}';
    const { text, seen } = rewrite(css);
    expect(text).toBe(css);
    expect(seen).toEqual([]);
  });

  it('keeps a bad url() (which loads nothing) from hiding a later one', () => {
    const { text } = rewrite('a{background:url(x y) ; color:red} b{background:url(https://evil.example/b1.png)}');
    expect(text).not.toContain('evil.example');
    expect(text).toContain('color:red');
  });
});
