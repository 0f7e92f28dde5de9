/**
 * Canvas pictures in the replay (issue 20): the customer's side sends a visible canvas as still pictures
 * (lib/page/record/canvas-sampler.ts), each as an asset, with a custom event naming the canvas. Once the
 * picture's asset is ready it is drawn into the replay's canvas, over its whole bitmap; a picture that
 * arrives after a newer one for the same canvas is not drawn. The event is untrusted: checked with the
 * protocol's schema, and only a <canvas> of the replay is drawn on.
 */
import type { Replayer } from 'rrweb';
import { CANVAS_PICTURE_TAG, canvasPictureSchema } from '@/lib/protocol/canvas';
import type { AssetStore } from './assets/store';

export function drawCanvasPictures(replayer: Replayer, assets: Pick<AssetStore, 'onReady'>): () => void {
  /** The newest picture asked for, per replay canvas. */
  const newest = new WeakMap<HTMLCanvasElement, string>();
  const cancels = new Set<() => void>();
  const onCustom = (raw: unknown) => {
    const data = (raw as { data?: { tag?: unknown; payload?: unknown } }).data;
    if (data?.tag !== CANVAS_PICTURE_TAG) return;
    const parsed = canvasPictureSchema.safeParse(data.payload);
    if (!parsed.success) return;
    const node = replayer.getMirror().getNode(parsed.data.id);
    if (!node || node.nodeType !== 1 || (node as Element).localName !== 'canvas') return;
    const canvas = node as HTMLCanvasElement;
    const { key } = parsed.data;
    newest.set(canvas, key);
    // onReady may call back at once (the picture came first): `cancel` is not assigned yet then.
    let cancel: (() => void) | undefined;
    let done = false;
    cancel = assets.onReady(key, (state) => {
      done = true;
      if (cancel) cancels.delete(cancel);
      if (state === 'missing' || newest.get(canvas) !== key) return;
      const image = new Image();
      image.onload = () => {
        if (newest.get(canvas) !== key) return;
        const context = canvas.getContext('2d');
        if (!context) return;
        context.clearRect(0, 0, canvas.width, canvas.height);
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
      };
      image.src = state.url;
    });
    if (!done) cancels.add(cancel);
  };
  replayer.on('custom-event', onCustom);
  return () => {
    replayer.off('custom-event', onCustom);
    for (const cancel of cancels) cancel();
    cancels.clear();
  };
}
