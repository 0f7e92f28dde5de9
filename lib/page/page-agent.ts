/**
 * Runs in the page's main world (injected only into the shared tab, only during a session). Starts and
 * stops the recorder when the isolated content script says so and posts event batches back to it.
 */
import { dispatchBridge, EVENTS_EVENT, FROM_PAGE_EVENT, listenBridge, PAGE_CHANNEL, readBridge, TO_PAGE_EVENT, toPageSchema, type FromPageBody } from '@/lib/protocol/page-bridge';
import { NO_PAGE_RULES, type PageRules } from '@/lib/protocol/site-rules';
import { carriesFullSnapshot, encodeEvents } from '@/lib/protocol/events-json';
import { endOfTask } from '@/lib/shared/schedule';
import { startRecording, type Recording } from '@/lib/page/record/recorder';
import { createAssetCapture } from '@/lib/page/assets/asset-capture';
import { postPageAsset } from '@/lib/page/assets/send-asset';

const INSTALLED = Symbol.for('meekijk.page-agent');

/**
 * `onEnd` runs when the session's end reaches the page ('stop'): the agent has then removed its own
 * listener and stopped the recorder, and a new session injects the script again (art. 1.2: nothing of
 * ours keeps running in the page after the end).
 */
export function installPageAgent(win: Window = window, onEnd: () => void = () => undefined): void {
  const slot = win as unknown as Record<symbol, boolean>;
  if (slot[INSTALLED]) {
    post(win, { type: 'ready' });
    return;
  }
  slot[INSTALLED] = true;
  const abort = new AbortController();
  let recording: Recording | undefined;
  let token: string | undefined;
  let siteRules: PageRules = NO_PAGE_RULES;
  /** Selectors for the parts the customer hid ("verberg dit"): blocked like the site's own. */
  let hidden: string[] = [];
  const outbox = createOutbox((json) => dispatchBridge(win, EVENTS_EVENT, json));
  // Issue 20: one set of asset keys for the agent's life, so a new recording (new rules) reuses them.
  const assets = createAssetCapture({
    win,
    post: (message) => postPageAsset(win, message),
    onError: (error) => post(win, { type: 'error', message: String(error).slice(0, 500) }),
  });

  // rrweb fixes its selectors when it starts, so new rules mean a new recording: it begins with a fresh
  // full snapshot in which the newly hidden parts are placeholders.
  const begin = () => {
    recording?.stop();
    recording = undefined;
    try {
      recording = startRecording({
        siteRules: { ...siteRules, block: [...siteRules.block, ...hidden] },
        assets,
        emit: (events) => outbox.post(events),
        onError: (error) => post(win, { type: 'error', message: String(error).slice(0, 500) }),
      });
    } catch (error) {
      post(win, { type: 'error', message: String(error).slice(0, 500) });
    }
  };

  listenBridge(win, TO_PAGE_EVENT, (detail) => {
    const message = readBridge(toPageSchema, detail);
    // Resolve requests are the node resolver's (lib/page/page-resolver.ts).
    if (!message || message.type === 'resolve') return;
    if (message.type === 'start') {
      if (recording && token === message.token) return;
      token = message.token;
      siteRules = message.siteRules ?? NO_PAGE_RULES;
      hidden = message.hidden ?? [];
      begin();
    } else if (message.token === token) {
      if (message.type === 'snapshot') recording?.snapshot();
      if (message.type === 'hide') {
        hidden = message.selectors;
        if (recording) begin();
      }
      if (message.type === 'stop') {
        outbox.clear();
        assets.stop();
        recording?.stop();
        recording = undefined;
        token = undefined;
        abort.abort();
        slot[INSTALLED] = false;
        onEnd();
      }
    }
  }, abort.signal);
  post(win, { type: 'ready' });
}

/**
 * Posts event batches to the isolated world in order, as JSON text. A batch with a full snapshot is
 * serialised and posted in a task of its own (and what follows it waits its turn): rrweb's snapshot is
 * already one long task in the page, and the serialisation of a big page's tree should not add to it.
 */
export function createOutbox(send: (json: string) => void, later: (fn: () => void) => void = endOfTask) {
  let queue: unknown[][] = [];
  let scheduled = false;
  const drain = () => {
    scheduled = false;
    const batches = queue;
    queue = [];
    for (const batch of batches) send(encodeEvents(batch));
  };
  return {
    post(events: unknown[]) {
      if (!carriesFullSnapshot(events) && queue.length === 0) return send(encodeEvents(events));
      queue.push(events);
      if (!scheduled) {
        scheduled = true;
        later(drain);
      }
    },
    /** Drops what has not gone yet (the recording stopped). */
    clear() {
      queue = [];
    },
  };
}
function post(win: Window, body: FromPageBody) {
  dispatchBridge(win, FROM_PAGE_EVENT, JSON.stringify({ channel: PAGE_CHANNEL, ...body }));
}
