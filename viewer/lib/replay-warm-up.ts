/**
 * Warms rrweb's replay before the customer's first snapshot needs it.
 *
 * The first full snapshot of a session is also the first time the viewer's page runs rrweb's rebuild
 * (building the nodes, adapting the stylesheets for replay with PostCSS), and V8 runs cold code slowly.
 * A rebuild after one rebuild of a synthetic snapshot is markedly faster than a cold one (measured in
 * docs/performance.md, "Warm-up"). The technician's viewer
 * waits for the customer's consent anyway, so it rebuilds a synthetic snapshot, in a throwaway Replayer
 * off screen, while it waits. Nothing of it is shown, and the session's own Replayer is not touched.
 */
import { Replayer } from 'rrweb';
import type { eventWithTime } from '@rrweb/types';
import { inRounds, syntheticSnapshot } from '@/lib/shared/transport/warm-up';

/** What rrweb adapts for replay: hover rules (rewritten by PostCSS) and a media query. */
const WARM_UP_CSS = 'a:hover { color: #123 } .c1 > span { margin: 1px } @media (max-width: 600px) { .c2:hover { color: #456 } }';

/** The synthetic snapshot with a `<head>` and a stylesheet, as a page has. */
function warmUpEvents(elements: number): eventWithTime[] {
  const events = syntheticSnapshot(elements) as eventWithTime[];
  const full = events[1] as { data: { node: { childNodes: Array<{ childNodes: unknown[] }> } } };
  const html = full.data.node.childNodes[0]!;
  html.childNodes.unshift({
    type: 2,
    tagName: 'head',
    attributes: {},
    childNodes: [{ type: 2, tagName: 'style', attributes: { _cssText: WARM_UP_CSS }, childNodes: [], id: 1_000_001 }],
    id: 1_000_002,
  });
  return events;
}

/** Rebuilds a synthetic snapshot of `elements` elements off screen, then removes every trace. */
export function warmUpReplay(doc: Document = document, elements = 1_000): void {
  const root = doc.createElement('div');
  root.setAttribute('aria-hidden', 'true');
  root.style.cssText = 'position:fixed;left:-20000px;top:0;width:1280px;height:720px;visibility:hidden;pointer-events:none;contain:strict';
  doc.body.append(root);
  const events = warmUpEvents(elements);
  let replayer: Replayer | undefined;
  try {
    replayer = new Replayer(events, { root, showWarning: false, mouseTail: false, triggerFocus: false, UNSAFE_replayCanvas: false });
    // Pausing at the end applies every event at once: the rebuild, synchronously.
    replayer.pause(events[events.length - 1]!.timestamp - events[0]!.timestamp + 1);
  } finally {
    replayer?.destroy();
    root.remove();
  }
}

/** Warms up in `rounds` tasks. Returns a cancel function, for when the customer's snapshot arrives first. */
export function scheduleReplayWarmUp(
  { rounds = 2, elements = 1_000, doc = document }: { rounds?: number; elements?: number; doc?: Document } = {},
  onError: (error: unknown) => void = (error) => console.warn('meekijk: replay warm-up failed:', error),
): () => void {
  return inRounds(rounds, () => warmUpReplay(doc, elements), onError);
}
