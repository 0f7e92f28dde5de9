/**
 * The rrweb recorder. Runs in the page's main world so that it sees what page scripts do to stylesheets
 * (CSS-in-JS inserts rules through CSSStyleSheet.insertRule, invisible from an isolated world).
 * It knows nothing about transport: events go to `emit`, in batches.
 */
import { record } from 'rrweb';
import type { eventWithTime } from '@rrweb/types';
import { BLOCK_SELECTOR, MASK_TEXT_SELECTOR, maskInput, maskText } from './mask';
import { createBatcher } from './event-batcher';

export interface RecordingOptions {
  emit: (events: eventWithTime[]) => void;
  onError?: (error: unknown) => void;
}

export interface Recording {
  /** Emits a new full snapshot (after navigation, or when the viewer asks for one). */
  snapshot(): void;
  stop(): void;
}

export function startRecording({ emit, onError }: RecordingOptions): Recording {
  const batcher = createBatcher<eventWithTime>(emit);
  const stopRecord = record({
    emit: (event) => batcher.push(event),
    // Invariant 2: every input value masked, in snapshots, mutations, attributes and input events.
    maskAllInputs: true,
    maskInputFn: maskInput,
    maskTextSelector: MASK_TEXT_SELECTOR,
    maskTextFn: maskText,
    blockSelector: BLOCK_SELECTOR,
    inlineStylesheet: true,
    recordCanvas: false,
    collectFonts: false,
    // rrweb batches mouse moves for 500 ms by default: far too slow for someone guiding over the phone.
    sampling: { mousemove: 16, mousemoveCallback: 16, scroll: 16, input: 'last', media: 800 },
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
