/**
 * The peer host's asset relay (lib/peer/assets/asset-relay.ts): bytes of a hash once per connection,
 * the hash alone afterwards, everything again on a new connection when the page re-announces it, and
 * assets only while the link has nothing of its own queued (events first).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAssetRelay, type AssetLink } from '@/lib/peer/assets/asset-relay';
import type { PreparedAsset } from '@/lib/peer/assets/asset-prepare';
import type { AssetMessage } from '@/lib/protocol/assets';
import { assetMessage } from '@/lib/protocol/assets';
import type { TabAsset } from '@/lib/protocol/tab-port';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

/** Prepares `asset-bytes` whose data names the hash to use: 'A' or 'B'. */
const prepare = async (m: Extract<TabAsset, { type: 'asset-bytes' }>): Promise<PreparedAsset> => ({
  key: m.key,
  hash: m.data.startsWith('A') ? HASH_A : HASH_B,
  mime: 'image/png',
  data: m.data,
  bytes: m.data.length,
});

function fakeLink() {
  const sent: AssetMessage[] = [];
  const link = { generation: 1, queuedBytes: 0, send: (m: AssetMessage) => void sent.push(m) };
  return { link, sent };
}
const bytes = (key: string, data: string): TabAsset => ({ type: 'asset-bytes', key, data });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => vi.useRealTimers());

describe('asset relay', () => {
  it('sends a hash’s bytes once per connection, the hash alone for other keys with the same bytes', async () => {
    const { link, sent } = fakeLink();
    const relay = createAssetRelay({ link: () => link, prepare });
    relay.accept(bytes('k1', 'AAAA'));
    relay.accept(bytes('k2', 'AAAA'));
    relay.accept(bytes('k3', 'BBBB'));
    await settle();
    expect(sent).toEqual([
      { type: 'asset', key: 'k1', hash: HASH_A, mime: 'image/png', data: 'AAAA' },
      { type: 'asset', key: 'k2', hash: HASH_A },
      { type: 'asset', key: 'k3', hash: HASH_B, mime: 'image/png', data: 'BBBB' },
    ]);
    for (const message of sent) expect(assetMessage.safeParse(message).success).toBe(true);
    relay.stop();
  });

  it('a new connection gets the bytes again when the page re-announces the keys (from the cache, not the tab)', async () => {
    const { link, sent } = fakeLink();
    const prepareSpy = vi.fn(prepare);
    const relay = createAssetRelay({ link: () => link, prepare: prepareSpy });
    relay.accept(bytes('k1', 'AAAA'));
    relay.accept(bytes('k2', 'AAAA'));
    await settle();
    sent.length = 0;
    // Same connection, a resync: hashes only.
    relay.accept({ type: 'asset-again', keys: ['k1', 'k2', 'unknown'] });
    expect(sent).toEqual([
      { type: 'asset', key: 'k1', hash: HASH_A },
      { type: 'asset', key: 'k2', hash: HASH_A },
    ]);
    sent.length = 0;
    link.generation = 2;
    relay.accept({ type: 'asset-again', keys: ['k2', 'k1'] });
    expect(sent).toEqual([
      { type: 'asset', key: 'k2', hash: HASH_A, mime: 'image/png', data: 'AAAA' },
      { type: 'asset', key: 'k1', hash: HASH_A },
    ]);
    expect(prepareSpy).toHaveBeenCalledTimes(2);
    relay.stop();
  });

  it('passes on what the tab could not read', async () => {
    const { link, sent } = fakeLink();
    const relay = createAssetRelay({ link: () => link, prepare });
    relay.accept({ type: 'asset-missing', key: 'k9', reason: 'unreadable' });
    expect(sent).toEqual([{ type: 'asset', key: 'k9', missing: 'unreadable' }]);
    relay.stop();
  });

  it('waits while the link has its own messages queued, and while there is no link', async () => {
    vi.useFakeTimers();
    const { link, sent } = fakeLink();
    let open: AssetLink | undefined;
    const relay = createAssetRelay({ link: () => open, prepare, retryMs: 50 });
    relay.accept(bytes('k1', 'AAAA'));
    relay.accept(bytes('k2', 'BBBB'));
    await vi.advanceTimersByTimeAsync(200);
    expect(sent).toEqual([]);
    open = link;
    link.queuedBytes = 500_000;
    await vi.advanceTimersByTimeAsync(200);
    expect(sent).toEqual([]);
    link.queuedBytes = 0;
    await vi.advanceTimersByTimeAsync(60);
    // One asset per pump while the link then has it queued (a real link's queue grows with each send).
    expect(sent.map((m) => m.key)).toEqual(['k1', 'k2']);
    relay.stop();
  });

  it('an event batch never waits behind more than one asset: after each asset, the link must drain again', async () => {
    vi.useFakeTimers();
    const sent: AssetMessage[] = [];
    const link = { generation: 1, queuedBytes: 0, send: (m: AssetMessage) => void (sent.push(m), (link.queuedBytes += 100_000)) };
    const relay = createAssetRelay({ link: () => link, prepare, retryMs: 50 });
    for (let i = 0; i < 5; i++) relay.accept(bytes(`k${i}`, i % 2 ? 'AAAA' : 'BBBB'));
    await vi.advanceTimersByTimeAsync(10);
    expect(sent).toHaveLength(1);
    link.queuedBytes = 0;
    await vi.advanceTimersByTimeAsync(60);
    expect(sent).toHaveLength(2);
    relay.stop();
  });

  it('past the cache, the oldest bytes go: a later connection is told they are missing rather than kept forever', async () => {
    const { link, sent } = fakeLink();
    const relay = createAssetRelay({ link: () => link, prepare, cacheBytes: 6 });
    relay.accept(bytes('k1', 'AAAA'));
    relay.accept(bytes('k2', 'BBBB'));
    await settle();
    sent.length = 0;
    link.generation = 2;
    relay.accept({ type: 'asset-again', keys: ['k1', 'k2'] });
    expect(sent).toEqual([
      { type: 'asset', key: 'k1', missing: 'failed' },
      { type: 'asset', key: 'k2', hash: HASH_B, mime: 'image/png', data: 'BBBB' },
    ]);
    relay.stop();
  });

  it('a failure to prepare is sent as missing, and nothing is sent after stop', async () => {
    const { link, sent } = fakeLink();
    const relay = createAssetRelay({ link: () => link, prepare: () => Promise.reject(new Error('boom')), onError: () => undefined });
    relay.accept(bytes('k1', 'AAAA'));
    await settle();
    expect(sent).toEqual([{ type: 'asset', key: 'k1', missing: 'failed' }]);
    relay.stop();
    relay.accept({ type: 'asset-missing', key: 'k2', reason: 'failed' });
    expect(sent).toHaveLength(1);
  });
});
