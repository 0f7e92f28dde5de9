/**
 * Isolated world: asks the page-world resolver for the element behind an rrweb node id. Resolves to
 * 'unknown' when no node has that id (or no answer comes in time), 'stale' when it left the page.
 */
import { CONTROL_CHANNEL, targetEventName, unresolvedSchema } from '@/lib/protocol/page-control-messages';

export const RESOLVE_TIMEOUT_MS = 500;

export type Resolved = Element | 'unknown' | 'stale';

export function resolveNode(win: Window, id: number, timeoutMs = RESOLVE_TIMEOUT_MS): Promise<Resolved> {
  const req = crypto.randomUUID();
  const name = targetEventName(req);
  return new Promise((resolve) => {
    const done = (element: Resolved) => {
      win.removeEventListener(name, onTarget, true);
      win.removeEventListener('message', onMessage);
      clearTimeout(timer);
      resolve(element);
    };
    const onTarget = (event: Event) => {
      const target = event.composedPath()[0] as Node | undefined;
      done(target?.nodeType === 1 ? (target as Element) : 'unknown');
    };
    const onMessage = (event: MessageEvent) => {
      if (event.source !== win) return;
      const parsed = unresolvedSchema.safeParse(event.data);
      if (parsed.success && parsed.data.req === req) done(parsed.data.reason);
    };
    const timer = setTimeout(() => done('unknown'), timeoutMs);
    win.addEventListener(name, onTarget, true);
    win.addEventListener('message', onMessage);
    win.postMessage({ channel: CONTROL_CHANNEL, type: 'resolve', req, id }, '*');
  });
}
