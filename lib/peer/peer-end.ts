/**
 * What both ends of a session do alike, the customer's (lib/peer/customer-link.ts, in the peer host) and
 * the technician's (viewer/lib/viewer-host.ts): register a peer id on our own PeerServer (never PeerJS's
 * cloud, lib/peer/peer-options.ts), and once a data connection is open speak the wire protocol on it
 * (lib/peer/wire-link.ts), say hello, watch for the other end going away without a goodbye
 * (lib/peer/liveness.ts) and derive the verification code (lib/peer/verification.ts). Who connects to
 * whom, and what each end does with the messages, stays with each end.
 */
import Peer, { type DataConnection } from 'peerjs';
import type { IceServer, PeerEndpoint } from '@/lib/protocol/api';
import type { ParseResult, WireErrorCode } from '@/lib/protocol/wire';
import { watchConnection } from './liveness';
import { peerOptions } from './peer-options';
import { connectionVerificationCode } from './verification';
import { createWireLink, type WireLink } from './wire-link';

export interface PeerEndOptions<In> {
  serverUrl: string;
  endpoint: PeerEndpoint;
  /** This end's peer id and the token the server handed out for it. */
  credentials: { peerId: string; token: string };
  iceServers: IceServer[];
  parse: (input: unknown) => ParseResult<In>;
  onMessage: (message: In) => void;
  onReject?: (code: WireErrorCode, message: string) => void;
  /**
   * The other end is gone (`closed`: the connection stayed disconnected past the grace period, or
   * failed) or PeerJS reported an error (`failed`: signalling, network, an unavailable peer id).
   */
  onDown: (state: 'closed' | 'failed', detail?: string) => void;
  onVerificationCode?: ((code: string) => void) | undefined;
}

export interface PeerEnd<Out> {
  readonly peer: Peer;
  /** The wire link once a connection is open. */
  readonly link: WireLink<Out> | undefined;
  /** Speaks the wire protocol on an open data connection, starting with `hello`. */
  open(connection: DataConnection, hello: Out): WireLink<Out>;
  /**
   * Lets go of the current connection (it dropped) and keeps the peer registered, so a new connection
   * can be made or accepted (issue 17: reconnecting within the grace period).
   */
  drop(): void;
  /** Whether `destroy()` was called: nothing is reported after it. */
  readonly destroyed: boolean;
  destroy(): void;
}

/** Both ends' outgoing unions carry the wire's error reply. */
export function createPeerEnd<In, Out extends { type: string }>(options: PeerEndOptions<In>): PeerEnd<Out> {
  const { parse, onMessage, onReject, onDown, credentials } = options;
  const errorReply = (code: WireErrorCode, message: string) => ({ type: 'error', code, message }) as unknown as Out;
  const peer = new Peer(credentials.peerId, peerOptions(options.serverUrl, options.endpoint, credentials.token, options.iceServers));
  let connection: DataConnection | undefined;
  let link: WireLink<Out> | undefined;
  let stopWatching: (() => void) | undefined;
  let destroyed = false;

  peer.on('error', (error) => {
    if (!destroyed) onDown('failed', `${error.type}: ${error.message}`);
  });

  const drop = () => {
    stopWatching?.();
    stopWatching = undefined;
    link?.stop();
    link = undefined;
    const old = connection;
    connection = undefined;
    old?.close();
  };

  return {
    peer,
    get link() {
      return link;
    },
    get destroyed() {
      return destroyed;
    },
    open(open, hello) {
      if (connection && connection !== open) drop();
      connection = open;
      const channel = open.dataChannel;
      channel.binaryType = 'arraybuffer';
      link = createWireLink({ channel, parse, onMessage, errorReply, ...(onReject ? { onReject } : {}) });
      link.send(hello);
      const pc = open.peerConnection;
      if (pc) {
        stopWatching = watchConnection(pc, (detail) => {
          if (!destroyed) onDown('closed', detail);
        });
        if (options.onVerificationCode) connectionVerificationCode(pc).then(options.onVerificationCode, () => undefined);
      }
      return link;
    },
    drop,
    destroy() {
      destroyed = true;
      stopWatching?.();
      link?.stop();
      connection?.close();
      peer.destroy();
    },
  };
}
