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

export const TAB_PORT = 'meekijk:tab';
export const EVENTS_PORT = 'meekijk:events';

/** On the events port: a batch of rrweb events as JSON text, passed on unread (lib/protocol/events-json.ts). */
export const tabEventsSchema = z.object({ type: z.literal('events'), json: eventsJsonSchema });
export type TabEvents = z.infer<typeof tabEventsSchema>;

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
