/**
 * What an asset's bytes are, told by the bytes themselves (issue 20): the server's Content-Type is the
 * customer's site's word, and the viewer makes `blob:` URLs of the type we name. Only the contract's
 * allowlist (lib/protocol/assets.ts); anything else is not sent.
 */
import type { AssetMimeType } from '@/lib/protocol/assets';

const ascii = (bytes: Uint8Array, at: number, text: string) => [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));

export function sniffAssetType(bytes: Uint8Array): AssetMimeType | undefined {
  if (bytes[0] === 0x89 && ascii(bytes, 1, 'PNG')) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (ascii(bytes, 0, 'GIF8')) return 'image/gif';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'image/webp';
  if (ascii(bytes, 4, 'ftyp') && (ascii(bytes, 8, 'avif') || ascii(bytes, 8, 'avis'))) return 'image/avif';
  if (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 1 && bytes[3] === 0) return 'image/x-icon';
  if (ascii(bytes, 0, 'wOF2')) return 'font/woff2';
  if (ascii(bytes, 0, 'wOFF')) return 'font/woff';
  if (ascii(bytes, 0, 'OTTO')) return 'font/otf';
  if ((bytes[0] === 0 && bytes[1] === 1 && bytes[2] === 0 && bytes[3] === 0) || ascii(bytes, 0, 'true')) return 'font/ttf';
  if (isSvg(bytes)) return 'image/svg+xml';
  return undefined;
}

/** An XML document whose root is `<svg`: after an optional BOM, XML declaration, comments and doctype. */
function isSvg(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 4096)).replace(/^\ufeff/, '');
  const rest = head.replace(/^\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--[^]*?-->|<!DOCTYPE[^>]*>)\s*)*/i, '');
  return /^<svg[\s>]/i.test(rest);
}

/** Raster images that may be scaled down (a GIF may be animated: scaling it would keep one frame). */
export const SCALABLE: ReadonlySet<AssetMimeType> = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/avif']);

/** How far past its displayed size an image may be before it is scaled down (saves bytes only if worth it). */
const SLACK = 1.25;
/** The most device pixels per CSS pixel an image is kept at. */
const MAX_DPR = 3;

/**
 * The size to scale a `natural`-sized image to, shown at `shown` CSS pixels on a `dpr` screen, or null
 * to keep it as it is (not larger than shown, or its shown size unknown). The aspect ratio is kept,
 * and the larger of the two factors, so neither side ends below what the screen shows.
 */
export function scaleTarget(natural: { width: number; height: number }, shown: { width: number; height: number }, dpr: number): { width: number; height: number } | null {
  if (!(shown.width > 0 && shown.height > 0 && natural.width > 0 && natural.height > 0)) return null;
  const density = Math.min(Math.max(dpr, 1), MAX_DPR);
  const factor = Math.max((shown.width * density) / natural.width, (shown.height * density) / natural.height);
  if (factor * SLACK >= 1) return null;
  return { width: Math.max(1, Math.round(natural.width * factor)), height: Math.max(1, Math.round(natural.height * factor)) };
}
