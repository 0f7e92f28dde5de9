/**
 * The bench runtime inside every customer page (recorded or not), as plain script text (tsx-compiled
 * functions cannot be handed to the browser: they reference tsx helpers such as __name).
 *
 * - `__bench.mark(el)`: a timestamped visible change. The page stamps it with the shared wall clock
 *   (performance.timeOrigin + performance.now(), the same clock in every renderer of the machine) and
 *   tags the element with `data-probe="<page load>.<seq>"`; the viewer sees the tag arrive in its replay.
 * - long tasks (> 50 ms) observed from page load on.
 * - `probeLoop` and `startTicker` drive the static-page and mutation-heavy scenarios.
 */
export const PAGE_RUNTIME = `(function(){
  // Probes and long tasks of earlier pages in this tab survive navigation in sessionStorage.
  const load = Number(sessionStorage.getItem('bench.loads') || 0) + 1;
  sessionStorage.setItem('bench.loads', String(load));
  const earlier = JSON.parse(sessionStorage.getItem('bench.data') || '{"probes":{},"longTasks":[],"posted":{},"called":{},"painted":{}}');
  const b = window.__bench = { probes: {}, longTasks: [], count: 0 };
  b.now = () => performance.timeOrigin + performance.now();
  // When the change shows on the customer's own screen (same method as in the viewer: the first task after
  // the rendering step of the next frame), to report how far the viewer trails the customer.
  b.painted = {};
  let unpainted = [];
  const paints = new MessageChannel();
  paints.port1.onmessage = () => { const t = b.now(); for (const key of unpainted) b.painted[key] = t; unpainted = []; };
  b.mark = (el) => {
    const key = load + '.' + (b.count++);
    b.probes[key] = b.now();
    el.setAttribute('data-probe', key);
    if (unpainted.push(key) === 1) requestAnimationFrame(() => paints.port2.postMessage(0));
    return key;
  };
  b.all = () => ({ probes: Object.assign({}, earlier.probes, b.probes), longTasks: earlier.longTasks.concat(b.longTasks), posted: Object.assign({}, earlier.posted, b.posted), called: Object.assign({}, earlier.called, b.called), painted: Object.assign({}, earlier.painted, b.painted) });
  // Where the time goes: when the recorder's batch carrying a probe is posted to the content script.
  b.posted = {};
  b.called = {};
  // Batches cross to the isolated world as a DOM event with the events as JSON text (lib/protocol/page-bridge.ts),
  // synchronously: the recorder hands a batch over and the bridge has it in the same moment. Probes and the
  // snapshot are found by pattern, so the instrumentation does not parse what the recorder sends.
  const note = (into, json) => {
    if (typeof json !== 'string') return;
    const t = b.now();
    if (into === b.called && !b.snapshotCalledAt && json.includes('{"type":2,')) b.snapshotCalledAt = t;
    for (const m of json.matchAll(/"data-probe":"([0-9]+[.][0-9]+)"/g)) if (!(m[1] in into)) into[m[1]] = t;
  };
  addEventListener('meekijk:events', (e) => { note(b.called, e.detail); note(b.posted, e.detail); });
  // When the recorder was injected (it announces itself) and when it was told to start: the first frame's
  // stages before the snapshot.
  addEventListener('meekijk:from-page', (e) => { if (!b.recorderReadyAt && String(e.detail).includes('"type":"ready"')) b.recorderReadyAt = b.now(); });
  addEventListener('meekijk:to-page', (e) => { if (!b.recorderStartAt && String(e.detail).includes('"type":"start"')) b.recorderStartAt = b.now(); });
  addEventListener('pagehide', () => sessionStorage.setItem('bench.data', JSON.stringify(b.all())));
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) b.longTasks.push({ at: performance.timeOrigin + e.startTime, duration: e.duration }); })
      .observe({ type: 'longtask', buffered: true });
  } catch (e) {}
  let seed = 99;
  b.random = () => { seed = (seed + 0x6d2b79f5) >>> 0; let t = seed; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  /** count changes of the status line, at random (seeded) intervals in [minMs, maxMs): random phase against the display. */
  b.probeLoop = (count, minMs, maxMs) => new Promise((resolve) => {
    const el = document.getElementById('probe-status');
    let i = 0;
    const step = () => {
      if (i >= count) return resolve(count);
      i++;
      el.textContent = 'Bijgewerkt: ' + i + ' van ' + count;
      b.mark(el);
      setTimeout(step, minMs + b.random() * (maxMs - minMs));
    };
    setTimeout(step, minMs);
  });
  /**
   * 50 cells of the ticker table, 20 times a second; every tick is one probe. Tick k falls in the 50 ms slot
   * k, at a random (seeded) point of the slot's first display frame. A plain 50 ms interval is exactly three
   * 60 Hz frames: every tick of a run then lands at the same point of the frame, so all 200 probes measured
   * one phase, chosen by when the run started (docs/performance.md, "The mutation-heavy page's phase").
   */
  b.startTicker = () => {
    const table = document.getElementById('ticker');
    const cells = table.querySelectorAll('td');
    const frame = 1000 / 60;
    const start = performance.now();
    let slot = 0;
    const tick = () => {
      for (let k = 0; k < 50; k++) {
        const cell = cells[Math.floor(b.random() * cells.length)];
        cell.textContent = (b.random() * 1000).toFixed(2);
      }
      b.mark(table);
      slot++;
      b.ticker = setTimeout(tick, Math.max(0, start + 50 * slot + b.random() * frame - performance.now()));
    };
    b.ticker = setTimeout(tick, b.random() * frame);
  };
  b.stopTicker = () => clearTimeout(b.ticker);
})();`;
