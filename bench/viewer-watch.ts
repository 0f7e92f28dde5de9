/**
 * Bench instrumentation for the technician's viewer page (never shipped), as script text.
 *
 * When is a change "painted" in the viewer? A MutationObserver on the replay iframe's document sees the
 * change arrive (rrweb applies it); a requestAnimationFrame loop posts a message every frame, and that
 * message runs after the frame's rendering step. The first such message after the change arrived is the
 * moment the renderer has produced a frame that contains it: that is the paint time we report. (The
 * compositor's hand-off to the screen, at most one more vsync, is not included: there is no screen here.)
 *
 * PC_SPY keeps every RTCPeerConnection of the page, so the bench can read transport bytes with getStats,
 * and a copy of every binary message that arrives on a data channel (the frames, decoded later in Node
 * with our own codec to see what the stream carried).
 */
export const PC_SPY = `(() => {
  const Original = window.RTCPeerConnection;
  window.__pcs = [];
  window.__frames = [];
  window.__frameTimes = [];
  window.RTCPeerConnection = class extends Original {
    constructor(...args) {
      super(...args);
      window.__pcs.push(this);
      this.addEventListener('datachannel', (e) => e.channel.addEventListener('open', () => { window.__channelOpenAt ??= performance.timeOrigin + performance.now(); }));
      this.addEventListener('datachannel', (e) => e.channel.addEventListener('message', (m) => {
        if (!(m.data instanceof ArrayBuffer)) return;
        window.__frameTimes.push(performance.timeOrigin + performance.now());
        window.__frames.push(new Uint8Array(m.data.slice(0)));
      }));
    }
  };
})();`;

export const VIEWER_WATCH = `(() => {
  if (window.__watch) return;
  const w = window.__watch = { seen: {}, applied: {}, firstFrame: null, endArrived: null, frames: 0 };
  const now = () => performance.timeOrigin + performance.now();
  let pending = [];
  let endPending = false;
  let attached = null;
  const arrived = (key) => { if (key !== null && !(key in w.seen)) { w.seen[key] = null; w.applied[key] = now(); pending.push(key); } };
  const observer = new MutationObserver((records) => {
    // Several changes to one element can land before this callback runs: each record's oldValue is the
    // value the change before it set, and the element's current value is the last one.
    const byTarget = new Map();
    for (const r of records) {
      if (r.type !== 'attributes' || r.attributeName !== 'data-probe') continue;
      if (!byTarget.has(r.target)) byTarget.set(r.target, []);
      byTarget.get(r.target).push(r.oldValue);
    }
    for (const [target, olds] of byTarget) {
      olds.slice(1).forEach(arrived);
      arrived(target.getAttribute('data-probe'));
    }
    if (!endPending && w.firstFrame === null && attached && attached.getElementById('bench-end')) { endPending = true; w.endArrived = now(); }
  });
  const attach = () => {
    const frame = document.querySelector('.stage iframe');
    const doc = frame && frame.contentDocument;
    if (doc && doc !== attached) {
      attached = doc;
      observer.disconnect();
      observer.observe(doc, { subtree: true, childList: true, attributes: true, attributeOldValue: true, attributeFilter: ['data-probe'] });
    }
  };
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    const t = now();
    w.frames++;
    for (const seq of pending) w.seen[seq] = t;
    pending = [];
    if (endPending && w.firstFrame === null) w.firstFrame = t;
  };
  const loop = () => {
    attach();
    channel.port2.postMessage(0);
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  // The iframe appears with the first snapshot, in a task of its own: attach as soon as it is there.
  new MutationObserver(attach).observe(document.body, { childList: true, subtree: true });
})();`;

/** Sums transport bytes over every peer connection the page holds (window.__pcs, or queried objects). */
export const TRANSPORT_BYTES = `async (pcs) => {
  let sent = 0, received = 0, packetsSent = 0;
  for (const pc of pcs) {
    if (pc.connectionState === 'closed') continue;
    const stats = await pc.getStats();
    stats.forEach((s) => { if (s.type === 'transport') { sent += s.bytesSent || 0; received += s.bytesReceived || 0; packetsSent += s.packetsSent || 0; } });
  }
  return { sent, received, packetsSent };
}`;
