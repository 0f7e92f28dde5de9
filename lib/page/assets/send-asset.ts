/**
 * Sends bytes the page world made itself (a canvas picture, issue 20) as the asset for `key`: the tab
 * script passes them to the peer host, which hashes them and sends them once per connection like any
 * other asset. The key is the caller's (any name matching ASSET_KEY_PATTERN, unique in the recording).
 * The recorder's code reaches it as `assets.sendBytes(key, bytes, mime)` (asset-capture.ts).
 */
import { ASSETS_EVENT, dispatchBridge, MAX_SOURCE_BYTES, type PageAsset } from '@/lib/protocol/page-bridge';
import { ASSET_KEY_PATTERN, type AssetMimeType } from '@/lib/protocol/assets';
import { toBase64 } from '@/lib/shared/base64';

export function sendAssetBytes(key: string, bytes: Uint8Array, mime: AssetMimeType, post: (message: PageAsset) => void): void {
  if (!ASSET_KEY_PATTERN.test(key)) throw new Error(`not an asset key: ${key.slice(0, 80)}`);
  if (bytes.byteLength > MAX_SOURCE_BYTES) throw new Error(`asset of ${bytes.byteLength} bytes is over ${MAX_SOURCE_BYTES}`);
  post({ type: 'bytes', key, mime, data: toBase64(bytes) });
}

export function postPageAsset(win: Window, message: PageAsset): void {
  dispatchBridge(win, ASSETS_EVENT, JSON.stringify(message));
}
