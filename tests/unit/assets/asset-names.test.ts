/**
 * Asset keys (lib/page/assets/asset-names.ts): one key per URL for the agent's life, whatever form the
 * URL takes in the page; URLs that load nothing from anywhere are left; other schemes are dropped.
 */
import { describe, expect, it } from 'vitest';
import { createAssetNames } from '@/lib/page/assets/asset-names';
import { ASSET_KEY_PATTERN, ASSET_TOKEN_PATTERN } from '@/lib/protocol/assets';

const BASE = 'http://shop.example/products/list.html';

describe('asset names', () => {
  it('gives relative, absolute and protocol-relative forms of one URL the same key, and keeps it', () => {
    const names = createAssetNames('p_');
    const a = names.fate('../img/a.png', BASE);
    const b = names.fate('http://shop.example/img/a.png', BASE);
    const c = names.fate('//shop.example/img/a.png', BASE);
    expect(a.kind).toBe('token');
    if (a.kind !== 'token' || b.kind !== 'token' || c.kind !== 'token') throw new Error('unreachable');
    expect(a.key).toBe(b.key);
    expect(c.key).toBe(a.key);
    expect(a.url).toBe('http://shop.example/img/a.png');
    expect([a.fresh, b.fresh, c.fresh]).toEqual([true, false, false]);
    expect(names.urlOf(a.key)).toBe('http://shop.example/img/a.png');
  });

  it('gives different URLs different keys, and keys of two agents differ (random prefix)', () => {
    const one = createAssetNames();
    const two = createAssetNames();
    const a = one.fate('/a.png', BASE);
    const b = one.fate('/b.png', BASE);
    const a2 = two.fate('/a.png', BASE);
    if (a.kind !== 'token' || b.kind !== 'token' || a2.kind !== 'token') throw new Error('expected tokens');
    expect(a.key).not.toBe(b.key);
    expect(a.key).not.toBe(a2.key);
    for (const key of [a.key, b.key, a2.key]) expect(key).toMatch(ASSET_KEY_PATTERN);
    expect(a.value).toMatch(ASSET_TOKEN_PATTERN);
  });

  it('keeps the fragment after the token (SVG sprites) and keys the URL without it', () => {
    const names = createAssetNames('p_');
    const a = names.fate('sprite.svg#cart', BASE);
    const b = names.fate('sprite.svg#user', BASE);
    if (a.kind !== 'token' || b.kind !== 'token') throw new Error('expected tokens');
    expect(a.key).toBe(b.key);
    expect(a.value).toBe(`meekijk-asset:${a.key}#cart`);
  });

  it('leaves data:, in-document references, tokens and inert schemes; drops other schemes and garbage', () => {
    const names = createAssetNames('p_');
    for (const kept of ['data:image/png;base64,AAAA', '#grad', 'meekijk-asset:abc', 'meekijk-asset:abc#icon', 'javascript:void 0', 'about:blank', '', '  ']) {
      expect(names.fate(kept, BASE).kind, kept).toBe('keep');
    }
    for (const dropped of ['meekijk-asset:../../x', 'meekijk-asset:', 'file:///etc/passwd', 'ftp://x/y', 'chrome-extension://abc/x.png', 'http://[bad']) {
      expect(names.fate(dropped, BASE).kind, dropped).toBe('drop');
    }
    expect(names.fate('blob:http://shop.example/uuid', BASE).kind).toBe('token');
  });

  it('drops URLs past the cap rather than growing without end', () => {
    const names = createAssetNames('p_', 3);
    expect(['/1', '/2', '/3', '/4'].map((u) => names.fate(u, BASE).kind)).toEqual(['token', 'token', 'token', 'drop']);
    expect(names.fate('/1', BASE).kind).toBe('token');
  });
});
