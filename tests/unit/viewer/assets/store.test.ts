/**
 * The viewer's asset store (issue 20): bytes are kept only when they hash to the sha-256 they claim; the
 * same bytes under two keys are one blob; a hash alone names bytes sent before; the cap refuses and says so
 * once; stop revokes every blob: URL. Each case's bytes carry a sentinel of their own.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAssetStore, type AssetStore } from '@/viewer/lib/assets/store';
import type { AssetMessage } from '@/lib/protocol/assets';

const bytes = (label: string) => Buffer.from(`png-bytes-${label}-${randomUUID()}`);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const message = (key: string, b: Buffer): AssetMessage => ({ type: 'asset', key, hash: sha(b), mime: 'image/png', data: b.toString('base64') });

let store: AssetStore | undefined;
afterEach(() => {
  store?.stop();
  store = undefined;
  vi.restoreAllMocks();
});

describe('asset store', () => {
  it('keeps checked bytes as a blob: URL with their type and calls back who waits', async () => {
    store = createAssetStore();
    const b = bytes('a');
    const ready = vi.fn();
    store.onReady('k1', ready);
    await store.receive(message('k1', b));
    const url = store.urlOf('k1')!;
    expect(url).toMatch(/^blob:/);
    expect(ready).toHaveBeenCalledWith({ url });
    const blob = await (await fetch(url)).blob();
    expect(blob.type).toBe('image/png');
    expect(Buffer.from(await blob.arrayBuffer())).toEqual(b);
  });

  it('refuses bytes whose hash is not what they claim: the key is missing, nothing is kept', async () => {
    store = createAssetStore();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const b = bytes('b');
    await store.receive({ ...message('k1', b), hash: sha(bytes('other')) });
    expect(store.lookup('k1')).toBe('missing');
    expect(store.urlOf('k1')).toBeUndefined();
    expect(store.stats).toMatchObject({ bytes: 0, blobs: 0, refused: 1 });
    expect(warn.mock.calls[0]?.join(' ')).toMatch(/hash to .* not to the/);
    // Nor can the real bytes be named by the claimed hash afterwards.
    await store.receive({ type: 'asset', key: 'k2', hash: sha(b) });
    expect(store.lookup('k2')).toBe('missing');
  });

  it('keeps one blob for the same bytes under two keys, and a hash alone names bytes sent before', async () => {
    store = createAssetStore();
    const b = bytes('c');
    await store.receive(message('k1', b));
    await store.receive(message('k2', b));
    await store.receive({ type: 'asset', key: 'k3', hash: sha(b) });
    expect(store.urlOf('k2')).toBe(store.urlOf('k1'));
    expect(store.urlOf('k3')).toBe(store.urlOf('k1'));
    expect(store.stats).toMatchObject({ blobs: 1, keys: 3, bytes: b.length });
  });

  it('shows a key announced missing as missing, and keeps a key\'s first answer', async () => {
    store = createAssetStore();
    await store.receive({ type: 'asset', key: 'k1', missing: 'unreadable' });
    await store.receive(message('k1', bytes('d')));
    expect(store.lookup('k1')).toBe('missing');
    expect(store.stats.blobs).toBe(0);
  });

  it('handles messages in order even while a digest is running', async () => {
    store = createAssetStore();
    const b = bytes('e');
    void store.receive(message('k1', b));
    await store.receive({ type: 'asset', key: 'k2', hash: sha(b) });
    expect(store.urlOf('k2')).toBe(store.urlOf('k1'));
  });

  it('refuses past the memory cap, says so once, and keeps what it had', async () => {
    const over = vi.fn();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const a = bytes('f');
    store = createAssetStore({ maxBytes: a.length + 10, onOverLimit: over });
    await store.receive(message('k1', a));
    await store.receive(message('k2', bytes('g')));
    await store.receive(message('k3', bytes('h')));
    expect(store.urlOf('k1')).toMatch(/^blob:/);
    expect(store.lookup('k2')).toBe('missing');
    expect(store.lookup('k3')).toBe('missing');
    expect(over).toHaveBeenCalledTimes(1);
    expect(over).toHaveBeenCalledWith(a.length + 10);
  });

  it('revokes every blob: URL on stop', async () => {
    store = createAssetStore();
    const revoke = vi.spyOn(URL, 'revokeObjectURL');
    await store.receive(message('k1', bytes('i')));
    await store.receive(message('k2', bytes('j')));
    const urls = [store.urlOf('k1'), store.urlOf('k2')];
    store.stop();
    expect(revoke.mock.calls.map((c) => c[0]).sort()).toEqual([...urls].sort());
    await expect(fetch(urls[0]!)).rejects.toThrow();
    expect(store.lookup('k1')).toBeUndefined();
    await store.receive(message('k3', bytes('k')));
    expect(store.urlOf('k3')).toBeUndefined();
  });
});
