/**
 * What both ends of a session do alike, the customer's (lib/peer/customer-link.ts, in the peer host) and
 * the technician's (viewer/lib/viewer-host.ts): register a peer id on our own PeerServer (never PeerJS's
 * cloud, lib/peer/peer-options.ts), and once a data connection is open speak the wire protocol on it
 * (lib/peer/wire-link.ts), say hello, beat and watch for the other end going away without a goodbye
 * (lib/peer/liveness.ts) and run the verification code's commit-reveal exchange (lib/peer/verification.ts,
 * its messages kept from the end's own handler). Who connects to
 * whom, and what each end does with the messages, stays with each end.
 */
import Peer, { type DataConnection } from 'peerjs';
import type { IceServer, IceTransportPolicy, PeerEndpoint } from '@/lib/protocol/api';
import type { ParseResult, WireErrorCode } from '@/lib/protocol/wire';
import { isVerifyMessage } from '@/lib/protocol/verification';
import { startHeartbeat, watchConnection } from './liveness';
import { peerOptions } from './peer-options';
import { tolerateSignallingLoss } from './signalling-loss';
import { connectionDescriptions, createVerificationExchange, VerificationRefused, type VerificationExchange } from './verification';
import { createWireLink, type WireLink } from './wire-link';

export interface PeerEndOptions<In> {
  /** Which part this end plays in the verification exchange: the customer commits, the technician answers. */
  role: 'customer' | 'technician';
  serverUrl: string;
  endpoint: PeerEndpoint;
  /** This end's peer id and the token the server handed out for it. */
  credentials: { peerId: string; token: string };
  iceServers: IceServer[];
  /** 'relay': only through the TURN relay (MEEKIJK_ICE_TRANSPORT_POLICY). */
  iceTransportPolicy?: IceTransportPolicy;
  parse: (input: unknown) => ParseResult<In>;
  onMessage: (message: In) => void;
  onReject?: (code: WireErrorCode, message: string) => void;
  /**
   * The other end is gone (`closed`: the connection stayed disconnected past the grace period, or
   * failed) or PeerJS reported an error (`failed`: signalling, network, an unavailable peer id).
   */
  onDown: (state: 'closed' | 'failed', detail?: string) => void;
  /**
   * Nothing at all arrived on the open connection for 1.5 s (`true`), or something did again (`false`):
   * the connection is kept meanwhile (lib/peer/liveness.ts, the heartbeat).
   */
  onQuiet?: ((quiet: boolean) => void) | undefined;
  onVerificationCode?: ((code: string) => void) | undefined;
  /** The other end broke the verification exchange (its reveal did not match its commitment): no code. */
  onVerificationFailed?: ((detail: string) => void) | undefined;
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

export type ChannelLinkOptions<In> = Pick<PeerEndOptions<In>, 'role' | 'parse' | 'onMessage' | 'onReject' | 'onQuiet' | 'onVerificationCode' | 'onVerificationFailed'> & {
  /** The connection stayed disconnected past the grace period, or failed. */
  onLost: (detail: string) => void;
};

export interface ChannelLink<Out> {
  readonly link: WireLink<Out>;
  /** Stops the link and the watch; nothing is reported after it. */
  stop(): void;
}

/**
 * Speaks the wire protocol on an open data channel of `pc`, starting with `hello`; beats, watches the
 * connection and runs the verification exchange, whose messages (and the beats) never reach `onMessage`. Both ends' outgoing unions
 * carry the wire's error reply.
 */
export function openChannelLink<In extends { type: string }, Out extends { type: string }>(
  channel: RTCDataChannel,
  pc: RTCPeerConnection | undefined,
  hello: Out,
  options: ChannelLinkOptions<In>,
): ChannelLink<Out> {
  const { parse, onMessage, onReject } = options;
  const errorReply = (code: WireErrorCode, message: string) => ({ type: 'error', code, message }) as unknown as Out;
  let stopped = false;
  let verification: VerificationExchange | undefined;
  const receive = (message: In) => {
    if (message.type === 'beat') return heartbeat.answer();
    if (!isVerifyMessage(message)) return onMessage(message);
    verification?.receive(message).catch((error: unknown) => {
      if (!(error instanceof VerificationRefused) || stopped) return;
      onReject?.('not-allowed', error.message);
      link.send(errorReply('not-allowed', error.message));
    });
  };
  channel.binaryType = 'arraybuffer';
  const heartbeat = startHeartbeat({
    beat: () => link.send({ type: 'beat' } as unknown as Out),
    lastSentAt: () => link.lastSentAt,
    onQuiet: (quiet) => {
      if (!stopped) options.onQuiet?.(quiet);
    },
  });
  const link = createWireLink({ channel, parse, onMessage: receive, errorReply, onHeard: heartbeat.heard, ...(onReject ? { onReject } : {}) });
  link.send(hello);
  let stopWatching: (() => void) | undefined;
  if (pc) {
    stopWatching = watchConnection(pc, (detail) => {
      if (!stopped) options.onLost(detail);
    });
    verification = createVerificationExchange({
      role: options.role,
      descriptions: () => connectionDescriptions(pc),
      send: (message) => link.send(message as unknown as Out),
      onCode: (code) => {
        if (!stopped) options.onVerificationCode?.(code);
      },
      onFailed: (detail) => {
        if (!stopped) options.onVerificationFailed?.(detail);
      },
    });
    void verification.start();
  }
  return {
    link,
    stop() {
      stopped = true;
      heartbeat.stop();
      stopWatching?.();
      link.stop();
    },
  };
}

export function createPeerEnd<In extends { type: string }, Out extends { type: string }>(options: PeerEndOptions<In>): PeerEnd<Out> {
  const { onDown, credentials } = options;
  const peer = new Peer(credentials.peerId, peerOptions(options.serverUrl, options.endpoint, credentials.token, options.iceServers, options.iceTransportPolicy));
  let connection: DataConnection | undefined;
  let open: ChannelLink<Out> | undefined;
  let destroyed = false;

  const signallingLoss = tolerateSignallingLoss(peer, () => open !== undefined && !destroyed);
  peer.on('error', (error) => {
    if (!destroyed && !signallingLoss.tolerated(error)) onDown('failed', `${error.type}: ${error.message}`);
  });

  const drop = () => {
    open?.stop();
    open = undefined;
    const old = connection;
    connection = undefined;
    old?.close();
  };

  return {
    peer,
    get link() {
      return open?.link;
    },
    get destroyed() {
      return destroyed;
    },
    open(opened, hello) {
      if (connection && connection !== opened) drop();
      connection = opened;
      open = openChannelLink<In, Out>(opened.dataChannel, opened.peerConnection, hello, { ...options, onLost: (detail) => onDown('closed', detail) });
      return open.link;
    },
    drop,
    destroy() {
      destroyed = true;
      signallingLoss.stop();
      open?.stop();
      connection?.close();
      peer.destroy();
    },
  };
}
