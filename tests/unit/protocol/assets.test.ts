import { describe, expect, it } from 'vitest';
import { parseToViewer } from '@/lib/protocol/wire';
import { ASSET_TOKEN_PATTERN, assetToken, MAX_ASSET_BYTES } from '@/lib/protocol/assets';

const hash = 'ab'.repeat(32);

describe('the asset message (issue 20)', () => {
  it('accepts bytes, a hash already sent, or a missing asset', () => {
    expect(parseToViewer({ type: 'asset', key: 'k1', hash, mime: 'image/png', data: 'iVBORw0KGgo=' }).ok).toBe(true);
    expect(parseToViewer({ type: 'asset', key: 'k1', hash }).ok).toBe(true);
    expect(parseToViewer({ type: 'asset', key: 'k1', missing: 'unreadable' }).ok).toBe(true);
  });

  it('refuses a message that mixes the three forms, or has half of one', () => {
    expect(parseToViewer({ type: 'asset', key: 'k1', missing: 'unreadable', hash }).ok).toBe(false);
    expect(parseToViewer({ type: 'asset', key: 'k1', hash, mime: 'image/png' }).ok).toBe(false);
    expect(parseToViewer({ type: 'asset', key: 'k1', hash, data: 'AAAA' }).ok).toBe(false);
    expect(parseToViewer({ type: 'asset', key: 'k1' }).ok).toBe(false);
  });

  it('refuses keys that are not opaque names, types that are not images or fonts, and bad base64', () => {
    expect(parseToViewer({ type: 'asset', key: 'k 1', hash }).ok).toBe(false);
    expect(parseToViewer({ type: 'asset', key: 'https://x/', hash }).ok).toBe(false);
    expect(parseToViewer({ type: 'asset', key: 'k1', hash, mime: 'text/css', data: 'AAAA' }).ok).toBe(false);
    expect(parseToViewer({ type: 'asset', key: 'k1', hash, mime: 'text/html', data: 'AAAA' }).ok).toBe(false);
    expect(parseToViewer({ type: 'asset', key: 'k1', hash, mime: 'image/png', data: 'not base64!' }).ok).toBe(false);
    expect(parseToViewer({ type: 'asset', key: 'k1', hash: 'AB'.repeat(32) }).ok).toBe(false);
  });

  it('refuses more than MAX_ASSET_BYTES of data', () => {
    const tooLong = 'A'.repeat(Math.ceil(MAX_ASSET_BYTES / 3) * 4 + 4);
    expect(parseToViewer({ type: 'asset', key: 'k1', hash, mime: 'image/png', data: tooLong }).ok).toBe(false);
  });

  it('finds tokens in CSS text', () => {
    const css = `a{background:url("${assetToken('bg-1')}")} @font-face{src:url(${assetToken('f_2')})}`;
    expect([...css.matchAll(ASSET_TOKEN_PATTERN)].map((m) => m[1])).toEqual(['bg-1', 'f_2']);
  });
});
