// @vitest-environment happy-dom
/**
 * The event tokeniser (lib/page/assets/event-tokens.ts): every place in an rrweb event where the replay
 * would load a URL ends up holding a token, and no http(s) or protocol-relative URL is left in it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { EventType, IncrementalSource, NodeType, type eventWithTime, type serializedNodeWithId } from '@rrweb/types';
import { createAssetNames, type AssetNames } from '@/lib/page/assets/asset-names';
import { tokeniseEvent, type TokenContext } from '@/lib/page/assets/event-tokens';
import { ASSET_TOKEN_PATTERN } from '@/lib/protocol/assets';

const BASE = 'http://shop.example/page/index.html';
let names: AssetNames;
let nodes: Map<number, Node>;
const ctx = (): TokenContext => ({ names, base: BASE, nodeOf: (id) => nodes.get(id) ?? null });

/** Any absolute or protocol-relative http(s) URL in the event's JSON. */
const EXTERNAL = /(?:https?:)?\/\/[a-z0-9.-]+\.example/i;

let nextId = 1;
const el = (tagName: string, attributes: Record<string, string | number | true>, childNodes: serializedNodeWithId[] = []): serializedNodeWithId => ({
  type: NodeType.Element,
  tagName,
  attributes,
  childNodes,
  id: nextId++,
});
const text = (textContent: string, isStyle?: true): serializedNodeWithId => ({ type: NodeType.Text, textContent, id: nextId++, ...(isStyle ? { isStyle } : {}) });
const full = (node: serializedNodeWithId): eventWithTime => ({
  type: EventType.FullSnapshot,
  timestamp: 1,
  data: { node: { type: NodeType.Document, childNodes: [node], id: nextId++ }, initialOffset: { top: 0, left: 0 } },
});
const incremental = (data: Record<string, unknown>): eventWithTime => ({ type: EventType.IncrementalSnapshot, timestamp: 1, data } as unknown as eventWithTime);

beforeEach(() => {
  names = createAssetNames('t_');
  nodes = new Map();
  nextId = 1;
});

describe('full snapshot', () => {
  it('tokenises src, srcset (each candidate), poster, background, object data and the style attribute', () => {
    const body = el('body', { background: 'http://cdn.example/bg.png', style: 'background: url(//cdn.example/s.png)' }, [
        el('img', { src: '/img/a.png', srcset: 'http://cdn.example/a1.png 1x, https://cdn.example/a2.png 2x' }),
        el('video', { poster: 'https://cdn.example/poster.jpg', src: 'https://cdn.example/movie.mp4' }),
        el('picture', {}, [el('source', { srcset: 'http://cdn.example/p.webp 300w' })]),
        el('input', { type: 'image', src: 'http://cdn.example/go.png' }),
        el('object', { data: 'http://cdn.example/o.svg' }),
      ]);
    const event = full(body);
    const { uses } = tokeniseEvent(event, ctx());
    const json = JSON.stringify(event);
    expect(json).not.toMatch(EXTERNAL);
    expect(json).not.toContain('/img/a.png');
    expect(json.match(new RegExp(ASSET_TOKEN_PATTERN.source, 'g'))?.length).toBe(10);
    expect(new Set(uses.map((u) => u.url))).toEqual(
      new Set([
        'http://cdn.example/bg.png', 'http://cdn.example/s.png', 'http://shop.example/img/a.png', 'http://cdn.example/a1.png', 'https://cdn.example/a2.png',
        'https://cdn.example/poster.jpg', 'https://cdn.example/movie.mp4', 'http://cdn.example/p.webp', 'http://cdn.example/go.png', 'http://cdn.example/o.svg',
      ]),
    );
    // The element that shows an image is known (for its size and whether it is in view); CSS has none.
    expect(uses.find((u) => u.url.endsWith('/a.png'))?.nodeId).toBeGreaterThan(0);
    expect(uses.find((u) => u.url.endsWith('/s.png'))?.nodeId).toBe(body.id);
  });

  it('tokenises href and xlink:href of SVG image, use and feImage, keeping sprite fragments and #references', () => {
    const event = full(
      el('svg', {}, [
        el('image', { href: 'http://cdn.example/i.png' }),
        el('use', { 'xlink:href': 'http://cdn.example/sprite.svg#cart' }),
        el('use', { href: '#local' }),
        el('feImage', { href: 'http://cdn.example/f.png' }),
        el('a', { href: 'http://elsewhere.example/' }),
      ]),
    );
    tokeniseEvent(event, ctx());
    const json = JSON.stringify(event);
    expect(json).toMatch(/"xlink:href":"meekijk-asset:t_\w+#cart"/);
    expect(json).toContain('"href":"#local"');
    // A link to follow loads nothing; the viewer's sanitiser judges it (docs/replay-assets.md).
    expect(json.match(EXTERNAL)?.[0]).toBe('http://elsewhere.example');
  });

  it('link: icons become tokens; a stylesheet rrweb could not inline loses its href and is reported; preloads lose theirs', () => {
    const sheet = el('link', { rel: 'stylesheet', href: 'http://cdn.example/site.css' });
    const event = full(
      el('head', {}, [
        el('link', { rel: 'shortcut icon', href: 'http://cdn.example/favicon.ico' }),
        el('link', { rel: 'apple-touch-icon', href: '/touch.png' }),
        sheet,
        el('link', { rel: 'preload', as: 'font', href: 'http://cdn.example/f.woff2' }),
        el('link', { rel: 'stylesheet', _cssText: '.a{background:url(http://cdn.example/in.png)}' }),
      ]),
    );
    const { sheets } = tokeniseEvent(event, ctx());
    expect(JSON.stringify(event)).not.toMatch(EXTERNAL);
    expect(sheets).toEqual([{ nodeId: sheet.id, url: 'http://cdn.example/site.css' }]);
  });

  it('tokenises _cssText and the text of style elements, and drops @import', () => {
    const event = full(
      el('head', {}, [
        el('style', { _cssText: '@font-face{font-family:x;src:url("https://fonts.example/x.woff2") format("woff2")}' }),
        el('style', {}, [text('@import url(http://cdn.example/more.css); .b{background-image:image-set("http://cdn.example/b.png" 1x)}')]),
        el('div', {}, [text('.c{background:url(http://cdn.example/c.png)}', true)]),
      ]),
    );
    const { uses } = tokeniseEvent(event, ctx());
    expect(JSON.stringify(event)).not.toMatch(EXTERNAL);
    expect(uses.map((u) => u.url).sort()).toEqual(['http://cdn.example/b.png', 'http://cdn.example/c.png', 'https://fonts.example/x.woff2']);
  });

  it('leaves data: URLs and plain text as they are; drops script src; leaves frame src to the frame recording', () => {
    const data = 'data:image/png;base64,iVBORw0KGgo=';
    const event = full(
      el('body', {}, [el('img', { src: data }), el('script', { src: 'http://cdn.example/app.js' }), el('p', {}, [text('see http://cdn.example/')]), el('iframe', { rr_src: 'x' })]),
    );
    tokeniseEvent(event, ctx());
    const json = JSON.stringify(event);
    expect(json).toContain(data);
    expect(json).not.toContain('app.js');
    // Text on the page is not a URL the replay loads.
    expect(json).toContain('see http://cdn.example/');
  });
});

describe('incremental events', () => {
  it('mutations: added nodes, attribute changes (string and style objects) and the texts of style elements', () => {
    const style = document.createElement('style');
    const styleText = document.createTextNode('');
    style.append(styleText);
    const img = document.createElement('img');
    const link = document.createElement('link');
    link.rel = 'icon';
    document.body.append(style, img, link);
    nodes.set(1, style).set(2, styleText).set(3, img).set(4, link).set(5, document.body);
    const event = incremental({
      source: IncrementalSource.Mutation,
      adds: [{ parentId: 5, nextId: null, node: el('img', { src: 'http://cdn.example/new.png' }) }, { parentId: 1, nextId: null, node: text('a{background:url(http://cdn.example/t.png)}') }],
      texts: [{ id: 2, value: '.x{background:url(//cdn.example/x.png)}' }],
      attributes: [
        { id: 3, attributes: { src: 'http://cdn.example/changed.png', srcset: 'http://cdn.example/2.png 2x', style: { background: ['url(http://cdn.example/o.png)', ''] } } },
        { id: 4, attributes: { href: 'http://cdn.example/icon.png' } },
      ],
      removes: [],
    });
    const { uses } = tokeniseEvent(event, ctx());
    expect(JSON.stringify(event)).not.toMatch(EXTERNAL);
    expect(uses).toHaveLength(7);
    expect(uses.find((u) => u.url.endsWith('changed.png'))?.nodeId).toBe(3);
  });

  it('a link whose rel changes to stylesheet in the same mutation is judged by the new rel', () => {
    const link = document.createElement('link');
    nodes.set(9, link);
    const event = incremental({ source: IncrementalSource.Mutation, adds: [], texts: [], removes: [], attributes: [{ id: 9, attributes: { rel: 'stylesheet', href: 'http://cdn.example/late.css' } }] });
    const { sheets } = tokeniseEvent(event, ctx());
    expect(sheets).toEqual([{ nodeId: 9, url: 'http://cdn.example/late.css' }]);
    expect(JSON.stringify(event)).not.toMatch(EXTERNAL);
  });

  it('stylesheet rules, declarations, replace/replaceSync and adopted stylesheets', () => {
    const events = [
      incremental({ source: IncrementalSource.StyleSheetRule, id: 3, adds: [{ rule: '.a{background:url(http://cdn.example/r.png)}', index: 0 }] }),
      incremental({ source: IncrementalSource.StyleSheetRule, styleId: 2, replace: '.b{background:url(http://cdn.example/rep.png)}' }),
      incremental({ source: IncrementalSource.StyleSheetRule, styleId: 2, replaceSync: '@import "http://cdn.example/i.css"; .c{}' }),
      incremental({ source: IncrementalSource.StyleDeclaration, id: 3, index: [0], set: { property: 'background', value: 'url(http://cdn.example/d.png)', priority: '' } }),
      incremental({ source: IncrementalSource.AdoptedStyleSheet, id: 1, styleIds: [2], styles: [{ styleId: 2, rules: [{ rule: ':host{background:url(https://cdn.example/ad.png)}' }] }] }),
    ];
    const uses = events.flatMap((e) => tokeniseEvent(e, ctx()).uses);
    for (const event of events) expect(JSON.stringify(event)).not.toMatch(EXTERNAL);
    expect(uses).toHaveLength(4);
  });

  it('is idempotent: an event tokenised twice keeps the same tokens and names nothing new', () => {
    const event = full(el('img', { src: 'http://cdn.example/a.png' }));
    tokeniseEvent(event, ctx());
    const once = JSON.stringify(event);
    const again = tokeniseEvent(event, ctx());
    expect(JSON.stringify(event)).toBe(once);
    expect(again.uses).toEqual([]);
  });
});
