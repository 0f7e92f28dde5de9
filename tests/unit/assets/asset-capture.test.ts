// @vitest-environment happy-dom
/**
 * The page world's asset capture (lib/page/assets/asset-capture.ts): what it asks the tab to read, in
 * which order, at which size; what a new full snapshot re-announces; a stylesheet from another origin
 * read with CORS and sent as `_cssText` through the recorder again.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventType, IncrementalSource, NodeType, type eventWithTime, type serializedNodeWithId } from '@rrweb/types';
import { createAssetCapture, TIER } from '@/lib/page/assets/asset-capture';
import type { PageAsset } from '@/lib/protocol/page-bridge';

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
let nodes: Map<number, Node>;
const nodeOf = (id: number) => nodes.get(id) ?? null;

/** An <img> in the page with a given box, and its serialized node. */
function image(id: number, src: string, box: { top: number; width: number; height: number }): serializedNodeWithId {
  const element = document.createElement('img');
  element.getBoundingClientRect = () => ({ top: box.top, left: 0, bottom: box.top + box.height, right: box.width, width: box.width, height: box.height, x: 0, y: box.top, toJSON: () => ({}) });
  nodes.set(id, element);
  return { type: NodeType.Element, tagName: 'img', attributes: { src }, childNodes: [], id };
}
const full = (children: serializedNodeWithId[]): eventWithTime => ({
  type: EventType.FullSnapshot,
  timestamp: 1,
  data: { node: { type: NodeType.Document, id: 1, childNodes: [{ type: NodeType.Element, tagName: 'body', attributes: {}, childNodes: children, id: 2 }] }, initialOffset: { top: 0, left: 0 } },
});

beforeEach(() => {
  nodes = new Map();
  Object.defineProperty(window, 'innerHeight', { value: 700, configurable: true });
  Object.defineProperty(window, 'innerWidth', { value: 1000, configurable: true });
});
afterEach(() => vi.restoreAllMocks());

describe('asset capture', () => {
  it('asks for in-view images first, with their displayed size and devicePixelRatio; off-screen ones last', async () => {
    const posted: PageAsset[] = [];
    const capture = createAssetCapture({ win: window, post: (m) => posted.push(m) });
    const event = full([image(10, 'http://cdn.example/far.png', { top: 3000, width: 50, height: 50 }), image(11, 'http://cdn.example/near.png', { top: 10, width: 120, height: 80 })]);
    capture.process(event, { nodeOf, inject: () => undefined });
    expect(posted).toEqual([]); // measured in a task of its own, not while the event is on its way
    await settle();
    expect(posted).toEqual([
      expect.objectContaining({ type: 'fetch', url: 'http://cdn.example/near.png', tier: TIER.visible, width: 120, height: 80, dpr: window.devicePixelRatio || 1 }),
      expect.objectContaining({ type: 'fetch', url: 'http://cdn.example/far.png', tier: TIER.lazy, width: 50, height: 50 }),
    ]);
    capture.stop();
  });

  it('asks once per key; again only when shown 1.5x larger than it was read for', async () => {
    const posted: PageAsset[] = [];
    const capture = createAssetCapture({ win: window, post: (m) => posted.push(m) });
    capture.process(full([image(10, 'http://cdn.example/a.png', { top: 0, width: 40, height: 40 }), image(11, 'http://cdn.example/a.png', { top: 0, width: 50, height: 50 })]), { nodeOf, inject: () => undefined });
    await settle();
    expect(posted.filter((m) => m.type === 'fetch')).toHaveLength(1);
    const grown = { type: EventType.IncrementalSnapshot, timestamp: 2, data: { source: IncrementalSource.Mutation, adds: [{ parentId: 2, nextId: null, node: image(12, 'http://cdn.example/a.png', { top: 0, width: 400, height: 400 }) }], removes: [], texts: [], attributes: [] } } as unknown as eventWithTime;
    capture.process(grown, { nodeOf, inject: () => undefined });
    await settle();
    expect(posted.filter((m) => m.type === 'fetch').map((m) => m.type === 'fetch' && m.width)).toEqual([40, 400]);
    capture.stop();
  });

  it('a new full snapshot re-announces the keys it uses that were asked for before (a new viewer needs them)', async () => {
    const posted: PageAsset[] = [];
    const capture = createAssetCapture({ win: window, post: (m) => posted.push(m) });
    capture.process(full([image(10, 'http://cdn.example/a.png', { top: 0, width: 40, height: 40 })]), { nodeOf, inject: () => undefined });
    await settle();
    posted.length = 0;
    capture.process(full([image(10, 'http://cdn.example/a.png', { top: 0, width: 40, height: 40 }), image(13, 'http://cdn.example/new.png', { top: 0, width: 10, height: 10 })]), { nodeOf, inject: () => undefined });
    expect(posted).toEqual([{ type: 'again', keys: [expect.stringMatching(/^[0-9a-f]{12}_0$/)] }]);
    await settle();
    expect(posted.filter((m) => m.type === 'fetch').map((m) => m.type === 'fetch' && m.url)).toEqual(['http://cdn.example/new.png']);
    capture.stop();
  });

  it('reads a stylesheet rrweb could not inline with CORS and sends it through the recorder as _cssText', async () => {
    const posted: PageAsset[] = [];
    const injected: eventWithTime[] = [];
    const fetchText = vi.fn(async (url: string | URL | Request, _init?: RequestInit) => new Response(String(url).endsWith('site.css') ? '@import "more.css"; .a{background:url(img/a.png)}' : '.b{background:url(b.png)}'));
    const capture = createAssetCapture({ win: window, post: (m) => posted.push(m), fetchText: fetchText as unknown as typeof fetch });
    const link: serializedNodeWithId = { type: NodeType.Element, tagName: 'link', attributes: { rel: 'stylesheet', href: 'http://cdn.example/css/site.css' }, childNodes: [], id: 20 };
    const event = full([link]);
    capture.process(event, { nodeOf, inject: (e) => injected.push(e) });
    expect((link as { attributes: Record<string, unknown> }).attributes.href).toBeUndefined();
    await settle();
    expect(fetchText.mock.calls.map(([url, init]) => [String(url), init?.mode])).toEqual([
      ['http://cdn.example/css/site.css', 'cors'],
      ['http://cdn.example/css/more.css', 'cors'],
    ]);
    expect(injected).toHaveLength(1);
    const css = JSON.stringify(injected[0]);
    expect(css).toContain('"id":20');
    expect(css).toMatch(/_cssText":"\.b\{background:url\(\\"meekijk-asset:\w+\\"\)\}\\n ?\.a\{background:url\(\\"meekijk-asset:\w+\\"\)\}/);
    // Both images, each resolved against its own sheet's URL, asked for too.
    expect(posted.filter((m) => m.type === 'fetch').map((m) => m.type === 'fetch' && m.url).sort()).toEqual(['http://cdn.example/css/b.png', 'http://cdn.example/css/img/a.png']);
    // A new snapshot (a new viewer): the sheet is not read again, its text is sent again, and its images re-announced.
    posted.length = 0;
    const again = full([{ ...link, attributes: { rel: 'stylesheet', href: 'http://cdn.example/css/site.css' } }]);
    capture.process(again, { nodeOf, inject: (e) => injected.push(e) });
    await settle();
    expect(fetchText).toHaveBeenCalledTimes(2);
    expect(injected).toHaveLength(2);
    expect(JSON.stringify(injected[1])).toBe(JSON.stringify({ ...injected[0], timestamp: injected[1]!.timestamp }));
    expect(posted).toEqual([{ type: 'again', keys: expect.arrayContaining([expect.any(String), expect.any(String)]) }]);
    capture.stop();
  });

  it('a stylesheet it may not read (CORS refused) stays without href, and nothing is injected; nothing after stop', async () => {
    const injected: eventWithTime[] = [];
    const capture = createAssetCapture({ win: window, post: () => undefined, fetchText: (() => Promise.reject(new TypeError('Failed to fetch'))) as unknown as typeof fetch });
    capture.process(full([{ type: NodeType.Element, tagName: 'link', attributes: { rel: 'stylesheet', href: 'http://cdn.example/x.css' }, childNodes: [], id: 20 }]), { nodeOf, inject: (e) => injected.push(e) });
    await settle();
    expect(injected).toEqual([]);
    const posted: PageAsset[] = [];
    const stopped = createAssetCapture({ win: window, post: (m) => posted.push(m) });
    stopped.stop();
    stopped.process(full([image(10, 'http://cdn.example/a.png', { top: 0, width: 4, height: 4 })]), { nodeOf, inject: () => undefined });
    stopped.sendBytes('canvas_1', new Uint8Array([1]), 'image/png');
    await settle();
    expect(posted).toEqual([]);
  });

  it('sends page-made bytes (canvas pictures) as a bytes message', () => {
    const posted: PageAsset[] = [];
    const capture = createAssetCapture({ win: window, post: (m) => posted.push(m) });
    capture.sendBytes('canvas_1', new Uint8Array([0x89, 0x50]), 'image/png');
    expect(posted).toEqual([{ type: 'bytes', key: 'canvas_1', mime: 'image/png', data: 'iVA=' }]);
    expect(() => capture.sendBytes('bad key!', new Uint8Array(1), 'image/png')).toThrow(/not an asset key/);
  });
});
