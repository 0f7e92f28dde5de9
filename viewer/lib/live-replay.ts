/**
 * Live replay of the customer's tab with rrweb's Replayer, in rrweb's sandboxed iframe (sandbox
 * "allow-same-origin" only: the recorded page's scripts never run, invariant 8).
 *
 * Timing: the Replayer plays an event once its timer (performance.now(), advanced in requestAnimationFrame)
 * passes the event's timestamp. The customer's clock may be off by seconds, so every event is re-stamped on
 * arrival with the replayer's own clock, never in the future: a change arriving now is applied in the very
 * next animation frame and painted with it (no jitter buffer: on a data channel that is reliable and ordered
 * there is nothing to smooth out). Stamping with Date.now() instead, as rrweb's examples do, mixes the wall
 * clock with the timer's monotonic one and held changes back by a frame or two (docs/performance.md).
 *
 * Only cursor movement keeps a little of its recorded time: the positions of one batch play back spread
 * over the span they were recorded in, so the cursor glides instead of jumping (at most one batch behind).
 *
 * The Replayer keeps every event it was given, for seeking; live, nothing seeks, so the buffer is trimmed.
 *
 * Every event is rewritten before the Replayer sees it (viewer/lib/assets/rewrite-events.ts): the replay loads
 * nothing from any origin but the viewer's own, only the assets the customer's side sent (issue 20).
 */
import { Replayer } from 'rrweb';
import type { eventWithTime } from '@rrweb/types';
import type { WireRrwebEvent } from '@/lib/protocol/wire';
import { scheduleReplayWarmUp } from './replay-warm-up';
import { stylePlaceholders, type PlaceholderLabels } from './replay-placeholders';
import { attachShadowOnAdoption } from './replay-adopted-sheets';
import { createEventRewriter } from './assets/rewrite-events';
import { patchReplay } from './assets/patch';
import type { AssetStore } from './assets/store';
import { drawCanvasPictures } from './replay-canvas';

export interface LiveReplay {
  add(events: WireRrwebEvent[]): void;
  /** Scale the recorded viewport to fit the stage. */
  fit(): void;
  /** Events applied so far (for the status line and tests). */
  readonly applied: number;
  /** The replay iframe and its node ids (rrweb's mirror), for pointing and remote clicks (issue 6). */
  frame(): { iframe: HTMLIFrameElement; idOf: (node: Node) => number } | undefined;
  /** Writes the placeholders' labels again (the technician switched language). */
  relabel(): void;
  stop(): void;
}

export interface LiveReplayOptions {
  /** The labels of the placeholders in the replay (lib/protocol/placeholders.ts), in the viewer's language. */
  placeholderLabels?: () => PlaceholderLabels;
  /** The assets the customer's side sent (viewer/lib/assets/store.ts), for the tokens in the events (issue 20). */
  assets?: AssetStore;
}

const META = 4;
const FULL_SNAPSHOT = 2;
const INCREMENTAL = 3;
const MOUSE_MOVE_SOURCES = new Set([1, 6, 12]); // MouseMove, TouchMove, Drag
/** Events the Replayer keeps beyond the first; older ones are only used for seeking, which live mode never does. */
const LIVE_BUFFER = 500;

export function startLiveReplay(stage: HTMLElement, { placeholderLabels, assets }: LiveReplayOptions = {}): LiveReplay {
  let applied = 0;
  const lookup = assets?.lookup ?? (() => undefined);
  const rewriter = createEventRewriter(lookup);
  let size = { width: 1280, height: 720 };

  /**
   * The Replayer, with its sandboxed iframe, is made at once rather than when the first snapshot
   * arrives: making it (rrweb's setupDom) would otherwise sit on the first frame's
   * path. It stays hidden until there is something to show.
   */
  const replayer = new Replayer([], {
    root: stage,
    liveMode: true,
    mouseTail: false,
    showWarning: false,
    UNSAFE_replayCanvas: false,
    triggerFocus: false,
  });
  const fit = () => {
    const wrapper = replayer.wrapper;
    const scale = Math.min(stage.clientWidth / size.width, stage.clientHeight / size.height, 1);
    wrapper.style.transform = `scale(${scale})`;
    wrapper.style.transformOrigin = 'top left';
    wrapper.style.left = `${Math.max(0, (stage.clientWidth - size.width * scale) / 2)}px`;
  };
  const observer = new ResizeObserver(fit);
  observer.observe(stage);
  replayer.on('resize', (dimension) => {
    const d = dimension as { width: number; height: number };
    size = { width: d.width, height: d.height };
    fit();
  });
  attachShadowOnAdoption(replayer);
  // Every full snapshot builds a new document in the replay's frame: the placeholders' style goes in again.
  const relabel = () => {
    if (placeholderLabels) stylePlaceholders(replayer.iframe.contentDocument, placeholderLabels());
  };
  replayer.on('fullsnapshot-rebuilded', relabel);
  replayer.wrapper.style.visibility = 'hidden';
  /** Whether the replay has begun (a full snapshot, or the Meta event right before it, has been added). */
  let begun = false;
  // While the customer has yet to consent: rrweb's rebuild runs on a synthetic page (replay-warm-up.ts).
  const cancelWarmUp = scheduleReplayWarmUp({ doc: stage.ownerDocument });
  const base = Date.now();
  replayer.startLive(base);
  /**
   * The replayer's clock: the baseline timestamp, and the performance.now() right after its timer
   * started (taken after, so a stamp is never ahead of the timer's elapsed time).
   */
  const clock = { base, started: performance.now(), last: base };

  /** Now, on the replayer's timer: due at its next animation frame. Never earlier than the last stamp. */
  const stamp = (event: WireRrwebEvent): number => {
    const now = Math.max(clock.last, clock.base + (performance.now() - clock.started));
    clock.last = now;
    if (event.type === INCREMENTAL && MOUSE_MOVE_SOURCES.has(Number(event.data.source))) {
      const positions = event.data.positions;
      const first = Array.isArray(positions) ? (positions[0] as { timeOffset?: unknown } | undefined) : undefined;
      const span = typeof first?.timeOffset === 'number' ? Math.min(Math.max(-first.timeOffset, 0), 200) : 0;
      return now + span;
    }
    return now;
  };

  /**
   * Late assets: patch what the replay already shows when a key is resolved, and again when an event that
   * was waiting for a key is applied after its key was resolved (rrweb applies events a frame later).
   */
  const waiting = new WeakMap<eventWithTime, Set<string>>();
  let patchScheduled: ReturnType<typeof setTimeout> | undefined;
  const schedulePatch = () => {
    patchScheduled ??= setTimeout(() => {
      patchScheduled = undefined;
      const doc = replayer.iframe.contentDocument;
      if (doc) patchReplay(doc, lookup);
    }, 0);
  };
  const stopResolved = assets?.onResolved(schedulePatch);
  const stopCanvas = assets ? drawCanvasPictures(replayer, assets) : undefined;
  replayer.on('event-cast', (cast) => {
    const keys = waiting.get(cast as eventWithTime);
    if (!keys) return;
    waiting.delete(cast as eventWithTime);
    for (const key of keys) if (lookup(key) !== undefined) return schedulePatch();
  });

  const trim = () => {
    const events = replayer.service.state.context.events;
    if (events && events.length > 2 * LIVE_BUFFER) events.splice(1, events.length - LIVE_BUFFER - 1);
  };

  return {
    add(events) {
      for (const raw of events) {
        if (!begun) {
          // A replay can only begin at a full snapshot (or the Meta event right before it).
          if (raw.type !== META && raw.type !== FULL_SNAPSHOT) continue;
          begun = true;
          cancelWarmUp();
          replayer.wrapper.style.visibility = '';
        }
        const pending = rewriter.rewrite(raw);
        const event = { ...raw, timestamp: stamp(raw) } as eventWithTime;
        if (pending.size > 0) waiting.set(event, pending);
        try {
          replayer.addEvent(event);
          applied++;
        } catch (error) {
          console.warn('meekijk: event could not be replayed', error);
        }
      }
      trim();
    },
    fit,
    get applied() {
      return applied;
    },
    frame() {
      if (!begun) return undefined;
      const mirror = replayer.getMirror();
      return { iframe: replayer.iframe, idOf: (node: Node) => mirror.getId(node) };
    },
    relabel,
    stop() {
      cancelWarmUp();
      stopResolved?.();
      stopCanvas?.();
      clearTimeout(patchScheduled);
      observer.disconnect();
      replayer.destroy();
    },
  };
}
