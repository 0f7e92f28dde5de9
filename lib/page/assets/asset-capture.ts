/**
 * The page world's half of "assets travel with the session" (issue 20, docs/replay-assets.md): every
 * finished event gets its URLs replaced by tokens (event-tokens.ts), and for each URL the tab script is
 * asked to read the bytes (lib/tab/assets/asset-fetcher.ts), with the size the element is shown at and
 * whether it is in view, so visible images go first and the rest follow lazily. A new full snapshot (a
 * resync, a new connection, a reloaded viewer) re-announces the keys it uses that were asked for
 * before: the peer host then sends their bytes to a viewer that has not had them.
 *
 * Measuring waits for a task of its own, in slices, so a page with many images gets no long task.
 */
import { EventType, type eventWithTime } from '@rrweb/types';
import type { PageAsset } from '@/lib/protocol/page-bridge';
import { endOfTask } from '@/lib/shared/schedule';
import { createAssetNames, type AssetNames } from './asset-names';
import { tokeniseEvent, type AssetUse } from './event-tokens';
import { readForeignSheet } from './foreign-sheets';
import { sendAssetBytes } from './send-asset';
import type { AssetMimeType } from '@/lib/protocol/assets';

/** Visible images and fonts; CSS images; everything else (off screen, not rendered). */
export const TIER = { visible: 0, css: 1, lazy: 2 } as const;
/** Longest a measuring slice runs before the page gets a turn (well under a 50 ms long task). */
const MEASURE_SLICE_MS = 8;
/** A key is asked for again when it is shown this much larger than the size it was read for. */
const GROWTH = 1.5;

export interface AssetCapture {
  /** Tokenises `event` in place; `inject` sends a later event (a stylesheet read with CORS) through the recorder. */
  process(event: eventWithTime, recording: { nodeOf: (id: number) => Node | null; inject: (event: eventWithTime) => void }): void;
  /** Sends bytes the page world made itself (a canvas picture) as the asset for `key` (send-asset.ts). */
  sendBytes(key: string, bytes: Uint8Array, mime: AssetMimeType): void;
  stop(): void;
}

export interface AssetCaptureOptions {
  win?: Window;
  post: (message: PageAsset) => void;
  names?: AssetNames;
  fetchText?: typeof fetch;
  onError?: (error: unknown) => void;
}

export function createAssetCapture({ win = window, post, names = createAssetNames(), fetchText, onError }: AssetCaptureOptions): AssetCapture {
  /** Per key: the displayed size it was asked for (0 when none was known). */
  const asked = new Map<string, { width: number; height: number }>();
  let pending: Array<AssetUse & { nodeOf: (id: number) => Node | null }> = [];
  let scheduled = false;
  const abort = new AbortController();
  /** Each foreign sheet is read once for the agent's life: a resync's snapshot reuses the text (same tokens). */
  const sheetTexts = new Map<string, Promise<{ cssText: string | null; keys: string[] }>>();
  const request: typeof fetch = (input, init) => (fetchText ?? win.fetch.bind(win))(input, init);

  const measureSome = () => {
    scheduled = false;
    if (abort.signal.aborted) return;
    const deadline = performance.now() + MEASURE_SLICE_MS;
    const out: PageAsset[] = [];
    while (pending.length && performance.now() < deadline) {
      const use = pending.shift()!;
      const { tier, width, height } = measure(use, win);
      const before = asked.get(use.key);
      // Read unscaled before (no size known), or shown at about the size it was read for: nothing to add.
      if (before && (before.width === 0 || !(width > before.width * GROWTH || height > before.height * GROWTH))) continue;
      asked.set(use.key, { width, height });
      out.push({ type: 'fetch', key: use.key, url: use.url, tier, width, height, dpr: win.devicePixelRatio || 1 });
    }
    // Visible first, within what this slice measured; the tab orders across slices by tier too.
    out.sort((a, b) => (a.type === 'fetch' && b.type === 'fetch' ? a.tier - b.tier : 0));
    for (const message of out) post(message);
    if (pending.length) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    endOfTask(measureSome);
  };

  return {
    process(event, { nodeOf, inject }) {
      const { uses, sheets } = tokeniseEvent(event, { names, base: win.document.baseURI, nodeOf });
      if (event.type === EventType.FullSnapshot) {
        const again = [...new Set(uses.filter((u) => asked.has(u.key)).map((u) => u.key))];
        if (again.length) post({ type: 'again', keys: again });
      }
      for (const use of uses) pending.push({ ...use, nodeOf });
      if (pending.length) schedule();
      for (const sheet of sheets) {
        let read = sheetTexts.get(sheet.url);
        const first = !read;
        if (!read) {
          const keys: string[] = [];
          const onUse = (use: AssetUse) => {
            keys.push(use.key);
            pending.push({ ...use, nodeOf });
          };
          read = readForeignSheet(sheet.url, { fetch: request, names, signal: abort.signal, onUse }).then((cssText) => ({ cssText, keys }));
          sheetTexts.set(sheet.url, read);
        }
        read
          .then(({ cssText, keys }) => {
            if (abort.signal.aborted || cssText === null) return;
            // The sheet again in a new snapshot: what it uses, a new viewer needs too.
            const again = first ? [] : [...new Set(keys.filter((k) => asked.has(k)))];
            if (again.length) post({ type: 'again', keys: again });
            schedule();
            inject({
              type: EventType.IncrementalSnapshot,
              timestamp: Date.now(),
              data: { source: 0, adds: [], removes: [], texts: [], attributes: [{ id: sheet.nodeId, attributes: { _cssText: cssText } }] },
            } as eventWithTime);
          })
          .catch(onError);
      }
    },
    sendBytes(key, bytes, mime) {
      if (!abort.signal.aborted) sendAssetBytes(key, bytes, mime, post);
    },
    stop() {
      abort.abort();
      pending = [];
    },
  };
}

/** Where and how large the element that shows `use` is, in CSS pixels. */
function measure(use: AssetUse & { nodeOf: (id: number) => Node | null }, win: Window): { tier: number; width: number; height: number } {
  if (use.nodeId === undefined) return { tier: /\.(woff2?|ttf|otf)(\?|$)/i.test(use.url) ? TIER.visible : TIER.css, width: 0, height: 0 };
  const node = use.nodeOf(use.nodeId);
  if (!node || node.nodeType !== 1) return { tier: TIER.lazy, width: 0, height: 0 };
  const box = (node as Element).getBoundingClientRect();
  const inView = box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0 && box.top < win.innerHeight && box.left < win.innerWidth;
  return { tier: inView ? TIER.visible : TIER.lazy, width: Math.round(box.width), height: Math.round(box.height) };
}
