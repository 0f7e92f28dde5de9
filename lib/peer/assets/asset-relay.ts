/**
 * Passes the assets the tab read onto the wire (issue 20, docs/replay-assets.md), in the peer host.
 *
 * - Per connection, a hash's bytes go once; another key with the same bytes, or the same key again,
 *   goes as the hash alone. A new connection (a reconnect, the technician's viewer reloaded) starts
 *   afresh: the page re-announces the keys its new snapshot uses (`asset-again`), and their bytes come
 *   from the cache here, not from the customer's sites again.
 * - Events first: an asset is handed to the wire only while the link's queue and the channel's buffer
 *   hold at most ASSET_IDLE_BYTES, so an event waits behind at most that and one asset, never behind a
 *   page's worth of photos. The deflate stream
 *   keeps messages in order, so a message cannot be split between others (lib/shared/transport/codec.ts).
 * - Prepared one at a time, in the order the tab sent them (in view first).
 */
import type { AssetMessage } from '@/lib/protocol/assets';
import type { TabAsset } from '@/lib/protocol/tab-port';
import { prepareAsset, type PreparedAsset } from './asset-prepare';

export interface AssetLink {
  send(message: AssetMessage): void;
  /** Changes with every new connection: what was sent on the last one does not count. */
  readonly generation: number;
  /** Bytes not yet on the network: the link's own queue and the data channel's buffer. */
  readonly queuedBytes: number;
}

export interface AssetRelayOptions {
  /** The open link, or undefined while there is none (assets wait). */
  link: () => AssetLink | undefined;
  prepare?: (message: Extract<TabAsset, { type: 'asset-bytes' }>) => Promise<PreparedAsset>;
  /** Bytes kept for re-sending to a new connection; the oldest go first past it. */
  cacheBytes?: number;
  /** An asset goes while the link has at most this much queued. */
  idleBytes?: number;
  retryMs?: number;
  onError?: (error: unknown) => void;
}

export interface AssetRelay {
  accept(message: TabAsset): void;
  stop(): void;
}

export const ASSET_CACHE_BYTES = 128 * 1024 * 1024;
export const ASSET_IDLE_BYTES = 64 * 1024;

type Entry = { hash: string } | { missing: AssetMessage['missing'] & string };

export function createAssetRelay({ link, prepare = prepareAsset, cacheBytes = ASSET_CACHE_BYTES, idleBytes = ASSET_IDLE_BYTES, retryMs = 20, onError }: AssetRelayOptions): AssetRelay {
  const byKey = new Map<string, Entry>();
  const bytes = new Map<string, { mime: NonNullable<AssetMessage['mime']>; data: string; size: number }>();
  let cached = 0;
  const queue = new Set<string>();
  let sent = { generation: -1, hashes: new Set<string>() };
  let preparing: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const remember = (prepared: PreparedAsset) => {
    if ('missing' in prepared) {
      byKey.set(prepared.key, { missing: prepared.missing });
    } else {
      byKey.set(prepared.key, { hash: prepared.hash });
      if (!bytes.has(prepared.hash)) {
        bytes.set(prepared.hash, { mime: prepared.mime, data: prepared.data, size: prepared.bytes });
        cached += prepared.bytes;
        for (const [hash, item] of bytes) {
          if (cached <= cacheBytes || hash === prepared.hash) break;
          bytes.delete(hash);
          cached -= item.size;
        }
      }
    }
    queue.delete(prepared.key);
    queue.add(prepared.key);
  };
  const messageFor = (key: string): AssetMessage | undefined => {
    const entry = byKey.get(key);
    if (!entry) return undefined;
    if ('missing' in entry) return { type: 'asset', key, missing: entry.missing };
    if (sent.hashes.has(entry.hash)) return { type: 'asset', key, hash: entry.hash };
    const item = bytes.get(entry.hash);
    // Dropped from the cache (a session past ASSET_CACHE_BYTES): the replay shows its placeholder.
    if (!item) return { type: 'asset', key, missing: 'failed' };
    sent.hashes.add(entry.hash);
    return { type: 'asset', key, hash: entry.hash, mime: item.mime, data: item.data };
  };
  const pump = () => {
    timer = undefined;
    if (stopped || queue.size === 0) return;
    const open = link();
    if (open) {
      if (open.generation !== sent.generation) sent = { generation: open.generation, hashes: new Set() };
      for (const key of queue) {
        if (open.queuedBytes > idleBytes) break;
        queue.delete(key);
        const message = messageFor(key);
        if (message) open.send(message);
      }
    }
    if (queue.size > 0) timer = setTimeout(pump, retryMs);
  };
  const kick = () => {
    if (timer === undefined) pump();
  };

  return {
    accept(message) {
      if (stopped) return;
      if (message.type === 'asset-again') {
        for (const key of message.keys) if (byKey.has(key)) queue.add(key);
        kick();
      } else if (message.type === 'asset-missing') {
        remember({ key: message.key, missing: message.reason });
        kick();
      } else {
        preparing = preparing
          .then(() => prepare(message))
          .then((prepared) => {
            if (stopped) return;
            remember(prepared);
            kick();
          })
          .catch((error: unknown) => {
            onError?.(error);
            if (!stopped) remember({ key: message.key, missing: 'failed' });
            kick();
          });
      }
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      queue.clear();
      byKey.clear();
      bytes.clear();
    },
  };
}
