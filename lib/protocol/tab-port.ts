/**
 * The shared tab's two ports. "meekijk:tab": the isolated content script <-> background (start, stop,
 * control). "meekijk:events": the content script -> the peer host, the recorded events only, straight to
 * where they are sent from (in Chrome the offscreen document, so a snapshot of megabytes no longer passes
 * through the service worker on its way; docs/performance.md, "A port for the events, straight to the peer host"). The content
 * script runs inside a page we do not trust, so each receiving side validates what it gets.
 *
 * Its own module because the content script loads it: it builds only the schemas the tab needs, not every
 * extension schema (lib/protocol/runtime.ts pulls in the API, the wire protocol and the popup's), whose
 * construction runs on the customer's main thread at injection (docs/performance.md, "Injection").
 *
 * zod/mini, here and in every module the content scripts load (site-rules, control, events-json and the
 * two bridges): the same checks as zod, without zod's method-per-schema classes, which made the tab
 * script twice the size and its schemas slower to build (`npm run bench:script-cost`). Schemas from
 * both compose: the background's and the viewer's zod unions take these as they are.
 */
import * as z from 'zod/mini';
import { siteRulesSchema } from './site-rules';
import { eventsJsonSchema } from './events-json';
import { backgroundToTabControl, tabToBackgroundControl } from './control';
import { ASSET_KEY_PATTERN, ASSET_MIME_TYPES, ASSET_MISSING_REASONS } from './assets';
import { base64Schema, MAX_SOURCE_BYTES } from './page-bridge';

export const TAB_PORT = 'meekijk:tab';
export const EVENTS_PORT = 'meekijk:events';

/** On the events port: a batch of rrweb events as JSON text, passed on unread (lib/protocol/events-json.ts). */
export const tabEventsSchema = z.object({ type: z.literal('events'), json: eventsJsonSchema });
export type TabEvents = z.infer<typeof tabEventsSchema>;

const assetKey = z.string().check(z.regex(ASSET_KEY_PATTERN));
/**
 * On the events port beside the events (issue 20): what the tab script read for an asset key, as the
 * source bytes (the peer host checks their type, scales them to `width` x `height` CSS pixels times `dpr`,
 * hashes and sends them), why it could not, or that a new snapshot uses keys already sent.
 */
export const tabAssetSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('asset-bytes'),
    key: assetKey,
    data: base64Schema(MAX_SOURCE_BYTES),
    /** Set when the page made the bytes itself (a canvas picture); otherwise the peer host tells by the bytes. */
    mime: z.optional(z.enum(ASSET_MIME_TYPES)),
    width: z.optional(z.number().check(z.gte(0), z.lte(100_000))),
    height: z.optional(z.number().check(z.gte(0), z.lte(100_000))),
    dpr: z.optional(z.number().check(z.gt(0), z.lte(8))),
  }),
  z.object({ type: z.literal('asset-missing'), key: assetKey, reason: z.enum(ASSET_MISSING_REASONS) }),
  z.object({ type: z.literal('asset-again'), keys: z.array(assetKey).check(z.maxLength(20_000)) }),
]);
export type TabAsset = z.infer<typeof tabAssetSchema>;

export const tabToBackgroundSchema = z.discriminatedUnion('type', [
  /** The customer pressed stop on the in-page indicator (a trusted click, checked in the content script). */
  z.object({ type: z.literal('stop') }),
  z.object({ type: z.literal('page-error'), message: z.string().check(z.maxLength(500)) }),
  ...tabToBackgroundControl,
]);
export type TabToBackground = z.infer<typeof tabToBackgroundSchema>;

export const backgroundToTabSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    technicianName: z.string(),
    organisation: z.string(),
    locale: z.enum(['nl', 'en']),
    /** The server's extra masking per site (join response); the tab picks the rules for its own host. */
    siteRules: siteRulesSchema,
  }),
  z.object({ type: z.literal('snapshot') }),
  /** Whether a technician is connected now, or the connection is being restored (issue 17): the indicator says which. */
  z.object({ type: z.literal('link'), state: z.enum(['viewing', 'reconnecting']) }),
  z.object({ type: z.literal('stop') }),
  ...backgroundToTabControl,
]);
export type BackgroundToTab = z.infer<typeof backgroundToTabSchema>;
