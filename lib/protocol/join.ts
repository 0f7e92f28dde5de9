/**
 * The join page's one message (issue 4): its content script hands the link secret it read from the
 * server's `/join/` page to the background, which answers whether the invite checked out and for whom.
 * Both sides parse: the background the offer (from a content script inside a web page), the content
 * script the answer. zod/mini, as every module a content script loads (lib/protocol/tab-port.ts says why).
 */
import * as z from 'zod/mini';

/** The link secret's form, in the page's `<meta name="meekijk-join">` and in the offer. */
export const JOIN_SECRET = /^[A-Za-z0-9_-]{16,200}$/;

export const offerJoinLinkSchema = z.object({ type: z.literal('offer-join-link'), link: z.string().check(z.regex(JOIN_SECRET)) });
export type OfferJoinLink = z.infer<typeof offerJoinLinkSchema>;

/** Where the customer finds our button (lib/background/ui/toolbar.ts); null where the browser cannot tell. */
const toolbarSchema = z.object({ pinned: z.nullable(z.boolean()), shortcut: z.nullable(z.string().check(z.maxLength(40))) });

export const offerJoinLinkResponseSchema = z.union([
  z.object({ ok: z.literal(true), technician: z.object({ name: z.string(), organisation: z.string() }), toolbar: z.optional(toolbarSchema) }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type OfferJoinLinkResponse = z.infer<typeof offerJoinLinkResponseSchema>;
