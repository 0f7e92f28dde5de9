/**
 * What the peer host makes of the bytes the tab read (lib/peer/assets/asset-prepare.ts, asset-type.ts):
 * the type told by the bytes, the scaling decision, the cap, and the hash of exactly the bytes sent.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { isOpaque, prepareAsset, type Scaler } from '@/lib/peer/assets/asset-prepare';
import { scaleTarget, sniffAssetType } from '@/lib/peer/assets/asset-type';
import { MAX_ASSET_BYTES } from '@/lib/protocol/assets';
import { fromBase64, toBase64 } from '@/lib/shared/base64';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8]);
const text = (s: string) => new TextEncoder().encode(s);

describe('sniffAssetType', () => {
  it('knows each allowed type by its bytes', () => {
    expect(sniffAssetType(PNG)).toBe('image/png');
    expect(sniffAssetType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffAssetType(text('GIF89a...'))).toBe('image/gif');
    expect(sniffAssetType(text('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffAssetType(text('\0\0\0\x1cftypavif'))).toBe('image/avif');
    expect(sniffAssetType(Uint8Array.from([0, 0, 1, 0, 1, 0]))).toBe('image/x-icon');
    expect(sniffAssetType(text('wOF2....'))).toBe('font/woff2');
    expect(sniffAssetType(text('wOFF....'))).toBe('font/woff');
    expect(sniffAssetType(text('OTTO....'))).toBe('font/otf');
    expect(sniffAssetType(Uint8Array.from([0, 1, 0, 0, 0, 9]))).toBe('font/ttf');
    expect(sniffAssetType(text('\ufeff<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE svg>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toBe('image/svg+xml');
  });

  it('refuses everything else, whatever the server called it', () => {
    for (const other of ['<html><svg></svg></html>', 'body{}', '<script>alert(1)</script>', '%PDF-1.4', '']) expect(sniffAssetType(text(other)), other).toBeUndefined();
  });
});

describe('scaleTarget', () => {
  it('scales an image larger than shown x devicePixelRatio down to that, keeping its aspect ratio', () => {
    expect(scaleTarget({ width: 4000, height: 3000 }, { width: 200, height: 150 }, 2)).toEqual({ width: 400, height: 300 });
    // object-fit: cover in a square box: the larger factor, so neither side is below what is shown.
    expect(scaleTarget({ width: 4000, height: 2000 }, { width: 100, height: 100 }, 1)).toEqual({ width: 200, height: 100 });
  });

  it('keeps images about the shown size or smaller, and those whose size is unknown', () => {
    expect(scaleTarget({ width: 450, height: 300 }, { width: 200, height: 150 }, 2)).toBeNull();
    expect(scaleTarget({ width: 100, height: 100 }, { width: 300, height: 300 }, 1)).toBeNull();
    expect(scaleTarget({ width: 4000, height: 3000 }, { width: 0, height: 0 }, 2)).toBeNull();
  });

  it('counts at most 3 device pixels per CSS pixel and at least 1', () => {
    expect(scaleTarget({ width: 4000, height: 4000 }, { width: 100, height: 100 }, 8)).toEqual({ width: 300, height: 300 });
    expect(scaleTarget({ width: 4000, height: 4000 }, { width: 100, height: 100 }, 0.5)).toEqual({ width: 100, height: 100 });
  });
});

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('prepareAsset', () => {
  it('hashes exactly the bytes it sends (the scaled ones when scaling saved bytes)', async () => {
    const scaled = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 9]);
    const scale: Scaler = vi.fn(async (_bytes, _mime, size) => (size({ width: 4000, height: 3000 }) ? scaled : null));
    const out = await prepareAsset({ type: 'asset-bytes', key: 'k', data: toBase64(PNG), width: 100, height: 75, dpr: 1 }, scale);
    if ('missing' in out) throw new Error('expected bytes');
    expect(out.mime).toBe('image/png');
    expect(fromBase64(out.data)).toEqual(scaled);
    expect(out.hash).toBe(sha(scaled));
  });

  it('names the type of the bytes it sends: a PNG scaled to JPEG (opaque, smaller) goes as image/jpeg', async () => {
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1]);
    const out = await prepareAsset({ type: 'asset-bytes', key: 'k', data: toBase64(PNG), width: 10, height: 10, dpr: 1 }, async () => jpeg);
    if ('missing' in out) throw new Error('expected bytes');
    expect(out.mime).toBe('image/jpeg');
    expect(out.hash).toBe(sha(jpeg));
  });

  it('tells an opaque picture from one with transparency', () => {
    expect(isOpaque(Uint8ClampedArray.from([1, 2, 3, 255, 4, 5, 6, 255]))).toBe(true);
    expect(isOpaque(Uint8ClampedArray.from([1, 2, 3, 255, 4, 5, 6, 254]))).toBe(false);
  });

  it('sends the bytes as read when no size is known, when scaling would not save bytes, and never scales GIFs or SVG', async () => {
    const bigger: Scaler = async () => new Uint8Array(PNG.byteLength + 10);
    const noSize = await prepareAsset({ type: 'asset-bytes', key: 'k', data: toBase64(PNG) }, bigger);
    const grew = await prepareAsset({ type: 'asset-bytes', key: 'k', data: toBase64(PNG), width: 1, height: 1, dpr: 1 }, bigger);
    for (const out of [noSize, grew]) {
      if ('missing' in out) throw new Error('expected bytes');
      expect(out.hash).toBe(sha(PNG));
    }
    const never = vi.fn<Scaler>(async () => null);
    await prepareAsset({ type: 'asset-bytes', key: 'k', data: toBase64(text('GIF89a')), width: 1, height: 1 }, never);
    await prepareAsset({ type: 'asset-bytes', key: 'k', data: toBase64(text('<svg></svg>')), width: 1, height: 1 }, never);
    expect(never).not.toHaveBeenCalled();
  });

  it('too large after scaling: missing too-large; not an allowed type, or not the type the page said: unsupported-type', async () => {
    const huge = new Uint8Array(MAX_ASSET_BYTES + 1);
    huge.set(PNG);
    expect(await prepareAsset({ type: 'asset-bytes', key: 'k', data: toBase64(huge) }, async () => null)).toEqual({ key: 'k', missing: 'too-large' });
    expect(await prepareAsset({ type: 'asset-bytes', key: 'k', data: toBase64(text('<html>')) })).toEqual({ key: 'k', missing: 'unsupported-type' });
    expect(await prepareAsset({ type: 'asset-bytes', key: 'k', data: toBase64(PNG), mime: 'image/jpeg' })).toEqual({ key: 'k', missing: 'unsupported-type' });
  });
});
