/**
 * Canvas drawings (charts) as still pictures, about two a second (issue 20, docs/replay-assets.md).
 *
 * Every SAMPLE_MS, while the tab is visible: each canvas that rrweb recorded, that no blocking rule
 * covers, and that is on screen gets a cheap fingerprint (the canvas drawn down to 16 x 16 pixels); only
 * when that differs from the last one sent is the canvas drawn at its displayed size and encoded, and the
 * picture sent as an asset with an event naming the canvas. A hidden tab, a canvas off screen, blocked or
 * unchanged costs nothing beyond its box. A canvas the page cannot read (tainted by another site's image)
 * stays blank in the replay.
 *
 * Why not rrweb's recordCanvas: it records every drawing call (or, sampled, a data: URL per frame) in a
 * Web Worker started from a blob: URL, which a strict site CSP refuses, and its replay runs scripts in
 * the replay frame, which the viewer's sandbox forbids (invariant 8). Pictures need neither.
 */
import type { AssetMimeType } from '@/lib/protocol/assets';

export const SAMPLE_MS = 500;
/** The fingerprint's size: enough to see a chart's bars move, 1 KiB of pixels to read. */
const PRINT_SIZE = 16;
/** Pictures are at most this many pixels wide or high (a full-screen canvas on a 4K screen is scaled down). */
const MAX_SIDE = 2048;

export interface Box {
  width: number;
  height: number;
  top: number;
  left: number;
}

export interface CanvasSamplerDeps {
  /** The page's canvases (open shadow roots included). */
  canvases(): HTMLCanvasElement[];
  /** rrweb's id for the canvas; -1 or less when it is not (or not yet) recorded. */
  idOf(canvas: HTMLCanvasElement): number;
  /** Whether a blocking rule covers the canvas (data-meekijk-block, a site rule, a part the customer hid). */
  isBlocked(canvas: HTMLCanvasElement): boolean;
  /** Whether the canvas is rendered (not display: none, visibility: hidden or in a closed <details>). */
  isRendered(canvas: HTMLCanvasElement): boolean;
  boxOf(canvas: HTMLCanvasElement): Box;
  viewport(): { width: number; height: number };
  hidden(): boolean;
  /** A short summary of the pixels; null when the canvas cannot be read. */
  fingerprint(canvas: HTMLCanvasElement): string | null;
  /** The canvas drawn at `width` x `height` and encoded; null when it cannot be read. */
  picture(canvas: HTMLCanvasElement, width: number, height: number): Promise<{ bytes: Uint8Array; mime: AssetMimeType } | null>;
  /** Sends the picture's bytes as the asset `key`, then the event that shows it on canvas `id`. */
  send(id: number, key: string, bytes: Uint8Array, mime: AssetMimeType): void;
  every(ms: number, fn: () => void): () => void;
  onError?(error: unknown): void;
}

export interface CanvasSampler {
  /** One round now (the timer calls it every SAMPLE_MS). */
  sample(): Promise<void>;
  /** A new full snapshot: the replay's canvases are blank again, every visible one is sent anew. */
  reset(): void;
  stop(): void;
}

export function createCanvasSampler(deps: CanvasSamplerDeps): CanvasSampler {
  const sent = new WeakMap<HTMLCanvasElement, string>();
  const busy = new WeakSet<HTMLCanvasElement>();
  let pictures = 0;
  let stopped = false;
  /** Keys are unique in the recording: a new picture is a new key (an old one may still be on its way). */
  const prefix = `cv${Math.random().toString(36).slice(2, 8)}`;

  const visible = (box: Box, view: { width: number; height: number }) =>
    box.width >= 1 && box.height >= 1 && box.left < view.width && box.top < view.height && box.left + box.width > 0 && box.top + box.height > 0;

  const take = async (canvas: HTMLCanvasElement, id: number, box: Box, print: string) => {
    busy.add(canvas);
    try {
      const scale = Math.min(1, MAX_SIDE / Math.max(box.width, box.height));
      const shot = await deps.picture(canvas, Math.max(1, Math.round(box.width * scale)), Math.max(1, Math.round(box.height * scale)));
      if (!shot || stopped) return;
      sent.set(canvas, print);
      deps.send(id, `${prefix}-${id}-${++pictures}`, shot.bytes, shot.mime);
    } finally {
      busy.delete(canvas);
    }
  };

  const sample = async () => {
    if (stopped || deps.hidden()) return;
    const view = deps.viewport();
    const work: Promise<void>[] = [];
    for (const canvas of deps.canvases()) {
      try {
        const id = deps.idOf(canvas);
        // Blocked: checked before anything of the canvas is read.
        if (id <= 0 || busy.has(canvas) || deps.isBlocked(canvas)) continue;
        const box = deps.boxOf(canvas);
        if (!visible(box, view) || !deps.isRendered(canvas)) continue;
        const print = deps.fingerprint(canvas);
        if (print === null || print === sent.get(canvas)) continue;
        work.push(take(canvas, id, box, print).catch((error) => deps.onError?.(error)));
      } catch (error) {
        deps.onError?.(error);
      }
    }
    await Promise.all(work);
  };

  const stopTimer = deps.every(SAMPLE_MS, () => void sample());
  return {
    sample,
    reset() {
      for (const canvas of deps.canvases()) sent.delete(canvas);
    },
    stop() {
      stopped = true;
      stopTimer();
    },
  };
}

/** The browser's side of the deps: reading a canvas through a scratch canvas of the page's document. */
export function canvasReader(doc: Document): Pick<CanvasSamplerDeps, 'fingerprint' | 'picture'> {
  const scratch = doc.createElement('canvas');
  const print = doc.createElement('canvas');
  print.width = PRINT_SIZE;
  print.height = PRINT_SIZE;
  const printContext = print.getContext('2d', { willReadFrequently: true });
  return {
    fingerprint(canvas) {
      if (!printContext || canvas.width === 0 || canvas.height === 0) return null;
      try {
        printContext.clearRect(0, 0, PRINT_SIZE, PRINT_SIZE);
        printContext.drawImage(canvas, 0, 0, PRINT_SIZE, PRINT_SIZE);
        const pixels = printContext.getImageData(0, 0, PRINT_SIZE, PRINT_SIZE).data;
        // FNV-1a over the pixels, with the canvas's own size (a resize with the same picture is news).
        let hash = 0x811c9dc5;
        for (let i = 0; i < pixels.length; i++) hash = Math.imul(hash ^ pixels[i]!, 0x01000193);
        return `${canvas.width}x${canvas.height}:${(hash >>> 0).toString(16)}`;
      } catch {
        return null; // tainted by another site's image: the page itself may not read it
      }
    },
    async picture(canvas, width, height) {
      scratch.width = width;
      scratch.height = height;
      const context = scratch.getContext('2d');
      if (!context) return null;
      context.clearRect(0, 0, width, height);
      context.drawImage(canvas, 0, 0, width, height);
      const blob = await new Promise<Blob | null>((resolve) => {
        try {
          // PNG: charts are flat colours and sharp edges, which lossy WebP blurs (3 % of a chart's pixels
          // off, measured in tests/e2e/canvas.test.ts) and PNG keeps exact, in a few KiB.
          scratch.toBlob(resolve, 'image/png');
        } catch {
          resolve(null);
        }
      });
      if (!blob) return null;
      const mime = blob.type === 'image/webp' || blob.type === 'image/png' ? blob.type : null;
      return mime ? { bytes: new Uint8Array(await blob.arrayBuffer()), mime } : null;
    },
  };
}
