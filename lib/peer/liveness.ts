/**
 * Notices when the other end is gone without saying goodbye (its browser closed or crashed, the network
 * dropped). The data channel's own close can take 30 s to arrive; ICE consent checks report a
 * `disconnected` connection within seconds. A connection that stays disconnected past the grace period, or
 * fails, is lost.
 */
export const LOST_AFTER_MS = 5_000;

export function watchConnection(pc: RTCPeerConnection, onLost: (detail: string) => void, graceMs = LOST_AFTER_MS): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let done = false;
  const lost = (detail: string) => {
    if (done) return;
    done = true;
    stop();
    onLost(detail);
  };
  const check = () => {
    const state = pc.connectionState;
    if (state === 'failed' || state === 'closed') lost(`connection ${state}`);
    else if (state === 'disconnected') timer ??= setTimeout(() => lost('the other side stopped answering'), graceMs);
    else if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
  };
  pc.addEventListener('connectionstatechange', check);
  function stop() {
    pc.removeEventListener('connectionstatechange', check);
    if (timer) clearTimeout(timer);
  }
  return stop;
}
