/**
 * Messages between the recorder in the page's main world and the isolated content script. They travel as
 * DOM events on the window with a string `detail` (a primitive crosses between worlds as it is):
 * dispatching an event runs the other world's listeners at once, in the same task. window.postMessage,
 * used before, queued a task, and the browser runs input and rendering before such tasks: an event batch
 * waited to cross, on every key press and click (docs/decisions.md).
 * Synchronous also means ordered: once the isolated script has told the recorder to stop, nothing the page
 * does afterwards (such as our own indicator going away) is recorded.
 *
 * The page can read and forge these, so the isolated side treats everything it receives as untrusted page
 * input (it validates the shape and owns every trust decision; the page can at worst forge what it could
 * draw in its own DOM anyway).
 */
// zod/mini: both content scripts load this module (lib/protocol/tab-port.ts says why).
import * as z from 'zod/mini';
import { pageRulesSchema } from '@/lib/protocol/site-rules';

export const PAGE_CHANNEL = 'meekijk:page';

/** Isolated world -> page world: a ToPage message as JSON. */
export const TO_PAGE_EVENT = 'meekijk:to-page';
/** Page world -> isolated world: a FromPage message as JSON. */
export const FROM_PAGE_EVENT = 'meekijk:from-page';
/** Page world -> isolated world: a batch of rrweb events as JSON (lib/protocol/events-json.ts), passed on unread. */
export const EVENTS_EVENT = 'meekijk:events';

/** Sends `detail` to the other world's listeners, synchronously. */
export function dispatchBridge(win: Window, type: string, detail: string): void {
  win.dispatchEvent(new CustomEvent(type, { detail }));
}

/** Listens for bridge events; anything whose detail is not a string is ignored. */
export function listenBridge(win: Window, type: string, listener: (detail: string) => void, signal?: AbortSignal): void {
  win.addEventListener(
    type,
    (event: Event) => {
      const detail: unknown = (event as CustomEvent<unknown>).detail;
      if (typeof detail === 'string') listener(detail);
    },
    signal ? { signal } : undefined,
  );
}

/** Parses and checks a bridge message; undefined for anything malformed. */
export function readBridge<T>(schema: z.ZodMiniType<T>, detail: string): T | undefined {
  let value: unknown;
  try {
    value = JSON.parse(detail);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * What the customer hid ("verberg dit"), as selectors the recorder blocks. The page can read and forge
 * this message like any other here, but forging an empty list reveals nothing: the hidden parts also
 * carry data-meekijk-hidden, which the recorder always blocks and the tab agent puts back if removed.
 */
const hiddenSelectorsSchema = z.array(z.string().check(z.minLength(1), z.maxLength(2000))).check(z.maxLength(500));

/** Page world -> isolated world. */
export const fromPageSchema = z.discriminatedUnion('type', [
  z.object({ channel: z.literal(PAGE_CHANNEL), type: z.literal('ready') }),
  z.object({ channel: z.literal(PAGE_CHANNEL), type: z.literal('error'), message: z.string().check(z.maxLength(500)) }),
]);
export type FromPage = z.infer<typeof fromPageSchema>;

/** Isolated world -> page world. */
export const toPageSchema = z.discriminatedUnion('type', [
  z.object({
    channel: z.literal(PAGE_CHANNEL),
    type: z.literal('start'),
    token: z.string(),
    /** The server's extra masking for this site (lib/protocol/site-rules.ts). */
    siteRules: z.optional(pageRulesSchema),
    /** Selectors for the parts the customer hid in this page. */
    hidden: z.optional(hiddenSelectorsSchema),
  }),
  z.object({ channel: z.literal(PAGE_CHANNEL), type: z.literal('hide'), token: z.string(), selectors: hiddenSelectorsSchema }),
  z.object({ channel: z.literal(PAGE_CHANNEL), type: z.literal('snapshot'), token: z.string() }),
  z.object({ channel: z.literal(PAGE_CHANNEL), type: z.literal('stop'), token: z.string() }),
]);
export type ToPage = z.infer<typeof toPageSchema>;
export type ToPageBody = ToPage extends infer M ? (M extends ToPage ? Omit<M, 'channel'> : never) : never;
