/**
 * Messages on the shared tab's port ("meekijk:tab"): the isolated content script <-> background. The
 * content script runs inside a page we do not trust, so each side validates what it receives.
 *
 * Its own module because the content script loads it: it builds only the schemas the tab needs, not every
 * extension schema (lib/protocol/runtime.ts pulls in the API, the wire protocol and the popup's), whose
 * construction runs on the customer's main thread at injection (docs/performance.md, "Injection").
 */
import { z } from 'zod';
import { siteRulesSchema } from './site-rules';
import { eventsJsonSchema } from './events-json';
import { backgroundToTabControl, tabToBackgroundControl } from './control';

export const TAB_PORT = 'meekijk:tab';

export const tabToBackgroundSchema = z.discriminatedUnion('type', [
  /** A batch of rrweb events as JSON text, passed on unread (lib/protocol/events-json.ts). */
  z.object({ type: z.literal('events'), json: eventsJsonSchema }),
  /** The customer pressed stop on the in-page indicator (a trusted click, checked in the content script). */
  z.object({ type: z.literal('stop') }),
  z.object({ type: z.literal('page-error'), message: z.string().max(500) }),
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
  z.object({ type: z.literal('stop') }),
  ...backgroundToTabControl,
]);
export type BackgroundToTab = z.infer<typeof backgroundToTabSchema>;
