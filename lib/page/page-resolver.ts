/**
 * Runs in the page's main world next to the recorder (entrypoints/recorder.content.ts): answers "which
 * node is rrweb id N?" for the isolated world, and nothing else. It decides nothing and clicks nothing
 * (lib/protocol/page-bridge.ts explains why that split is safe).
 */
import { record } from 'rrweb';
import { dispatchBridge, FROM_PAGE_EVENT, listenBridge, PAGE_CHANNEL, readBridge, targetEventName, TO_PAGE_EVENT, toPageSchema, type FromPageBody } from '@/lib/protocol/page-bridge';

const INSTALLED = Symbol.for('meekijk.node-resolver');

/**
 * Installs the resolver once per page; returns its removal, which the page agent calls at the session's
 * end (art. 1.2: nothing of ours keeps listening in the page afterwards).
 */
export function installNodeResolver(
  win: Window = window,
  nodeOf: (id: number) => Node | null = (id) => record.mirror.getNode(id),
): () => void {
  const slot = win as unknown as Record<symbol, boolean>;
  if (slot[INSTALLED]) return () => undefined;
  slot[INSTALLED] = true;
  const abort = new AbortController();
  const post = (body: FromPageBody) => dispatchBridge(win, FROM_PAGE_EVENT, JSON.stringify({ channel: PAGE_CHANNEL, ...body }));
  listenBridge(win, TO_PAGE_EVENT, (detail) => {
    const message = readBridge(toPageSchema, detail);
    if (message?.type !== 'resolve') return;
    const { req, id } = message;
    const node = nodeOf(id);
    const element = node?.nodeType === 1 ? (node as Element) : (node?.parentElement ?? null);
    // A detached node would swallow the event (it never reaches the window): say so instead.
    if (element?.isConnected) element.dispatchEvent(new CustomEvent(targetEventName(req), { bubbles: true, composed: true }));
    else post({ type: 'unresolved', req, reason: element ? 'stale' : 'unknown' });
  }, abort.signal);
  return () => {
    abort.abort();
    slot[INSTALLED] = false;
  };
}
