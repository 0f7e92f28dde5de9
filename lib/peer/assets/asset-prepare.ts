/**
 * Turns what the tab read for an asset into the bytes that go on the wire (issue 20): type told by the
 * bytes, raster images scaled down to their displayed size x devicePixelRatio when larger (PNG stays PNG,
 * so transparency is kept; JPEG stays JPEG), the cap applied, the sha-256 taken of the bytes sent.
 * Runs in the peer host (offscreen document / Firefox background page), off the customer's page.
 */
import { MAX_ASSET_BYTES, type AssetMimeType, type AssetMissingReason } from '@/lib/protocol/assets';
import type { TabAsset } from '@/lib/protocol/tab-port';
import { fromBase64, toBase64 } from '@/lib/shared/base64';
import { scaleTarget, SCALABLE, sniffAssetType } from './asset-type';

export type PreparedAsset = { key: string; hash: string; mime: AssetMimeType; data: string; bytes: number } | { key: string; missing: AssetMissingReason };

/** Scales an image's bytes to the given size, or returns null when the browser cannot (no decoder, no canvas). */
export type Scaler = (bytes: Uint8Array<ArrayBuffer>, mime: AssetMimeType, size: (natural: { width: number; height: number }) => { width: number; height: number } | null) => Promise<Uint8Array<ArrayBuffer> | null>;

export async function prepareAsset(message: Extract<TabAsset, { type: 'asset-bytes' }>, scale: Scaler = scaleWithCanvas): Promise<PreparedAsset> {
  const { key } = message;
  let bytes = fromBase64(message.data);
  let mime = sniffAssetType(bytes);
  if (!mime || (message.mime && message.mime !== mime)) return { key, missing: 'unsupported-type' };
  if (SCALABLE.has(mime) && message.width && message.height) {
    const shown = { width: message.width, height: message.height };
    try {
      const scaled = await scale(bytes, mime, (natural) => scaleTarget(natural, shown, message.dpr ?? 1));
      // Only when it saves bytes (a small, well-compressed PNG may grow when re-encoded).
      if (scaled && scaled.byteLength < bytes.byteLength) {
        bytes = scaled;
        mime = sniffAssetType(scaled) ?? mime;
      }
    } catch {
      // Not decodable here: sent as read, if it fits.
    }
  }
  if (bytes.byteLength > MAX_ASSET_BYTES) return { key, missing: 'too-large' };
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const hash = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  return { key, hash, mime, data: toBase64(bytes), bytes: bytes.byteLength };
}

const JPEG_QUALITY = 0.85;

/** Whether every pixel is fully opaque (RGBA bytes). */
export function isOpaque(rgba: Uint8ClampedArray): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return false;
  return true;
}

async function scaleWithCanvas(bytes: Uint8Array<ArrayBuffer>, mime: AssetMimeType, size: (natural: { width: number; height: number }) => { width: number; height: number } | null) {
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function') return null;
  const bitmap = await createImageBitmap(new Blob([bytes], { type: mime }));
  try {
    const target = size({ width: bitmap.width, height: bitmap.height });
    if (!target) return null;
    const canvas = new OffscreenCanvas(target.width, target.height);
    const context = canvas.getContext('2d');
    if (!context) return null;
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, target.width, target.height);
    // JPEG has no transparency to lose. Anything else keeps PNG where it has transparency; an opaque one
    // (a photo saved as PNG) goes as whichever of PNG and JPEG is smaller.
    const jpeg = () => canvas.convertToBlob({ type: 'image/jpeg', quality: JPEG_QUALITY });
    let blob: Blob;
    if (mime === 'image/jpeg') blob = await jpeg();
    else {
      blob = await canvas.convertToBlob({ type: 'image/png' });
      if (isOpaque(context.getImageData(0, 0, target.width, target.height).data)) {
        const lossy = await jpeg();
        if (lossy.size < blob.size) blob = lossy;
      }
    }
    return new Uint8Array(await blob.arrayBuffer());
  } finally {
    bitmap.close();
  }
}
