/**
 * Reads the bytes of the assets the recorded events name (issue 20, docs/replay-assets.md), in the
 * isolated content script of the shared tab, and hands them to the peer host on the events port.
 *
 * Why here and not in the page world: the page's CSP (connect-src) does not apply to an isolated
 * world's requests in Chrome, so a page that allows its images but not fetch() still gets them sent;
 * the page cannot see or patch these requests either. The request is the page's own as far as the
 * servers can tell: same-origin with the customer's cookies (intranet and login-only images work),
 * cross-origin only where CORS allows it (credentials: same-origin; Chrome's content scripts make
 * cross-origin requests as the page). Firefox: see docs/replay-assets.md.
 *
 * The work in the page's main thread is the fetch and the base64 of the bytes (FileReader, off the
 * thread); decoding, scaling and hashing happen in the peer host, outside the customer's page.
 * In view first (tier 0), then fonts and CSS images, then the rest, a few at a time.
 */
import type { PageAsset } from '@/lib/protocol/page-bridge';
import { MAX_SOURCE_BYTES } from '@/lib/protocol/page-bridge';
import type { TabAsset } from '@/lib/protocol/tab-port';
import type { AssetMissingReason } from '@/lib/protocol/assets';
import { toBase64 } from '@/lib/shared/base64';

export const FETCH_CONCURRENCY = 3;

type FetchRequest = Extract<PageAsset, { type: 'fetch' }>;

export interface AssetFetcherOptions {
  win?: Window;
  send: (message: TabAsset) => void;
  fetch?: typeof fetch;
  concurrency?: number;
}

export interface AssetFetcher {
  handle(message: PageAsset): void;
  stop(): void;
}

export function createAssetFetcher({ win = window, send, fetch: fetchImpl, concurrency = FETCH_CONCURRENCY }: AssetFetcherOptions): AssetFetcher {
  // Looked up when used: the window's fetch as it is then (and a window without one fails only a read).
  const doFetch: typeof fetch = (input, init) => (fetchImpl ?? win.fetch.bind(win))(input, init);
  const tiers: FetchRequest[][] = [[], [], []];
  let running = 0;
  const abort = new AbortController();

  const next = () => {
    while (running < concurrency && !abort.signal.aborted) {
      const request = tiers.find((t) => t.length > 0)?.shift();
      if (!request) return;
      running++;
      void read(request).finally(() => {
        running--;
        next();
      });
    }
  };
  const missing = (key: string, reason: AssetMissingReason) => {
    if (!abort.signal.aborted) send({ type: 'asset-missing', key, reason });
  };
  const read = async (request: FetchRequest) => {
    const { key, width, height, dpr } = request;
    if (!readable(request.url, win.location.origin)) return missing(key, 'unreadable');
    let data: string;
    try {
      const response = await doFetch(request.url, { mode: 'cors', credentials: 'same-origin', cache: 'force-cache', signal: abort.signal });
      if (!response.ok) return missing(key, 'failed');
      const declared = Number(response.headers.get('content-length') ?? 0);
      if (declared > MAX_SOURCE_BYTES) return missing(key, 'too-large');
      const blob = await response.blob();
      if (blob.size > MAX_SOURCE_BYTES) return missing(key, 'too-large');
      data = await blobToBase64(blob);
    } catch (error) {
      if (abort.signal.aborted) return;
      // A TypeError is what fetch gives for CORS refusals and network errors alike.
      return missing(key, error instanceof TypeError ? 'unreadable' : 'failed');
    }
    if (!abort.signal.aborted) send({ type: 'asset-bytes', key, data, width, height, dpr });
  };

  return {
    handle(message) {
      if (abort.signal.aborted) return;
      if (message.type === 'fetch') {
        tiers[message.tier]!.push(message);
        next();
      } else if (message.type === 'bytes') {
        send({ type: 'asset-bytes', key: message.key, data: message.data, mime: message.mime });
      } else {
        send({ type: 'asset-again', keys: message.keys });
      }
    },
    stop() {
      abort.abort();
      for (const tier of tiers) tier.length = 0;
    },
  };
}

/** http(s) anywhere (the browser applies CORS), blob: only the page's own. */
export function readable(url: string, pageOrigin: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return true;
  return parsed.protocol === 'blob:' && new URL(parsed.pathname).origin === pageOrigin;
}

async function blobToBase64(blob: Blob): Promise<string> {
  if (typeof FileReader === 'undefined') return toBase64(new Uint8Array(await blob.arrayBuffer()));
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(blob);
  });
}
