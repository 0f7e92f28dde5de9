/**
 * rrweb on its own, both ends, for `npm run bench:mirror-floor`: `snapshot()` in the customer's page (one
 * record() call with default options, which takes the full snapshot synchronously, and the events as text),
 * `replay()` in a blank page (a live-mode Replayer made and started beforehand, as the viewer does: the
 * text parsed, added, rebuilt on the Replayer's next frame, and that frame rendered).
 */
import { record, Replayer, type eventWithTime } from 'rrweb';

interface Snapshot {
  json: string;
  recordMs: number;
  textMs: number;
}
interface Replayed {
  /** Parse and hand the events to the Replayer. */
  addMs: number;
  /** Until the page's last element is in the replay iframe (the Replayer rebuilds in its frame callback). */
  rebuiltMs: number;
  /** Until the first frame after the rebuild has been rendered (the viewer bench's "painted"). */
  paintedMs: number;
}

function snapshot(): Snapshot {
  const events: eventWithTime[] = [];
  const started = performance.now();
  const stop = record({ emit: (event) => events.push(event) });
  const recorded = performance.now();
  const json = JSON.stringify(events);
  const done = performance.now();
  stop?.();
  return { json, recordMs: recorded - started, textMs: done - recorded };
}

let replayer: Replayer | undefined;
/** The Replayer's clock, so events are stamped "now" on arrival as the viewer does (viewer/lib/live-replay.ts). */
let clock = { base: 0, started: 0 };
function prepare(): void {
  replayer = new Replayer([], { root: document.body, liveMode: true, mouseTail: false, showWarning: false, UNSAFE_replayCanvas: false });
  const base = Date.now();
  replayer.startLive(base);
  clock = { base, started: performance.now() };
}

function replay(json: string, marker: string): Promise<Replayed> {
  const r = replayer;
  if (!r) throw new Error('prepare() first');
  return new Promise((resolve, reject) => {
    let done = false;
    const giveUp = setTimeout(() => {
      done = true;
      observer.disconnect();
      reject(new Error(`the replay never showed #${marker}`));
    }, 60_000);
    let rebuilt: number | undefined;
    // As the viewer bench does (bench/viewer-watch.ts): the rebuild is seen as it happens (a mutation
    // observer on the replay document), and a message posted in every frame callback runs after that
    // frame's rendering; the first one after the rebuild marks the paint.
    let watched: Document | null = null;
    const observer = new MutationObserver(() => {
      if (rebuilt === undefined && watched?.getElementById(marker)) rebuilt = performance.now();
    });
    const watch = () => {
      const doc = r.iframe.contentDocument;
      if (doc && doc !== watched) {
        watched = doc;
        observer.disconnect();
        observer.observe(doc, { childList: true, subtree: true });
      }
    };
    watch();
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      if (rebuilt === undefined || done) return;
      clearTimeout(giveUp);
      observer.disconnect();
      resolve({ addMs: added - started, rebuiltMs: rebuilt - started, paintedMs: performance.now() - started });
      done = true;
    };
    const loop = () => {
      if (done) return;
      watch();
      // Should rrweb ever give the iframe a new document, the rebuild is seen here, a frame late at most.
      if (rebuilt === undefined && watched?.getElementById(marker)) rebuilt = performance.now();
      channel.port2.postMessage(0);
      requestAnimationFrame(loop);
    };
    const started = performance.now();
    for (const event of JSON.parse(json) as eventWithTime[]) r.addEvent({ ...event, timestamp: clock.base + (performance.now() - clock.started) });
    const added = performance.now();
    requestAnimationFrame(loop);
  });
}

Object.assign(window, { __rrwebMirror: { snapshot, prepare, replay } });
