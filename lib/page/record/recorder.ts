/**
 * The rrweb recorder. Runs in the page's main world so that it sees what page scripts do to stylesheets
 * (CSS-in-JS inserts rules through CSSStyleSheet.insertRule, invisible from an isolated world).
 * It knows nothing about transport: events go to `emit`, in batches.
 */
import { record } from 'rrweb';
import { EventType, IncrementalSource, type eventWithTime } from '@rrweb/types';
import type { PageRules } from '@/lib/protocol/site-rules';
import { createBatcher } from './event-batcher';
import { nextAnimationFrame, yieldToPage } from '@/lib/shared/schedule';
import { createPrivacy } from '@/lib/page/privacy/privacy';
import { createSnapshotSlices } from './sliced-snapshot';
import { startCanvasPictures } from './canvas-pictures';
import type { AssetCapture } from '@/lib/page/assets/asset-capture';

/**
 * Cursor and scroll. rrweb collects cursor positions for 500 ms by default before it emits them: far too
 * slow for someone guiding over the phone. Positions are sampled at display rate (16 ms) and emitted every
 * CURSOR_EMIT_MS; the viewer plays them back over the span they were recorded in, so the cursor glides,
 * at most CURSOR_EMIT_MS behind. Emitting every frame would cost a message per frame on the wire, each with
 * its DTLS, SCTP and acknowledgement overhead (measured in docs/performance.md).
 * Scroll positions: at most one per CURSOR_EMIT_MS (rrweb keeps the last), and the viewer scrolls smoothly.
 */
export const CURSOR_EMIT_MS = 100;
const LIVE_SAMPLING = { mousemove: 16, mousemoveCallback: CURSOR_EMIT_MS, scroll: CURSOR_EMIT_MS } as const;

/** Pointer and scroll samples, and the clicks and focus changes that come with the pointer. */
const CONTINUOUS_SOURCES: ReadonlySet<number> = new Set([
  IncrementalSource.MouseMove,
  IncrementalSource.MouseInteraction,
  IncrementalSource.Scroll,
  IncrementalSource.TouchMove,
  IncrementalSource.Drag,
]);

/** Cursor and scroll samples ride along with the next frame's batch rather than taking a message of their own. */
export function isContinuousSample(event: eventWithTime): boolean {
  return event.type === EventType.IncrementalSnapshot && CONTINUOUS_SOURCES.has((event.data as { source?: number }).source ?? -1);
}

export interface RecordingOptions {
  emit: (events: eventWithTime[]) => void;
  onError?: (error: unknown) => void;
  /** Extra masking and blocking the server configured for this site. */
  siteRules?: PageRules;
  /** Issue 20: replaces the URLs in each event by asset tokens, after the privacy filter (lib/page/assets). */
  assets?: AssetCapture;
}

export interface Recording {
  /** Emits a new full snapshot (after navigation, or when the viewer asks for one). */
  snapshot(): void;
  stop(): void;
}

/**
 * The longest a snapshot slice may run before the page gets a turn. Tasks over 50 ms are what browsers
 * count as long (they delay input); a slice also ends only after the node it is on, and the last one is
 * followed by the event filter's pass over the finished tree, so slices stay well under that.
 */
export const SNAPSHOT_SLICE_MS = 12;

export function startRecording({ emit, onError, siteRules, assets }: RecordingOptions): Recording {
  // Batches go at the microtask after their events (for a mutation: right after rrweb's observer callback,
  // in the same task as the change), not in a task of their own: the browser runs input and rendering
  // before posted tasks, which then wait while the customer types or moves the mouse. Up to
  // three batches a frame go at once; the rest wait for the frame.
  const batcher = createBatcher<eventWithTime>(emit, {
    schedule: queueMicrotask,
    nextFrame: nextAnimationFrame(),
    isContinuous: isContinuousSample,
    taskBatchesPerFrame: 3,
  });
  const privacy = createPrivacy({
    page: siteRules,
    nodeOf: (id) => record.mirror.getNode(id),
    onInvalidSelector: (selector) => onError?.(new Error(`site rule selector ignored, not valid CSS: ${selector.slice(0, 200)}`)),
  });
  const slices = createSnapshotSlices({ mirror: record.mirror });
  /** While a snapshot is taken in slices: everything rrweb emits, sent once the snapshot is complete. */
  let held: eventWithTime[] | null = null;
  let stopped = false;

  // Invariant 2: masked in snapshots, mutations, attributes and input events, and every event checked
  // again before it leaves the page world; an event the filter cannot vouch for is dropped (fail closed).
  // Held events are checked when they are sent, against the page as it is then.
  // Issue 20: then every URL the replay would load becomes a token; an event the tokeniser fails on is
  // dropped like one the filter cannot vouch for, as it might still hold a URL of the customer's sites.
  const assetRecording = { nodeOf: (id: number) => record.mirror.getNode(id), inject: (event: eventWithTime) => send(event) };
  const send = (event: eventWithTime) => {
    let safe: eventWithTime[] = [];
    try {
      safe = privacy.filter(event);
      if (assets) for (const out of safe) assets.process(out, assetRecording);
    } catch (error) {
      safe = [];
      onError?.(error);
    }
    for (const out of safe) batcher.push(out);
  };
  /** Sends what was held, in order: the finished snapshot first. */
  const sendHeld = (events: eventWithTime[]) => {
    held = null;
    for (const event of events) send(event);
    batcher.flush();
  };
  /** A slice failed: what was held goes, and rrweb takes the snapshot in one go, as it does without slices. */
  const snapshotAtOnce = (error: unknown) => {
    onError?.(error);
    slices.cancel();
    held = null;
    record.takeFullSnapshot(true);
    batcher.flush();
  };
  const finishSlices = async () => {
    try {
      // Not in the task that started recording: rrweb's set-up (its observers, and compiling its code on
      // first use) is enough for that one.
      do {
        await yieldToPage();
        if (stopped) return;
      } while (!slices.work(performance.now() + SNAPSHOT_SLICE_MS));
      // Bringing the tree up to date, and the event filter's pass over it, each get a task of their own;
      // what rrweb emits in between waits behind the snapshot.
      await yieldToPage();
      if (stopped) return;
      const events = slices.finish(held ?? []);
      const later: eventWithTime[] = (held = []);
      await yieldToPage();
      if (!stopped) sendHeld([...events, ...later]);
    } catch (error) {
      if (!stopped) snapshotAtOnce(error);
    }
  };
  // Issue 20: visible canvases as pictures, unless a site rule turns them off (docs/site-owners.md).
  const canvas =
    assets && siteRules?.canvas !== false
      ? startCanvasPictures({
          mirror: record.mirror,
          blockSelector: privacy.rules.blockSelector,
          assets,
          emit: (event) => (held ? held.push(event) : send(event)),
          onError,
        })
      : undefined;
  /** Runs `take` (which makes rrweb take a full snapshot) with the snapshot in slices. */
  const sliced = (take: () => void) => {
    // The new snapshot's canvases are blank in the replay: every visible one is sent again.
    canvas?.reset();
    held = [];
    if (slices.capture(take)) void finishSlices();
    else sendHeld(slices.finish(held));
  };

  let stopRecord: (() => void) | undefined;
  sliced(() => {
    stopRecord = record({
      emit: (event) => {
        if (held) held.push(event);
        else send(event);
      },
      ...privacy.recordOptions,
      inlineStylesheet: true,
      recordCanvas: false,
      collectFonts: false,
      // Input: every `input` event, not only `change` (which fires on blur), so the technician sees the
      // customer typing as it happens. The value is the constant mask, so rrweb's own de-duplication sends
      // one event per field, not one per key.
      sampling: { ...LIVE_SAMPLING, input: 'all', media: 800 },
      errorHandler: (error) => {
        onError?.(error);
        return true;
      },
    });
  });
  if (!stopRecord) {
    slices.cancel();
    throw new Error('rrweb did not start recording (no document?)');
  }
  const stopRrweb = stopRecord;
  return {
    snapshot() {
      // One already on its way is as fresh as a new one would be: it is reconciled with the page at its end.
      if (held) return;
      sliced(() => record.takeFullSnapshot(true));
    },
    stop() {
      stopped = true;
      canvas?.stop();
      slices.cancel();
      held = null;
      stopRrweb();
      privacy.stop();
      batcher.stop();
    },
  };
}
