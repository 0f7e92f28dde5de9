/**
 * Notices when the other end is gone without saying goodbye (its browser closed or crashed, the network
 * dropped), at two speeds:
 * - the heartbeat (`startHeartbeat`): each end sends a tiny `beat` whenever it has sent nothing else for
 *   BEAT_EVERY_MS, and calls the link quiet when nothing at all arrived for QUIET_AFTER_MS. Quiet is not
 *   lost: the connection is kept and everything sent meanwhile still arrives, in order, if it comes back.
 *   It is what lets every side say "reconnecting" within issue 17's 2 s;
 * - the connection watch (`watchConnection`): ICE consent checks report a `disconnected` connection within
 *   seconds (the data channel's own close can take 30 s); one that stays disconnected past the grace
 *   period, or fails, is lost, and the peers connect anew.
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

/** A beat goes out when this end has sent nothing else for this long. */
export const BEAT_EVERY_MS = 500;
/** Nothing at all arrived for this long: the link is quiet (issue 17: every side agrees within 2 s). */
export const QUIET_AFTER_MS = 1_500;
const TICK_MS = 250;
/**
 * A tick this late means this end itself was held up (a long task, a frozen tab): what arrived meanwhile
 * may still wait in the event queue, so this tick judges nothing. A hidden tab's timers run once a second,
 * which is not late.
 */
const LATE_TICK_MS = 1_250;

export interface HeartbeatOptions {
  /** Sends one beat. */
  beat: () => void;
  /** When this end last sent anything (Date.now()). */
  lastSentAt: () => number;
  /** The link went quiet (`true`) or was heard again (`false`); called on changes only. */
  onQuiet: (quiet: boolean) => void;
}

export interface Heartbeat {
  /** Something arrived from the other end (any frame, a part of a large message too). */
  heard(): void;
  /**
   * A beat arrived: answered at once when this end has been silent for BEAT_EVERY_MS, so an end whose own
   * timers the browser slows down (a hidden tab) still answers as often as the other end beats.
   */
  answer(): void;
  stop(): void;
}

export function startHeartbeat({ beat, lastSentAt, onQuiet }: HeartbeatOptions): Heartbeat {
  let lastHeard = Date.now();
  let lastTick = lastHeard;
  let quiet = false;
  const timer = setInterval(() => {
    const now = Date.now();
    const late = now - lastTick > LATE_TICK_MS;
    lastTick = now;
    if (now - lastSentAt() >= BEAT_EVERY_MS) beat();
    if (!late && !quiet && now - lastHeard > QUIET_AFTER_MS) {
      quiet = true;
      onQuiet(true);
    }
  }, TICK_MS);
  return {
    heard() {
      lastHeard = Date.now();
      if (!quiet) return;
      quiet = false;
      onQuiet(false);
    },
    answer() {
      if (Date.now() - lastSentAt() >= BEAT_EVERY_MS) beat();
    },
    stop: () => clearInterval(timer),
  };
}
