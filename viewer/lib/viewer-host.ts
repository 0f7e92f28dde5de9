/**
 * The technician's end: registers the viewer's peer id on our PeerServer and accepts exactly one data
 * connection, from the customer peer id the server assigned to this session (art. 1.3). Any other peer
 * that tries to connect is closed at once.
 */
import Peer, { type DataConnection } from 'peerjs';
import type { ViewerSessionResponse } from '@/lib/protocol/api';
import { parseToViewer, type ToExtension, type ToViewer, type WireErrorCode } from '@/lib/protocol/wire';
import { PROTOCOL_VERSION } from '@/lib/protocol/version';
import { peerOptions } from '@/lib/peer/peer-options';
import { createWireLink, type WireLink } from '@/lib/peer/wire-link';
import { scheduleWarmUp } from '@/lib/shared/transport/warm-up';
import { connectionVerificationCode } from '@/lib/peer/verification';
import { watchConnection } from '@/lib/peer/liveness';
import { tolerateSignallingLoss } from '@/lib/peer/signalling-loss';

export type LinkState = 'registering' | 'waiting' | 'connected' | 'closed' | 'failed';

export interface ViewerHostOptions {
  serverUrl: string;
  session: ViewerSessionResponse;
  onMessage: (message: ToViewer) => void;
  onState: (state: LinkState, detail?: string) => void;
  onReject?: (code: WireErrorCode, message: string) => void;
  onVerificationCode?: (code: string) => void;
}

export interface ViewerHost {
  send(message: ToExtension): void;
  readonly stats: WireLink<ToExtension>['stats'] | undefined;
  close(): void;
}

export function hostViewer(options: ViewerHostOptions): ViewerHost {
  const { serverUrl, session, onMessage, onState, onReject } = options;
  const peer = new Peer(session.viewer.peerId, peerOptions(serverUrl, session.peer, session.viewer.token, session.iceServers, session.iceTransportPolicy));
  let connection: DataConnection | undefined;
  let link: WireLink<ToExtension> | undefined;
  let closed = false;
  let stopWatching: (() => void) | undefined;

  onState('registering');
  let cancelWarmUp: (() => void) | undefined;
  peer.on('open', () => {
    onState('waiting');
    // Waiting for the customer is idle time: warm the decoder and the wire check for the first snapshot.
    cancelWarmUp ??= scheduleWarmUp({ accept: parseToViewer });
  });
  peer.on('connection', (incoming) => {
    if (incoming.peer !== session.customerPeerId || connection) {
      incoming.close();
      return;
    }
    connection = incoming;
    incoming.on('open', () => {
      const channel = incoming.dataChannel;
      channel.binaryType = 'arraybuffer';
      link = createWireLink({
        channel,
        parse: parseToViewer,
        onMessage,
        errorReply: (code, message) => ({ type: 'error', code, message }),
        ...(onReject ? { onReject } : {}),
      });
      link.send({ type: 'hello', protocol: PROTOCOL_VERSION });
      onState('connected');
      stopWatching = watchConnection(incoming.peerConnection, (detail) => {
        if (!closed) onState('closed', detail);
      });
      if (options.onVerificationCode) {
        connectionVerificationCode(incoming.peerConnection).then(options.onVerificationCode, () => undefined);
      }
    });
    incoming.on('close', () => {
      if (!closed) onState('closed');
    });
  });
  const signallingLoss = tolerateSignallingLoss(peer, () => link !== undefined && !closed);
  peer.on('error', (error) => {
    if (!closed && !signallingLoss.tolerated(error)) onState('failed', `${error.type}: ${error.message}`);
  });

  return {
    send: (message) => link?.send(message),
    get stats() {
      return link?.stats;
    },
    close() {
      closed = true;
      signallingLoss.stop();
      cancelWarmUp?.();
      stopWatching?.();
      link?.stop();
      connection?.close();
      peer.destroy();
    },
  };
}
