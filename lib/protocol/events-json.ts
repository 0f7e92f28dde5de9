/**
 * How rrweb event batches travel between the extension's own contexts (page world -> isolated content
 * script -> background -> peer host): as JSON text, not as object trees.
 *
 * Why: a full snapshot is a tree of tens of thousands of small objects. Handed over as objects, it was
 * structured-cloned into the isolated world, copied by schema validation there, serialised again by the
 * runtime port, and every copy was garbage for the page's main thread to collect (bench: the customer's
 * page spent more time in the garbage collector than in rrweb's serialiser). As text it is serialised once,
 * in the page, and each hop only passes a string on.
 *
 * Trust: the text comes from the customer's page, which we do not trust. It is parsed and checked
 * (`decodeEvents`, lib/protocol/events-decode.ts) in the peer host, before anything reads it; the hops
 * before only check that it is a string of bounded length.
 *
 * The content scripts in the customer's tab load this module, so it builds no schema beyond the string's
 * bounds: every schema built at load is main-thread time in the customer's page at injection, right
 * before the first snapshot (docs/performance.md, "Injection"). The same goes for zod itself: the
 * modules the content scripts load use zod/mini, whose schemas are plain objects rather than classes
 * with dozens of bound methods each (lib/protocol/tab-port.ts).
 */
import { EventType } from '@rrweb/types';
import * as z from 'zod/mini';
import { MAX_MESSAGE_BYTES } from './version';

/** One batch as text. The bound is the reassembly limit: anything larger could not cross the wire. */
export const eventsJsonSchema = z.string().check(z.minLength(2), z.maxLength(MAX_MESSAGE_BYTES));

/** Whether a batch starts a page (or a resync): it carries rrweb's full snapshot. */
export function carriesFullSnapshot(events: readonly unknown[]): boolean {
  return events.some((e) => typeof e === 'object' && e !== null && (e as { type?: unknown }).type === EventType.FullSnapshot);
}

export function encodeEvents(events: readonly unknown[]): string {
  return JSON.stringify(events);
}
