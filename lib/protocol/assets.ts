/**
 * Replay assets (issue 20): the images, fonts and canvas pictures the replay needs travel with the session,
 * so the technician's browser never fetches anything from the customer's sites (docs/replay-assets.md).
 *
 * In the events, the customer's side replaces every URL the replay would load with a token,
 * `meekijk-asset:<key>`. The key names a URL (or a canvas picture) for this recording; it says nothing about
 * the content. The bytes follow in an `asset` message, named by their sha-256, so content already sent on
 * this connection under another key is sent as the hash alone. An asset the customer's side cannot read
 * (cross-origin without CORS, too large, failed) is announced as missing: the replay draws a placeholder.
 *
 * Declared once here and merged into the wire union in wire.ts. Everything here comes from the peer and
 * is untrusted (invariant 7): the viewer re-checks every URL in the events and lets only tokens through.
 */
// zod/mini: the page and tab scripts may load this module (lib/protocol/tab-port.ts says why).
import * as z from 'zod/mini';

/** The scheme of a token in the recorded events. No browser knows it, so a token never loads anything. */
export const ASSET_SCHEME = 'meekijk-asset:';

/** Letters, digits, `-` and `_`: a key is an opaque name the customer's side chose. */
export const ASSET_KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Finds tokens in any string of an event (attribute values, CSS text). */
export const ASSET_TOKEN_PATTERN = /meekijk-asset:([A-Za-z0-9_-]{1,64})/g;

export const assetToken = (key: string): string => `${ASSET_SCHEME}${key}`;

/** The largest asset sent, after scaling (one photo at its displayed size is far under it). */
export const MAX_ASSET_BYTES = 3 * 1024 * 1024;

/** What the replay may load: images and fonts. Stylesheets travel as CSS text in the events, never as assets. */
export const ASSET_MIME_TYPES = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/gif',
  'image/avif',
  'image/svg+xml',
  'image/x-icon',
  'font/woff2',
  'font/woff',
  'font/ttf',
  'font/otf',
] as const;
export type AssetMimeType = (typeof ASSET_MIME_TYPES)[number];

/** Why the customer's side sends no bytes for a key; the replay then shows a placeholder of the element's size. */
export const ASSET_MISSING_REASONS = ['unreadable', 'too-large', 'unsupported-type', 'failed'] as const;
export type AssetMissingReason = (typeof ASSET_MISSING_REASONS)[number];

const key = z.string().check(z.regex(ASSET_KEY_PATTERN));
const hash = z.string().check(z.regex(/^[0-9a-f]{64}$/));
/** Standard base64 of at most MAX_ASSET_BYTES bytes. */
const base64 = z.string().check(z.maxLength(Math.ceil(MAX_ASSET_BYTES / 3) * 4), z.regex(/^[A-Za-z0-9+/]*={0,2}$/));

/**
 * Extension -> viewer. Exactly one of: `data` (with `hash` and `mime`: the bytes), `hash` alone (bytes
 * already sent on this connection), or `missing`.
 */
export const assetMessage = z
  .object({
    type: z.literal('asset'),
    key,
    hash: z.optional(hash),
    mime: z.optional(z.enum(ASSET_MIME_TYPES)),
    data: z.optional(base64),
    missing: z.optional(z.enum(ASSET_MISSING_REASONS)),
  })
  .check(
    z.refine(
      (m) =>
        m.missing !== undefined
          ? m.hash === undefined && m.mime === undefined && m.data === undefined
          : m.hash !== undefined && (m.data === undefined) === (m.mime === undefined),
      { message: 'an asset is either bytes (hash, mime, data), a known hash, or missing' },
    ),
  );
export type AssetMessage = z.infer<typeof assetMessage>;
