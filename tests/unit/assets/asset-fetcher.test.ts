/**
 * The tab script's reader (lib/tab/assets/asset-fetcher.ts): in view first, a few at a time, the
 * customer's cookies on its own origin only, and a reason for everything it could not read.
 */
import { describe, expect, it } from 'vitest';
import { createAssetFetcher, readable } from '@/lib/tab/assets/asset-fetcher';
import type { TabAsset } from '@/lib/protocol/tab-port';
import { MAX_SOURCE_BYTES, type PageAsset } from '@/lib/protocol/page-bridge';
import { fromBase64 } from '@/lib/shared/base64';

const win = { location: { origin: 'http://shop.example' } } as unknown as Window;
const request = (key: string, url: string, tier = 0): PageAsset => ({ type: 'fetch', key, url, tier, width: 10, height: 10, dpr: 2 });
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('asset fetcher', () => {
  it('reads in tier order, at most `concurrency` at once, with credentials only for the same origin', async () => {
    const order: string[] = [];
    const inits: RequestInit[] = [];
    let running = 0;
    let most = 0;
    const fetch = (async (url: string, init: RequestInit) => {
      order.push(url);
      inits.push(init);
      most = Math.max(most, ++running);
      await settle();
      running--;
      return new Response(new Uint8Array([1, 2, 3]));
    }) as unknown as typeof globalThis.fetch;
    const sent: TabAsset[] = [];
    const fetcher = createAssetFetcher({ win, send: (m) => sent.push(m), fetch, concurrency: 2 });
    fetcher.handle(request('a', 'http://shop.example/lazy.png', 2));
    fetcher.handle(request('b', 'http://shop.example/css.png', 1));
    fetcher.handle(request('e', 'http://shop.example/lazy2.png', 2));
    fetcher.handle(request('c', 'http://shop.example/v1.png', 0));
    fetcher.handle(request('d', 'http://cdn.example/v2.png', 0));
    for (let i = 0; i < 6; i++) await settle();
    // The first two started at once (free slots); of those that waited, the visible ones went first.
    expect(order).toEqual(['http://shop.example/lazy.png', 'http://shop.example/css.png', 'http://shop.example/v1.png', 'http://cdn.example/v2.png', 'http://shop.example/lazy2.png']);
    expect(most).toBe(2);
    for (const init of inits) expect(init).toMatchObject({ mode: 'cors', credentials: 'same-origin' });
    const first = sent.find((m) => m.type === 'asset-bytes' && m.key === 'c');
    expect(first).toMatchObject({ type: 'asset-bytes', width: 10, height: 10, dpr: 2 });
    if (first?.type === 'asset-bytes') expect([...fromBase64(first.data)]).toEqual([1, 2, 3]);
  });

  it('missing: unreadable for CORS refusals and other schemes, failed for HTTP errors, too-large past the cap', async () => {
    const fetch = (async (url: string) => {
      if (url.includes('cors')) throw new TypeError('Failed to fetch');
      if (url.includes('404')) return new Response('no', { status: 404 });
      return new Response('x', { headers: { 'content-length': String(MAX_SOURCE_BYTES + 1) } });
    }) as unknown as typeof globalThis.fetch;
    const sent: TabAsset[] = [];
    const fetcher = createAssetFetcher({ win, send: (m) => sent.push(m), fetch });
    fetcher.handle(request('a', 'http://cdn.example/cors.png'));
    fetcher.handle(request('b', 'http://shop.example/404.png'));
    fetcher.handle(request('c', 'http://shop.example/huge.png'));
    fetcher.handle(request('d', 'file:///etc/passwd'));
    await settle();
    expect(sent.sort((x, y) => ('key' in x && 'key' in y ? x.key.localeCompare(y.key) : 0))).toEqual([
      { type: 'asset-missing', key: 'a', reason: 'unreadable' },
      { type: 'asset-missing', key: 'b', reason: 'failed' },
      { type: 'asset-missing', key: 'c', reason: 'too-large' },
      { type: 'asset-missing', key: 'd', reason: 'unreadable' },
    ]);
  });

  it('passes page-made bytes and re-announcements on; nothing after stop', async () => {
    const sent: TabAsset[] = [];
    const fetcher = createAssetFetcher({ win, send: (m) => sent.push(m), fetch: (() => Promise.reject(new Error('no'))) as unknown as typeof fetch });
    fetcher.handle({ type: 'bytes', key: 'cv', mime: 'image/png', data: 'AAAA' });
    fetcher.handle({ type: 'again', keys: ['a', 'b'] });
    expect(sent).toEqual([
      { type: 'asset-bytes', key: 'cv', data: 'AAAA', mime: 'image/png' },
      { type: 'asset-again', keys: ['a', 'b'] },
    ]);
    fetcher.stop();
    fetcher.handle(request('z', 'http://shop.example/z.png'));
    await settle();
    expect(sent).toHaveLength(2);
  });

  it('reads http(s) anywhere, blob: of the page’s own origin only', () => {
    expect(readable('https://cdn.example/a.png', 'http://shop.example')).toBe(true);
    expect(readable('blob:http://shop.example/1234', 'http://shop.example')).toBe(true);
    expect(readable('blob:http://other.example/1234', 'http://shop.example')).toBe(false);
    for (const other of ['chrome-extension://x/a.png', 'moz-extension://x/a', 'file:///a', 'data:image/png,', 'nonsense']) expect(readable(other, 'http://shop.example')).toBe(false);
  });
});
