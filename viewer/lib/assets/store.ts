/**
 * The session page's assets (issue 20): the bytes the customer's side sent for the replay, as `blob:` URLs
 * of the viewer's own origin. Keys name URLs of the recording; hashes name bytes, so the same picture under
 * two keys is one blob. Everything here comes from the customer's extension and is untrusted (invariant 7):
 * the bytes must hash to the sha-256 they claim, or the key is shown as missing (a placeholder), never as
 * other bytes. Kept for the life of the session page, revoked on stop, and capped in memory: past the cap a
 * key is shown as missing and the technician is told why.
 */
import type { AssetMessage } from '@/lib/protocol/assets';
import type { AssetLookup, AssetState } from './urls';

/** All bytes kept for one session page (a shop page's photos at their displayed size are a few MiB). */
export const DEFAULT_MAX_ASSET_BYTES = 256 * 1024 * 1024;

export interface AssetStore {
  /** Takes one `asset` message (checked against the wire schema already). Messages are handled in order. */
  receive(message: AssetMessage): Promise<void>;
  /** What is known of a key now: its blob: URL, missing, or undefined (not yet). */
  readonly lookup: AssetLookup;
  /** The key's blob: URL once its bytes arrived and were checked. */
  urlOf(key: string): string | undefined;
  /** Calls back once the key is resolved (at once if it is already); returns a function that cancels. */
  onReady(key: string, callback: (state: Exclude<AssetState, undefined>) => void): () => void;
  /** Calls back for every key that gets resolved. */
  onResolved(callback: (key: string) => void): () => void;
  /** Bytes kept now, and counts for the status line and tests. */
  readonly stats: { bytes: number; blobs: number; keys: number; refused: number };
  /** Revokes every blob: URL; nothing is kept after. */
  stop(): void;
}

export interface AssetStoreOptions {
  maxBytes?: number;
  /** Called once, when the first asset is refused for the cap. */
  onOverLimit?: (maxBytes: number) => void;
}

export function createAssetStore(options: AssetStoreOptions = {}): AssetStore {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_ASSET_BYTES;
  const blobs = new Map<string, { url: string; size: number }>();
  const keys = new Map<string, Exclude<AssetState, undefined>>();
  const waiting = new Map<string, Set<(state: Exclude<AssetState, undefined>) => void>>();
  const listeners = new Set<(key: string) => void>();
  const stats = { bytes: 0, blobs: 0, keys: 0, refused: 0 };
  let told = false;
  let stopped = false;
  let queue: Promise<void> = Promise.resolve();

  const resolve = (key: string, state: Exclude<AssetState, undefined>) => {
    if (stopped || keys.has(key)) return;
    keys.set(key, state);
    stats.keys = keys.size;
    for (const callback of waiting.get(key) ?? []) callback(state);
    waiting.delete(key);
    for (const listener of listeners) listener(key);
  };
  const refuse = (key: string, why: string) => {
    stats.refused++;
    console.warn(`meekijk: asset ${key} refused: ${why}`);
    resolve(key, 'missing');
  };

  const handle = async (message: AssetMessage) => {
    const { key } = message;
    if (keys.has(key)) return; // a key is resolved once: its first answer stays
    if (message.missing !== undefined) return resolve(key, 'missing');
    const hash = message.hash!;
    if (message.data === undefined) {
      // Bytes sent earlier on this connection. Unknown: never sent, or refused then.
      const known = blobs.get(hash);
      return known ? resolve(key, { url: known.url }) : refuse(key, `no bytes were received for hash ${hash}`);
    }
    const known = blobs.get(hash);
    if (known) return resolve(key, { url: known.url });
    const bytes = fromBase64(message.data);
    const actual = await sha256Hex(bytes);
    if (stopped) return;
    if (actual !== hash) return refuse(key, `the bytes hash to ${actual}, not to the ${hash} they claim`);
    if (stats.bytes + bytes.byteLength > maxBytes) {
      if (!told) options.onOverLimit?.(maxBytes);
      told = true;
      return refuse(key, `the session's assets would pass ${maxBytes} bytes`);
    }
    const url = URL.createObjectURL(new Blob([bytes], { type: message.mime! }));
    blobs.set(hash, { url, size: bytes.byteLength });
    stats.bytes += bytes.byteLength;
    stats.blobs = blobs.size;
    resolve(key, { url });
  };

  return {
    receive(message) {
      queue = queue.then(() => handle(message)).catch((error: unknown) => refuse(message.key, error instanceof Error ? error.message : String(error)));
      return queue;
    },
    lookup: (key) => keys.get(key),
    urlOf(key) {
      const state = keys.get(key);
      return typeof state === 'object' ? state.url : undefined;
    },
    onReady(key, callback) {
      const state = keys.get(key);
      if (state !== undefined) {
        callback(state);
        return () => undefined;
      }
      const set = waiting.get(key) ?? new Set();
      set.add(callback);
      waiting.set(key, set);
      return () => set.delete(callback);
    },
    onResolved(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    stats,
    stop() {
      stopped = true;
      for (const { url } of blobs.values()) URL.revokeObjectURL(url);
      blobs.clear();
      keys.clear();
      waiting.clear();
      listeners.clear();
      stats.bytes = 0;
      stats.blobs = 0;
      stats.keys = 0;
    },
  };
}

function fromBase64(data: string): Uint8Array<ArrayBuffer> {
  const text = atob(data);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
