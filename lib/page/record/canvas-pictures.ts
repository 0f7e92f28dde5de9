/**
 * Starts the canvas sampler (canvas-sampler.ts) in the page: the page's canvases, rrweb's ids, the
 * blocking rules, and where pictures go (the asset path of lib/page/assets, and a custom event that names
 * the canvas, lib/protocol/canvas.ts).
 */
import { EventType, type eventWithTime } from '@rrweb/types';
import { CANVAS_PICTURE_TAG, type CanvasPicture } from '@/lib/protocol/canvas';
import type { AssetCapture } from '@/lib/page/assets/asset-capture';
import { composedClosest } from '@/lib/shared/dom';
import { canvasReader, createCanvasSampler, type CanvasSampler } from './canvas-sampler';

export interface CanvasPicturesOptions {
  win?: Window;
  mirror: { getId(node: Node): number };
  blockSelector: string;
  assets: Pick<AssetCapture, 'sendBytes'>;
  /** The event that shows a picture, into the recorder's path (privacy filter, batches). */
  emit(event: eventWithTime): void;
  onError?(error: unknown): void;
}

export function startCanvasPictures({ win = window, mirror, blockSelector, assets, emit, onError }: CanvasPicturesOptions): CanvasSampler {
  const doc = win.document;
  return createCanvasSampler({
    ...canvasReader(doc),
    canvases: () => Array.from(doc.getElementsByTagName('canvas')),
    idOf: (canvas) => mirror.getId(canvas),
    isBlocked: (canvas) => composedClosest(canvas, blockSelector) !== null,
    isRendered: (canvas) => (typeof canvas.checkVisibility === 'function' ? canvas.checkVisibility({ checkVisibilityCSS: true }) : true),
    // The drawing's box: inside the canvas's border and padding, at the size it is shown.
    boxOf: (canvas) => {
      const rect = canvas.getBoundingClientRect();
      const style = win.getComputedStyle(canvas);
      const left = parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft);
      const top = parseFloat(style.borderTopWidth) + parseFloat(style.paddingTop);
      const right = parseFloat(style.borderRightWidth) + parseFloat(style.paddingRight);
      const bottom = parseFloat(style.borderBottomWidth) + parseFloat(style.paddingBottom);
      return { left: rect.left + left, top: rect.top + top, width: rect.width - left - right, height: rect.height - top - bottom };
    },
    viewport: () => ({ width: win.innerWidth, height: win.innerHeight }),
    hidden: () => doc.visibilityState === 'hidden',
    send(id, key, bytes, mime) {
      assets.sendBytes(key, bytes, mime);
      const payload: CanvasPicture = { id, key };
      emit({ type: EventType.Custom, timestamp: Date.now(), data: { tag: CANVAS_PICTURE_TAG, payload } } as eventWithTime);
    },
    every: (ms, fn) => {
      const timer = win.setInterval(fn, ms);
      return () => win.clearInterval(timer);
    },
    onError,
  });
}
