/**
 * Isolated world: asks the page-world resolver for the element behind an rrweb node id, over the page
 * bridge (lib/protocol/page-bridge.ts). Its events run the other world's listeners at once, so the answer
 * is there when the request returns: 'unknown' when no node has that id (or no resolver answered), 'stale'
 * when the node left the page.
 */
import { dispatchBridge, FROM_PAGE_EVENT, fromPageSchema, PAGE_CHANNEL, readBridge, targetEventName, TO_PAGE_EVENT } from '@/lib/protocol/page-bridge';

export type Resolved = Element | 'unknown' | 'stale';

export function resolveNode(win: Window, id: number): Promise<Resolved> {
  const req = crypto.randomUUID();
  const name = targetEventName(req);
  let answer: Resolved | undefined;
  const onTarget = (event: Event) => {
    const target = event.composedPath()[0] as Node | undefined;
    answer ??= target?.nodeType === 1 ? (target as Element) : 'unknown';
  };
  const onUnresolved = (event: Event) => {
    const detail: unknown = (event as CustomEvent<unknown>).detail;
    const message = typeof detail === 'string' ? readBridge(fromPageSchema, detail) : undefined;
    if (message?.type === 'unresolved' && message.req === req) answer ??= message.reason;
  };
  win.addEventListener(name, onTarget, true);
  win.addEventListener(FROM_PAGE_EVENT, onUnresolved);
  try {
    dispatchBridge(win, TO_PAGE_EVENT, JSON.stringify({ channel: PAGE_CHANNEL, type: 'resolve', req, id }));
  } finally {
    win.removeEventListener(name, onTarget, true);
    win.removeEventListener(FROM_PAGE_EVENT, onUnresolved);
  }
  return Promise.resolve(answer ?? 'unknown');
}
