/**
 * Turns the technician's mouse over the replay into control messages (issue 6): moving points (a laser
 * dot on the customer's page), a click is a remote click while control is granted and a point otherwise,
 * the wheel scrolls while granted. Positions go out as fractions (lib/protocol/control.ts), nodes as
 * rrweb mirror ids of the replay, which are the customer's ids.
 */
import type { ToExtension } from '@/lib/protocol/wire';
import { NAMED_KEYS } from '@/lib/protocol/control';

const NAMED = new Set<string>(NAMED_KEYS);

/** The pointer is sent at most this often (the extension limits it too). */
export const POINTER_EVERY_MS = 60;
const SCROLL_EVERY_MS = 50;

export interface ReplayFrame {
  iframe: HTMLIFrameElement;
  idOf: (node: Node) => number;
}

export interface ControlInputOptions {
  stage: HTMLElement;
  frame: () => ReplayFrame | undefined;
  granted: () => boolean;
  send: (message: ToExtension) => void;
  /** A click went out (seq), at stage pixel (x, y): for the local marker and the round-trip time. */
  onClick: (seq: number, at: { x: number; y: number }) => void;
  /** The technician typed while control is not granted: nothing was sent, say why. */
  onTypingRefused: () => void;
}

interface ViewportPoint {
  frame: ReplayFrame;
  /** Pixels in the customer's viewport. */
  vx: number;
  vy: number;
  width: number;
  height: number;
}

/** Where a mouse event falls in the customer's viewport, or null outside the replay. */
export function viewportPoint(frame: ReplayFrame, clientX: number, clientY: number): ViewportPoint | null {
  const width = frame.iframe.offsetWidth;
  const height = frame.iframe.offsetHeight;
  const rect = frame.iframe.getBoundingClientRect();
  if (!width || !height || !rect.width) return null;
  const scale = rect.width / width;
  const vx = (clientX - rect.left) / scale;
  const vy = (clientY - rect.top) / scale;
  if (vx < 0 || vy < 0 || vx >= width || vy >= height) return null;
  return { frame, vx, vy, width, height };
}

/** The replayed node under the point and the position within its box, or null. */
export function clickTarget(point: ViewportPoint): { id: number; x: number; y: number } | null {
  const element = point.frame.iframe.contentDocument?.elementFromPoint(point.vx, point.vy);
  if (!element) return null;
  const id = point.frame.idOf(element);
  if (!(id > 0)) return null;
  const box = element.getBoundingClientRect();
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return {
    id,
    x: box.width ? clamp((point.vx - box.left) / box.width) : 0.5,
    y: box.height ? clamp((point.vy - box.top) / box.height) : 0.5,
  };
}

export function startControlInput({ stage, frame, granted, send, onClick, onTypingRefused }: ControlInputOptions): () => void {
  const abort = new AbortController();
  const on = <K extends keyof HTMLElementEventMap>(type: K, fn: (e: HTMLElementEventMap[K]) => void, passive = true) =>
    stage.addEventListener(type, fn, { signal: abort.signal, passive });
  let lastPointer = 0;
  let seq = 1;
  let keySeq = 1;
  let wheel = { dx: 0, dy: 0, x: 0, y: 0 };
  let wheelTimer: ReturnType<typeof setTimeout> | undefined;

  const at = (e: MouseEvent) => {
    const f = frame();
    return f ? viewportPoint(f, e.clientX, e.clientY) : null;
  };
  const pointer = (p: ViewportPoint) => send({ type: 'pointer', x: p.vx / p.width, y: p.vy / p.height });

  on('mousemove', (e) => {
    const now = performance.now();
    if (now - lastPointer < POINTER_EVERY_MS) return;
    const p = at(e);
    if (!p) return;
    lastPointer = now;
    pointer(p);
  });
  on('click', (e) => {
    const p = at(e);
    if (!p) return;
    if (!granted()) return pointer(p);
    const target = clickTarget(p);
    if (!target) return;
    const n = seq++;
    const box = stage.getBoundingClientRect();
    onClick(n, { x: e.clientX - box.left, y: e.clientY - box.top });
    send({ type: 'click', seq: n, ...target });
  });
  // The replay takes the keyboard once clicked (the stage is focusable), as the customer's field would.
  on('mousedown', () => stage.focus({ preventScroll: true }));
  // Typing (issue 23): characters and editing keys go to the customer's focused field while control is
  // granted; browser shortcuts (Ctrl, Alt, Meta) and Tab stay the technician's.
  on(
    'keydown',
    (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      const key = [...e.key].length === 1 ? e.key : NAMED.has(e.key) ? e.key : null;
      if (!key) return;
      e.preventDefault();
      if (!granted()) return onTypingRefused();
      send({ type: 'key', seq: keySeq++, key });
    },
    false,
  );
  on(
    'wheel',
    (e) => {
      if (!granted()) return;
      const p = at(e);
      if (!p) return;
      e.preventDefault();
      const unit = e.deltaMode === 1 ? 40 : e.deltaMode === 2 ? p.height : 1;
      wheel = { dx: wheel.dx + e.deltaX * unit, dy: wheel.dy + e.deltaY * unit, x: p.vx / p.width, y: p.vy / p.height };
      wheelTimer ??= setTimeout(() => {
        wheelTimer = undefined;
        const clamp = (v: number) => Math.max(-5000, Math.min(5000, Math.round(v)));
        send({ type: 'scroll', x: wheel.x, y: wheel.y, dx: clamp(wheel.dx), dy: clamp(wheel.dy) });
        wheel = { dx: 0, dy: 0, x: 0, y: 0 };
      }, SCROLL_EVERY_MS);
    },
    false,
  );
  return () => {
    abort.abort();
    clearTimeout(wheelTimer);
  };
}
