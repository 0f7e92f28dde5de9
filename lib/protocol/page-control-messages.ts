/**
 * Remote control between the isolated content script and the page's main world (issue 6). Only the
 * main world holds rrweb's mirror (node id -> node), so it resolves ids; everything else stays in the
 * isolated world: whether control is granted, whether the target may be clicked, and the click itself.
 *
 * The page can read and forge these messages. At worst it can make a technician's click land elsewhere
 * in its own page, which it could do to itself anyway; it cannot make a click happen (the isolated world
 * only asks while control is granted) and it cannot grant control (that takes the customer's own click
 * in a closed shadow root).
 */
// zod/mini: both content scripts load this module (lib/protocol/tab-port.ts says why).
import * as z from 'zod/mini';

export const CONTROL_CHANNEL = 'meekijk:control';

/** Isolated world -> page world: which node is rrweb id `id`? */
export const resolveRequestSchema = z.object({
  channel: z.literal(CONTROL_CHANNEL),
  type: z.literal('resolve'),
  req: z.string().check(z.regex(/^[0-9a-f-]{36}$/)),
  id: z.int().check(z.gte(1)),
});
export type ResolveRequest = z.infer<typeof resolveRequestSchema>;

/** Page world -> isolated world: no node has that id (`unknown`), or it is no longer in the page (`stale`). */
export const unresolvedSchema = z.object({
  channel: z.literal(CONTROL_CHANNEL),
  type: z.literal('unresolved'),
  req: z.string(),
  reason: z.enum(['unknown', 'stale']),
});

/**
 * The answer when the node exists: an event of this name dispatched on the node itself, so the isolated
 * world gets the very element (window messages cannot carry nodes between worlds).
 */
export const targetEventName = (req: string) => `meekijk-control-target-${req}`;
