import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchConnection } from '@/lib/peer/liveness';

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
