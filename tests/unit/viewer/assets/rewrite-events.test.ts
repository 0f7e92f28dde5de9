/**
 * The event rewriter (issue 20, invariant 7): a modified extension puts raw URLs in every place rrweb
 * carries one; after the rewriter, none is left, tokens become the store's blob: URLs (or a pending mark,
 * or the placeholder), and what loads nothing stays as it was.
 */
import { describe, expect, it } from 'vitest';
import { createEventRewriter } from '@/viewer/lib/assets/rewrite-events';
import { MISSING_IMAGE, NOTHING, pendingUrl, type AssetState } from '@/viewer/lib/assets/urls';

const BLOB = 'blob:http://viewer.test/0b7c1d2e-0000-4000-8000-000000000001';
const known: Record<string, AssetState> = { ready: { url: BLOB }, gone: 'missing' };
const lookup = (key: string) => known[key];

type Node = Record<string, unknown>;
const el = (id: number, tagName: string, attributes: Record<string, unknown> = {}, childNodes: Node[] = [], extra: Node = {}): Node => ({ type: 2, id, tagName, attributes, childNodes, ...extra });
const text = (id: number, textContent: string, extra: Node = {}): Node => ({ type: 3, id, textContent, ...extra });
const full = (...body: Node[]) => ({
  type: 2,
  data: { node: { type: 0, id: 1, childNodes: [el(2, 'html', {}, [el(3, 'head'), el(4, 'body', {}, body)])] }, initialOffset: { top: 0, left: 0 } },
});
interface MutationData {
  adds?: unknown[];
  attributes?: Array<{ id: number; attributes: Record<string, unknown> }>;
  texts?: Array<{ id: number; value: string | null }>;
}
const mutation = (data: MutationData) => ({ type: 3, data: { source: 0, adds: [], removes: [], texts: [], attributes: [], ...data } });

/** Every string in the event, for the "nothing raw survives" check. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === 'object') Object.entries(value).forEach(([k, v]) => strings([k, v], out));
  return out;
}
const RAW = /evil\.example|javascript:|\/start\?ticket|^\.\.?\//;

describe('event rewriter: every URL location of a full snapshot', () => {
  const rewriter = createEventRewriter(lookup);
  const event = full(
    el(10, 'img', { src: 'https://evil.example/a1.png', srcset: 'https://evil.example/a2.png 1x, http://evil.example/a3.png 2x', SRC: '//evil.example/a4.png' }),
    el(11, 'img', { src: 'meekijk-asset:ready', srcset: 'meekijk-asset:ready 1x,meekijk-asset:later 2x' }),
    el(12, 'video', { src: 'https://evil.example/v1.mp4', poster: 'https://evil.example/v2.png' }),
    el(13, 'iframe', { src: '/start?ticket=T-1', srcdoc: '<img src=https://evil.example/f1.png>', rr_src: 'https://evil.example/f2' }),
    el(14, 'a', { href: 'javascript:alert(1)', ping: 'https://evil.example/p1' }),
    el(15, 'a', { href: '#section' }),
    el(16, 'link', { rel: 'stylesheet', href: 'https://evil.example/c1.css' }),
    el(17, 'link', { rel: 'icon', href: 'meekijk-asset:ready' }),
    el(18, 'form', { action: 'https://evil.example/post' }, [el(19, 'button', { formaction: '/api/sessions' })]),
    el(20, 'object', { data: 'https://evil.example/o1.swf' }),
    el(21, 'table', { background: 'https://evil.example/t1.png' }),
    el(22, 'div', { style: 'background:url(https://evil.example/d1.png);color:red' }),
    el(23, 'style', { _cssText: '@import "https://evil.example/i1.css";b{background:url(meekijk-asset:ready)}' }),
    el(24, 'style', {}, [text(25, 'p{background:URL(https://evil.example/s1.png)}')]),
    el(26, 'svg', {}, [
      el(27, 'image', { href: 'https://evil.example/g1.png', 'xlink:href': 'https://evil.example/g2.png' }, [], { isSVG: true }),
      el(28, 'use', { href: '#icon', 'xlink:href': 'https://evil.example/sprite.svg#i' }, [], { isSVG: true }),
      el(29, 'rect', { fill: 'url(https://evil.example/paint.svg#p)', filter: 'url(#blur)' }, [], { isSVG: true }),
      el(30, 'set', { attributeName: 'href', to: 'https://evil.example/anim.png' }, [], { isSVG: true }),
    ], { isSVG: true }),
    el(31, 'meta', { 'http-equiv': 'refresh', content: '0;url=/start?ticket=T-2' }),
    el(32, 'base', { href: 'https://evil.example/' }),
    el(33, 'canvas', { rr_dataURL: 'https://evil.example/canvas.png' }),
    el(34, 'img', { src: 'data:image/png;base64,iVBORw0KGgo=', alt: 'https://evil.example/ is only words here' }),
    el(35, 'img', { src: 'meekijk-asset:gone' }),
    el(36, 'link', { rel: 'preload', as: 'image', imagesrcset: 'https://evil.example/pre.png 1x' }),
    el(37, 'img', { src: 'data:text/html,<b>x</b>' }),
    el(38, 'img', { src: 'meekijk-asset:../../etc' }),
    el(39, 'svg', {}, [el(40, 'use', { href: 'meekijk-asset:ready#icon', 'xlink:href': 'meekijk-asset:later#star' }, [], { isSVG: true })], { isSVG: true }),
    el(41, 'img', { src: 'meekijk-asset:ready#x"y', srcset: 'meekijk-asset:ready#a(b) 1x' }),
  );
  const pending = rewriter.rewrite(event);
  const attrs = (id: number): Record<string, unknown> => {
    const find = (n: Node): Node | undefined => (n['id'] === id ? n : ((n['childNodes'] as Node[] | undefined) ?? []).map(find).find(Boolean));
    return find(event.data.node as Node)!['attributes'] as Record<string, unknown>;
  };

  it('leaves no raw URL anywhere but in words that load nothing (alt)', () => {
    const left = strings(event).filter((s) => RAW.test(s));
    expect(left).toEqual(['https://evil.example/ is only words here']);
  });

  it('turns tokens into blob: URLs, a pending mark, or the placeholder, and reports the pending keys', () => {
    expect(attrs(11)).toEqual({ src: BLOB, srcset: `${BLOB} 1x, ${pendingUrl('later')} 2x` });
    expect(attrs(17)['href']).toBe(BLOB);
    expect(attrs(23)['_cssText']).toBe(`b{background:url("${BLOB}")}`);
    expect(attrs(35)['src']).toBe(MISSING_IMAGE);
    expect([...pending]).toEqual(['later']);
  });

  it('keeps a plain fragment after a token (SVG sprites), before and after the asset arrives; no other', () => {
    expect(attrs(40)).toEqual({ href: `${BLOB}#icon`, 'xlink:href': `${pendingUrl('later')}#star` });
    expect(attrs(41)).toEqual({ src: MISSING_IMAGE, srcset: MISSING_IMAGE + ' 1x' });
  });

  it('neutralises each place by what it is', () => {
    expect(attrs(10)).toEqual({ src: MISSING_IMAGE, srcset: `${MISSING_IMAGE} 1x, ${MISSING_IMAGE} 2x`, SRC: MISSING_IMAGE });
    expect(attrs(12)).toEqual({ src: null, poster: MISSING_IMAGE });
    expect(attrs(13)).toEqual({ src: null, srcdoc: null, rr_src: null });
    expect(attrs(14)).toEqual({ href: '#', ping: null });
    expect(attrs(15)).toEqual({ href: '#section' });
    expect(attrs(16)['href']).toBe(NOTHING);
    expect(attrs(18)['action']).toBeNull();
    expect(attrs(19)['formaction']).toBeNull();
    expect(attrs(20)['data']).toBeNull();
    expect(attrs(21)['background']).toBe(NOTHING);
    expect(attrs(22)['style']).toBe(`background:url("${NOTHING}");color:red`);
    expect(attrs(28)).toEqual({ href: '#icon', 'xlink:href': MISSING_IMAGE });
    expect(attrs(29)).toEqual({ fill: `url("${NOTHING}")`, filter: 'url("#blur")' });
    expect(attrs(30)['attributeName']).toBeNull();
    expect(attrs(31)['http-equiv']).toBeNull();
    expect(attrs(32)['href']).toBeNull();
    expect(attrs(34)['src']).toBe('data:image/png;base64,iVBORw0KGgo=');
    expect(attrs(36)['imagesrcset']).toBeNull();
    expect(attrs(37)['src']).toBe(MISSING_IMAGE);
    expect(attrs(38)['src']).toBe(MISSING_IMAGE);
  });
});

describe('event rewriter: incremental events', () => {
  it('rewrites added nodes, attribute changes (by the tag it saw), style diffs and style texts', () => {
    const rewriter = createEventRewriter(lookup);
    rewriter.rewrite(full(el(10, 'iframe'), el(11, 'style', {}, [text(12, 'a{}')]), el(13, 'p', {}, [text(14, 'words')])));
    const event = mutation({
      adds: [
        { parentId: 4, nextId: null, node: el(20, 'img', { src: 'http://evil.example/m1.png' }) },
        { parentId: 11, nextId: null, node: text(21, 'b{background:u\\rl(//evil.example/m2.png)}') },
      ],
      attributes: [
        { id: 10, attributes: { src: '/start?ticket=m3', SrcDoc: '<p>' } },
        { id: 13, attributes: { style: { background: 'url(https://evil.example/m4.png)', 'list-style': ['url("https://evil.example/m5.png")', 'important'] } } },
        { id: 999, attributes: { href: 'https://evil.example/m6', src: 'meekijk-asset:later' } },
      ],
      texts: [
        { id: 12, value: '@import "https://evil.example/m7.css";' },
        { id: 14, value: 'see url(https://evil.example/ in words)' },
        { id: 998, value: 'a{background:url(https://evil.example/m8.png)}' },
      ],
    });
    const pending = rewriter.rewrite(event);
    const left = strings(event).filter((s) => RAW.test(s));
    // A text node known to be words keeps its words; every other text may be CSS.
    expect(left).toEqual(['see url(https://evil.example/ in words)']);
    expect(event.data.attributes[0]!.attributes).toEqual({ src: null, SrcDoc: null });
    expect(event.data.texts[0]!.value).toBe('');
    expect([...pending]).toEqual(['later']);
  });

  it('rewrites stylesheet rule, declaration, adopted stylesheet and font events', () => {
    const rewriter = createEventRewriter(lookup);
    const events = [
      { type: 3, data: { source: 8, id: 5, adds: [{ rule: 'a{background:url(https://evil.example/r1.png)}', index: 0 }], replaceSync: '@import "https://evil.example/r2.css";' } },
      { type: 3, data: { source: 8, styleId: 2, replace: 'a{background:image-set("https://evil.example/r3.png" 1x)}' } },
      { type: 3, data: { source: 13, id: 5, index: [0], set: { property: 'background', value: 'url(https://evil.example/r4.png)' } } },
      { type: 3, data: { source: 15, id: 1, styleIds: [1], styles: [{ styleId: 1, rules: [{ rule: '@font-face{font-family:f;src:url(https://evil.example/r5.woff2)}' }, { rule: 'b{background:url(meekijk-asset:ready)}' }] }] } },
      { type: 3, data: { source: 10, family: 'f', fontSource: 'url(https://evil.example/r6.woff)', buffer: false, descriptors: {} } },
      { type: 3, data: { source: 9, id: 5, type: 0, commands: [{ property: 'drawImage', args: [{ rr_type: 'HTMLImageElement', src: 'https://evil.example/r7.png' }, 0, 0] }] } },
    ];
    for (const event of events) rewriter.rewrite(event);
    expect(strings(events).filter((s) => RAW.test(s))).toEqual([]);
    expect(JSON.stringify(events)).toContain(BLOB);
  });
});
