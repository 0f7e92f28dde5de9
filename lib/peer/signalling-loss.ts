/**
 * Losing the signalling server once the data channel is open ends nothing: the channel is peer to peer
 * (art. 2.1), the server only brokered it. With several server instances one may go away mid-session
 * (docs/deploy.md); the peer then registers again, through the load balancer, on one that is still up, so
 * the server can still reach it (a session ended elsewhere closes its socket, art. 1.2).
 */
import type Peer from 'peerjs';

/** PeerJS error types that only say the signalling connection is gone. */
const SIGNALLING_ONLY = new Set<string>(['network', 'server-error', 'socket-error', 'socket-closed', 'disconnected']);

export const REREGISTER_MS = 2000;

export interface SignallingLoss {
  /** True when `error` is only the signalling server going away while the channel is live: not a failure. */
  tolerated(error: { type: string }): boolean;
  stop(): void;
}

/** `live()`: the data channel is open and the session not closed. */
export function tolerateSignallingLoss(peer: Peer, live: () => boolean): SignallingLoss {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reregister = () => {
    timer = undefined;
    if (!live() || peer.destroyed || !peer.disconnected) return;
    try {
      peer.reconnect();
    } catch {
      // Destroyed meanwhile: nothing to re-register.
    }
  };
  const onDisconnected = () => {
    if (live() && timer === undefined) timer = setTimeout(reregister, REREGISTER_MS);
  };
  peer.on('disconnected', onDisconnected);
  return {
    tolerated: (error) => live() && SIGNALLING_ONLY.has(error.type),
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      peer.off('disconnected', onDisconnected);
    },
  };
}
