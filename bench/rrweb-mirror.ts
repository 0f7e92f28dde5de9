/**
 * The two ends of `npm run bench:mirror-floor`, bundled for the browser.
 * - `snapshot()`, in the customer's page: rrweb alone, one record() call with default options, which takes
 *   the full snapshot synchronously, and the events as text.
 * - `prepare()` and `replay()`, in a blank page: the viewer's own live replay (viewer/lib/live-replay.ts),
 *   made beforehand as the viewer makes it, in a stage of the bench's viewport; `replay` parses the text
 *   and hands the events over. When it is rebuilt and painted is read by the main bench's own watch
 *   (bench/viewer-watch.ts), which looks for `.stage iframe`.
 */
import { record, type eventWithTime } from 'rrweb';
import type { WireRrwebEvent } from '@/lib/protocol/wire';
import { startLiveReplay, type LiveReplay } from '@/viewer/lib/live-replay';

interface Snapshot {
  json: string;
  recordMs: number;
  textMs: number;
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

let replay: LiveReplay | undefined;
function prepare(width: number, height: number): void {
  const stage = document.createElement('div');
  stage.className = 'stage';
  stage.style.cssText = `position:relative;overflow:hidden;width:${width}px;height:${height}px`;
  document.body.append(stage);
  replay = startLiveReplay(stage);
}

/** Parses and hands over the events; returns when that started and ended (performance.timeOrigin + now()). */
function add(json: string): { startedAt: number; addedAt: number } {
  if (!replay) throw new Error('prepare() first');
  const startedAt = performance.timeOrigin + performance.now();
  replay.add(JSON.parse(json) as WireRrwebEvent[]);
  return { startedAt, addedAt: performance.timeOrigin + performance.now() };
}

Object.assign(window, { __rrwebMirror: { snapshot, prepare, add } });
