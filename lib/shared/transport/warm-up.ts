/**
 * Warms the codec before the first snapshot needs it.
 *
 * The first full snapshot of a session is also the first time the viewer's page runs inflate, the
 * unpacker and the wire schema, and V8 runs cold code in its interpreter, markedly slower than after one
 * warm-up snapshot (docs/performance.md, "Warm-up"). The viewer waits for the customer's consent anyway, so it runs a
 * synthetic snapshot through throwaway codec instances then. Nothing of it is sent, and the session's own
 * encoder and decoder are not touched.
 *
 * The customer's side does not warm up: at consent its machine is busy injecting and snapshotting the
 * page, and a warm-up in the offscreen document as well made the first frame no faster on the bench
 * (docs/performance.md, "Warm-up"): no gain to show for the CPU it takes.
 */
import { MessageDecoder, MessageEncoder } from './codec';

export const WARM_UP_ELEMENTS = 2_000;

/**
 * A page-like rrweb Meta + FullSnapshot pair of about `elements` elements (nested divs and spans with
 * classes, data attributes and text), shaped like what the recorder sends.
 */
export function syntheticSnapshot(elements: number = WARM_UP_ELEMENTS): unknown[] {
  let id = 1;
  const node = (depth: number): unknown => {
    const childNodes: unknown[] = [];
    if (depth < 3) for (let i = 0; i < 6; i++) childNodes.push(node(depth + 1));
    else childNodes.push({ type: 3, textContent: `Voorbeeldtekst ${id}`, id: id++ });
    return { type: 2, tagName: depth % 2 ? 'div' : 'span', attributes: { class: `c${id % 7}`, 'data-n': String(id) }, childNodes, id: id++ };
  };
  const body: unknown[] = [];
  while (id < elements) body.push(node(0));
  const html = { type: 2, tagName: 'html', attributes: {}, childNodes: [{ type: 2, tagName: 'body', attributes: {}, childNodes: body, id: id++ }], id: id++ };
  return [
    { type: 4, timestamp: 1, data: { href: 'about:blank', width: 1280, height: 720 } },
    { type: 2, timestamp: 2, data: { node: { type: 0, childNodes: [html], id: id++ }, initialOffset: { left: 0, top: 0 } } },
  ];
}

export interface WarmUpOptions {
  elements?: number;
  /** The receiver's check of a decoded message (the viewer: its wire schema). */
  accept?: (message: unknown) => unknown;
}

/** Runs one synthetic snapshot through a throwaway encoder and decoder; returns how long it took (ms). */
export function warmUpCodec({ elements = WARM_UP_ELEMENTS, accept }: WarmUpOptions = {}): number {
  const started = performance.now();
  const decoder = new MessageDecoder();
  for (const frame of new MessageEncoder().encode({ type: 'events', events: syntheticSnapshot(elements) })) {
    for (const result of decoder.push(frame)) {
      if (!result.ok) throw new Error(`codec warm-up did not round-trip: ${result.error.message}`);
      accept?.(result.value);
    }
  }
  return performance.now() - started;
}

/**
 * Runs `step` `rounds` times, each in a task of its own (so that no single one holds the thread for long:
 * the viewer's peer may be answering the customer meanwhile). Returns a cancel function; a step that
 * throws ends the rounds and is reported, never thrown.
 */
export function inRounds(rounds: number, step: () => void, onError: (error: unknown) => void): () => void {
  let left = rounds;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer = undefined;
    try {
      step();
    } catch (error) {
      onError(error);
      return;
    }
    if (--left > 0) timer = setTimeout(run, 0);
  };
  if (left > 0) timer = setTimeout(run, 0);
  return () => {
    left = 0;
    if (timer !== undefined) clearTimeout(timer);
  };
}

/** Warms the codec up in `rounds` tasks of `elements` each. Returns a cancel function. */
export function scheduleWarmUp(
  { rounds = 4, elements = WARM_UP_ELEMENTS / 4, ...options }: WarmUpOptions & { rounds?: number } = {},
  onError: (error: unknown) => void = (error) => console.warn('meekijk: codec warm-up failed:', error),
): () => void {
  return inRounds(rounds, () => warmUpCodec({ ...options, elements }), onError);
}
