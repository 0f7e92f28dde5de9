/**
 * Messages between the recorder in the page's main world and the isolated content script, over
 * window.postMessage. The page can read and forge these, so the isolated side treats everything it
 * receives as untrusted page input (it validates the shape and owns every trust decision; the page can at
 * worst forge what it could draw in its own DOM anyway).
 */
import { z } from 'zod';
import { eventsJsonSchema } from '@/lib/protocol/events-json';
import { pageRulesSchema } from '@/lib/protocol/site-rules';

export const PAGE_CHANNEL = 'meekijk:page';

/**
 * What the customer hid ("verberg dit"), as selectors the recorder blocks. The page can read and forge
 * this message like any other here, but forging an empty list reveals nothing: the hidden parts also
 * carry data-meekijk-hidden, which the recorder always blocks and the tab agent puts back if removed.
 */
const hiddenSelectorsSchema = z.array(z.string().min(1).max(2000)).max(500);

/** Page world -> isolated world. */
export const fromPageSchema = z.discriminatedUnion('type', [
  z.object({ channel: z.literal(PAGE_CHANNEL), type: z.literal('ready') }),
  /** A batch of rrweb events as JSON text (lib/protocol/events-json.ts); parsed and checked in the peer host. */
  z.object({ channel: z.literal(PAGE_CHANNEL), type: z.literal('events'), json: eventsJsonSchema }),
  z.object({ channel: z.literal(PAGE_CHANNEL), type: z.literal('error'), message: z.string().max(500) }),
]);
export type FromPage = z.infer<typeof fromPageSchema>;

/** Isolated world -> page world. */
export const toPageSchema = z.discriminatedUnion('type', [
  z.object({
    channel: z.literal(PAGE_CHANNEL),
    type: z.literal('start'),
    token: z.string(),
    /** The server's extra masking for this site (lib/protocol/site-rules.ts). */
    siteRules: pageRulesSchema.optional(),
    /** Selectors for the parts the customer hid in this page. */
    hidden: hiddenSelectorsSchema.optional(),
  }),
  z.object({ channel: z.literal(PAGE_CHANNEL), type: z.literal('hide'), token: z.string(), selectors: hiddenSelectorsSchema }),
  z.object({ channel: z.literal(PAGE_CHANNEL), type: z.literal('snapshot'), token: z.string() }),
  z.object({ channel: z.literal(PAGE_CHANNEL), type: z.literal('stop'), token: z.string() }),
]);
export type ToPage = z.infer<typeof toPageSchema>;
export type ToPageBody = ToPage extends infer M ? (M extends ToPage ? Omit<M, 'channel'> : never) : never;
