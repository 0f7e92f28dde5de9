/**
 * Runs in the page's main world next to the recorder (entrypoints/recorder.content.ts): answers "which
 * node is rrweb id N?" for the isolated world, and nothing else. It decides nothing and clicks nothing
 * (lib/protocol/page-control-messages.ts explains why that split is safe).
 */
import { record } from 'rrweb';
import { CONTROL_CHANNEL, resolveRequestSchema, targetEventName } from '@/lib/protocol/page-control-messages';

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
  win.addEventListener('message', (event: MessageEvent) => {
    if (event.source !== win) return;
    const parsed = resolveRequestSchema.safeParse(event.data);
    if (!parsed.success) return;
    const { req, id } = parsed.data;
    const node = nodeOf(id);
    const element = node?.nodeType === 1 ? (node as Element) : (node?.parentElement ?? null);
    // A detached node would swallow the event (it never reaches the window): say so instead.
    if (element?.isConnected) element.dispatchEvent(new CustomEvent(targetEventName(req), { bubbles: true, composed: true }));
    else win.postMessage({ channel: CONTROL_CHANNEL, type: 'unresolved', req, reason: element ? 'stale' : 'unknown' }, '*');
  }, { signal: abort.signal });
  return () => {
    abort.abort();
    slot[INSTALLED] = false;
  };
}
