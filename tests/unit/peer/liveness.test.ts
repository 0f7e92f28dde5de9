import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BEAT_EVERY_MS, QUIET_AFTER_MS, startHeartbeat, watchConnection } from '@/lib/peer/liveness';

class FakePc extends EventTarget {
  connectionState: RTCPeerConnectionState = 'connected';
  set(state: RTCPeerConnectionState) {
    this.connectionState = state;
    this.dispatchEvent(new Event('connectionstatechange'));
  }
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('watchConnection', () => {
  it('reports a connection that stays disconnected past the grace period, once', () => {
    const pc = new FakePc();
    const lost = vi.fn();
    watchConnection(pc as unknown as RTCPeerConnection, lost, 5_000);
    pc.set('disconnected');
    vi.advanceTimersByTime(4_999);
    expect(lost).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(lost).toHaveBeenCalledTimes(1);
    pc.set('failed');
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it('forgives a short disconnect, reports failure at once, and is silent after stop', () => {
    const pc = new FakePc();
    const lost = vi.fn();
    const stop = watchConnection(pc as unknown as RTCPeerConnection, lost, 5_000);
    pc.set('disconnected');
    vi.advanceTimersByTime(3_000);
    pc.set('connected');
    vi.advanceTimersByTime(10_000);
    expect(lost).not.toHaveBeenCalled();
    pc.set('failed');
    expect(lost).toHaveBeenCalledWith('connection failed');
    const other = new FakePc();
    const quiet = vi.fn();
    watchConnection(other as unknown as RTCPeerConnection, quiet)();
    other.set('failed');
    expect(quiet).not.toHaveBeenCalled();
    void stop;
  });
});

describe('startHeartbeat', () => {
  function beating() {
    let sentAt = Date.now();
    const beats: number[] = [];
    const quiet: boolean[] = [];
    const heartbeat = startHeartbeat({
      beat: () => {
        sentAt = Date.now();
        beats.push(sentAt);
      },
      lastSentAt: () => sentAt,
      onQuiet: (q) => quiet.push(q),
    });
    return { heartbeat, beats, quiet, sent: () => void (sentAt = Date.now()) };
  }

  it('beats only into silence: a link that sends anyway sends no beats', () => {
    const { heartbeat, beats, sent } = beating();
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(200);
      sent();
    }
    expect(beats).toEqual([]);
    vi.advanceTimersByTime(3_000);
    // Twice a second, no more.
    expect(beats.length).toBeGreaterThanOrEqual(5);
    expect(beats.length).toBeLessThanOrEqual(6);
    heartbeat.stop();
  });

  it('calls the link quiet after 1.5 s without a sign of life, once, and heard again at the first frame', () => {
    const { heartbeat, quiet } = beating();
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(QUIET_AFTER_MS - 100);
      heartbeat.heard();
    }
    expect(quiet).toEqual([]);
    vi.advanceTimersByTime(QUIET_AFTER_MS + 250);
    expect(quiet).toEqual([true]);
    vi.advanceTimersByTime(10_000);
    expect(quiet).toEqual([true]);
    heartbeat.heard();
    heartbeat.heard();
    expect(quiet).toEqual([true, false]);
    heartbeat.stop();
  });

  it('judges nothing on a tick that came late (this end was held up): what arrived meanwhile counts first', () => {
    const { heartbeat, quiet } = beating();
    // The whole end is blocked for 3 s: its timer fires once, late, before the queued frames are handled.
    vi.setSystemTime(Date.now() + 3_000);
    vi.advanceTimersToNextTimer();
    expect(quiet).toEqual([]);
    heartbeat.heard();
    vi.advanceTimersByTime(1_000);
    expect(quiet).toEqual([]);
    // A hidden tab's once-a-second timers are not late: silence is still noticed.
    for (let i = 0; i < 3; i++) {
      vi.setSystemTime(Date.now() + 1_000 - 250);
      vi.advanceTimersByTime(250);
    }
    expect(quiet).toEqual([true]);
    heartbeat.stop();
  });

  it('answers a beat when it has been silent for a beat interval, not more often', () => {
    const { heartbeat, beats, sent } = beating();
    heartbeat.answer();
    expect(beats).toEqual([]); // it has just sent (the start counts as sent)
    vi.setSystemTime(Date.now() + BEAT_EVERY_MS);
    heartbeat.answer();
    heartbeat.answer();
    expect(beats).toHaveLength(1);
    sent();
    vi.setSystemTime(Date.now() + BEAT_EVERY_MS - 1);
    heartbeat.answer();
    expect(beats).toHaveLength(1);
    heartbeat.stop();
  });

  it('does nothing after stop', () => {
    const { heartbeat, beats, quiet } = beating();
    heartbeat.stop();
    vi.advanceTimersByTime(10 * BEAT_EVERY_MS);
    expect(beats).toEqual([]);
    expect(quiet).toEqual([]);
  });
});
