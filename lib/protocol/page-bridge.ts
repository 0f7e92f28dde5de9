/**
 * The one protocol between the page's main world (the recorder, and the resolver that maps rrweb ids to
 * nodes for remote control) and the isolated content script, on one transport: DOM events on the window
 * with a string `detail` (a primitive crosses between worlds as it is):
 * dispatching an event runs the other world's listeners at once, in the same task. window.postMessage,
 * used before, queued a task, and the browser runs input and rendering before such tasks: an event batch
 * waited to cross, on every key press and click (docs/decisions.md).
 * Synchronous also means ordered: once the isolated script has told the recorder to stop, nothing the page
 * does afterwards (such as our own indicator going away) is recorded.
 *
 * The page can read and forge these, so the isolated side treats everything it receives as untrusted page
 * input (it validates the shape and owns every trust decision; the page can at worst forge what it could
 * draw in its own DOM anyway).

 * Remote control (issue 6): only the main world holds rrweb's mirror (node id -> node), so it resolves
 * ids; everything else stays in the isolated world: whether control is granted, whether the target may
 * be clicked, and the click itself. A forged answer can at worst make a technician's click land elsewhere
 * in the page's own page, which it could do to itself anyway; it cannot make a click happen (the isolated
 * world only asks while control is granted) nor grant control (that takes the customer's own click in a
 * closed shadow root). The answer is an event dispatched on the node itself (`targetEventName`), so the
 * isolated world gets the very element; a node cannot travel in a string.
 */
// zod/mini: both content scripts load this module (lib/protocol/tab-port.ts says why).
import * as z from 'zod/mini';
import { pageRulesSchema } from '@/lib/protocol/site-rules';
import { ASSET_KEY_PATTERN, ASSET_MIME_TYPES } from '@/lib/protocol/assets';

export const PAGE_CHANNEL = 'meekijk:page';

/** Isolated world -> page world: a ToPage message as JSON. */
export const TO_PAGE_EVENT = 'meekijk:to-page';
/** Page world -> isolated world: a FromPage message as JSON. */
export const FROM_PAGE_EVENT = 'meekijk:from-page';
/** Page world -> isolated world: a batch of rrweb events as JSON (lib/protocol/events-json.ts), passed on unread. */
export const EVENTS_EVENT = 'meekijk:events';

/** Page world -> isolated world: a PageAsset message as JSON (issue 20, docs/replay-assets.md). */
export const ASSETS_EVENT = 'meekijk:assets';

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

/** A resolve request's id, to match the answer to it. */
const requestIdSchema = z.string().check(z.regex(/^[0-9a-f-]{36}$/));

/** Page world -> isolated world. */
export const fromPageSchema = z.discriminatedUnion('type', [
  z.object({ channel: z.literal(PAGE_CHANNEL), type: z.literal('ready') }),
  z.object({ channel: z.literal(PAGE_CHANNEL), type: z.literal('error'), message: z.string().check(z.maxLength(500)) }),
  /** No node has that id (`unknown`), or it is no longer in the page (`stale`). */
  z.object({ channel: z.literal(PAGE_CHANNEL), type: z.literal('unresolved'), req: requestIdSchema, reason: z.enum(['unknown', 'stale']) }),
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
  /** Which node is rrweb id `id`? Answered at once: the target event on the node, or `unresolved`. */
  z.object({ channel: z.literal(PAGE_CHANNEL), type: z.literal('resolve'), req: requestIdSchema, id: z.int().check(z.gte(1)) }),
]);
export type ToPage = z.infer<typeof toPageSchema>;
export type ToPageBody = ToPage extends infer M ? (M extends ToPage ? Omit<M, 'channel'> : never) : never;
export type FromPageBody = FromPage extends infer M ? (M extends FromPage ? Omit<M, 'channel'> : never) : never;

/** The answer to resolve request `req`, dispatched on the node itself (bubbling, composed). */
export const targetEventName = (req: string) => `meekijk-control-target-${req}`;

/** The largest source the tab script reads for one asset, before the peer host scales it (issue 20). */
export const MAX_SOURCE_BYTES = 12 * 1024 * 1024;

const assetKeySchema = z.string().check(z.regex(ASSET_KEY_PATTERN));
/** Standard base64, at most `bytes` bytes once decoded. */
export const base64Schema = (bytes: number) => z.string().check(z.maxLength(Math.ceil(bytes / 3) * 4), z.regex(/^[A-Za-z0-9+/]*={0,2}$/));

/**
 * Page world -> isolated world, about the assets the events' tokens name (lib/page/assets). Untrusted
 * like everything from the page: the tab script reads only http(s) and the page's own blob: URLs, with
 * the page's own CORS rules, so a forged request reads nothing the page could not read itself.
 */
export const pageAssetSchema = z.discriminatedUnion('type', [
  /** Read `url` for `key`; `tier` 0 goes first (in view), `width`/`height` the CSS size it is shown at (0: unknown). */
  z.object({
    type: z.literal('fetch'),
    key: assetKeySchema,
    url: z.string().check(z.maxLength(8192)),
    tier: z.int().check(z.gte(0), z.lte(2)),
    width: z.number().check(z.gte(0), z.lte(100_000)),
    height: z.number().check(z.gte(0), z.lte(100_000)),
    dpr: z.number().check(z.gt(0), z.lte(8)),
  }),
  /** Bytes the page made itself (a canvas picture): sent as they are. */
  z.object({ type: z.literal('bytes'), key: assetKeySchema, mime: z.enum(ASSET_MIME_TYPES), data: base64Schema(MAX_SOURCE_BYTES) }),
  /** A new full snapshot uses these keys again: the peer host re-sends them to a viewer that lacks them. */
  z.object({ type: z.literal('again'), keys: z.array(assetKeySchema).check(z.maxLength(20_000)) }),
]);
export type PageAsset = z.infer<typeof pageAssetSchema>;
