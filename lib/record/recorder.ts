/**
 * The rrweb recorder. Runs in the page's main world so that it sees what page scripts do to stylesheets
 * (CSS-in-JS inserts rules through CSSStyleSheet.insertRule, invisible from an isolated world).
 * It knows nothing about transport: events go to `emit`, in batches.
 */
import { record } from 'rrweb';
import type { eventWithTime } from '@rrweb/types';
import type { PageRules } from '@/lib/protocol/site-rules';
import { createBatcher } from './event-batcher';
import { createPrivacy } from './privacy';

export interface RecordingOptions {
  emit: (events: eventWithTime[]) => void;
  onError?: (error: unknown) => void;
  /** Extra masking and blocking the server configured for this site. */
  siteRules?: PageRules;
}

export interface Recording {
  /** Emits a new full snapshot (after navigation, or when the viewer asks for one). */
  snapshot(): void;
  stop(): void;
}

export function startRecording({ emit, onError, siteRules }: RecordingOptions): Recording {
  const batcher = createBatcher<eventWithTime>(emit);
  const privacy = createPrivacy({
    page: siteRules,
    nodeOf: (id) => record.mirror.getNode(id),
    onInvalidSelector: (selector) => onError?.(new Error(`site rule selector ignored, not valid CSS: ${selector.slice(0, 200)}`)),
  });
  const stopRecord = record({
    // Invariant 2: masked in snapshots, mutations, attributes and input events, and every event checked
    // again before it leaves the page world; an event the filter cannot vouch for is dropped (fail closed).
    emit: (event) => {
      let safe: eventWithTime | null = null;
      try {
        safe = privacy.filter(event);
      } catch (error) {
        onError?.(error);
      }
      if (safe) batcher.push(safe);
    },
    ...privacy.recordOptions,
    inlineStylesheet: true,
    recordCanvas: false,
    collectFonts: false,
    // rrweb batches mouse moves for 500 ms by default: far too slow for someone guiding over the phone.
    // Input: every `input` event, not only `change` (which fires on blur), so the technician sees the
    // customer typing as it happens. The value is the constant mask, so rrweb's own de-duplication sends
    // one event per field, not one per key.
    sampling: { mousemove: 16, mousemoveCallback: 16, scroll: 16, input: 'all', media: 800 },
    errorHandler: (error) => {
      onError?.(error);
      return true;
    },
  });
  if (!stopRecord) throw new Error('rrweb did not start recording (no document?)');
  return {
    snapshot() {
      record.takeFullSnapshot(true);
      batcher.flush();
    },
    stop() {
      stopRecord();
      batcher.stop();
    },
  };
}
