/**
 * lib/peer/signalling-loss.ts: once the data channel is open, losing the signalling server is no failure,
 * and the peer registers again (through the load balancer) every REREGISTER_MS until it is back; before
 * that, or for any other error, nothing is tolerated and nothing re-registers.
 */
import type Peer from 'peerjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REREGISTER_MS, tolerateSignallingLoss } from '@/lib/peer/signalling-loss';

class FakePeer {
  handlers = new Map<string, Set<() => void>>();
  disconnected = false;
  destroyed = false;
  reconnects = 0;
  on(event: string, handler: () => void) {
    const set = this.handlers.get(event) ?? new Set();
    set.add(handler);
    this.handlers.set(event, set);
  }
  off(event: string, handler: () => void) {
    this.handlers.get(event)?.delete(handler);
  }
  /** What PeerJS does when its WebSocket closes: disconnected, then the event. */
  loseServer() {
    this.disconnected = true;
    for (const handler of this.handlers.get('disconnected') ?? []) handler();
  }
  reconnect() {
    this.reconnects += 1;
    this.disconnected = false;
  }
}

let peer: FakePeer;
let live: boolean;
const start = () => tolerateSignallingLoss(peer as unknown as Peer, () => live);

beforeEach(() => {
  vi.useFakeTimers();
  peer = new FakePeer();
  live = true;
});
afterEach(() => vi.useRealTimers());

describe('tolerateSignallingLoss', () => {
  it('while the channel is live, tolerates only errors that say the signalling server is gone', () => {
    const loss = start();
    for (const type of ['network', 'server-error', 'socket-error', 'socket-closed', 'disconnected']) expect(loss.tolerated({ type })).toBe(true);
    for (const type of ['webrtc', 'unavailable-id', 'peer-unavailable', 'invalid-key', 'browser-incompatible']) expect(loss.tolerated({ type })).toBe(false);
  });

  it('before the channel is open (or after the session closed) tolerates nothing and never re-registers', () => {
    live = false;
    const loss = start();
    expect(loss.tolerated({ type: 'network' })).toBe(false);
    peer.loseServer();
    vi.advanceTimersByTime(10 * REREGISTER_MS);
    expect(peer.reconnects).toBe(0);
  });

  it('re-registers REREGISTER_MS after the loss, and again after each failed attempt', () => {
    start();
    peer.loseServer();
    vi.advanceTimersByTime(REREGISTER_MS - 1);
    expect(peer.reconnects).toBe(0);
    vi.advanceTimersByTime(1);
    expect(peer.reconnects).toBe(1);
    // The balancer had no instance up yet: PeerJS reports the new socket lost too.
    peer.loseServer();
    vi.advanceTimersByTime(REREGISTER_MS);
    expect(peer.reconnects).toBe(2);
    // Registered: nothing more.
    vi.advanceTimersByTime(10 * REREGISTER_MS);
    expect(peer.reconnects).toBe(2);
  });

  it('one attempt per loss however often PeerJS says so, none once the session closed or the peer is back', () => {
    start();
    peer.loseServer();
    peer.loseServer();
    vi.advanceTimersByTime(REREGISTER_MS);
    expect(peer.reconnects).toBe(1);

    peer.loseServer();
    live = false; // the session ended meanwhile
    vi.advanceTimersByTime(REREGISTER_MS);
    expect(peer.reconnects).toBe(1);

    live = true;
    peer.loseServer();
    peer.disconnected = false; // PeerJS got back by itself
    vi.advanceTimersByTime(REREGISTER_MS);
    expect(peer.reconnects).toBe(1);
  });

  it('stop() cancels a pending attempt and stops listening', () => {
    const loss = start();
    peer.loseServer();
    loss.stop();
    vi.advanceTimersByTime(REREGISTER_MS);
    peer.loseServer();
    vi.advanceTimersByTime(REREGISTER_MS);
    expect(peer.reconnects).toBe(0);
    expect(peer.handlers.get('disconnected')?.size ?? 0).toBe(0);
  });
});
