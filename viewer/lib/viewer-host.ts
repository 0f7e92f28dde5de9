/**
 * The technician's end: registers the viewer's peer id on our PeerServer and accepts exactly one data
 * connection, from the customer peer id the server assigned to this session (art. 1.3). Any other peer
 * that tries to connect is closed at once.
 */
import type { DataConnection } from 'peerjs';
import type { ViewerSessionResponse } from '@/lib/protocol/api';
import { parseToViewer, type ToExtension, type ToViewer, type WireErrorCode } from '@/lib/protocol/wire';
import { PROTOCOL_VERSION } from '@/lib/protocol/version';
import { createPeerEnd } from '@/lib/peer/peer-end';
import type { WireLink } from '@/lib/peer/wire-link';
import { scheduleWarmUp } from '@/lib/shared/transport/warm-up';

export type LinkState = 'registering' | 'waiting' | 'connected' | 'closed' | 'failed';

export interface ViewerHostOptions {
  serverUrl: string;
  session: ViewerSessionResponse;
  onMessage: (message: ToViewer) => void;
  onState: (state: LinkState, detail?: string) => void;
  onReject?: (code: WireErrorCode, message: string) => void;
  onVerificationCode?: (code: string) => void;
  /** The customer's end broke the verification exchange: no code can be trusted (lib/peer/verification.ts). */
  onVerificationFailed?: (detail: string) => void;
}

export interface ViewerHost {
  send(message: ToExtension): void;
  readonly stats: WireLink<ToExtension>['stats'] | undefined;
  close(): void;
}

export function hostViewer(options: ViewerHostOptions): ViewerHost {
  const { serverUrl, session, onMessage, onState, onReject } = options;
  const end = createPeerEnd<ToViewer, ToExtension>({
    role: 'technician',
    serverUrl,
    endpoint: session.peer,
    credentials: session.viewer,
    iceServers: session.iceServers,
    iceTransportPolicy: session.iceTransportPolicy,
    parse: parseToViewer,
    onMessage,
    onDown: onState,
    ...(onReject ? { onReject } : {}),
    onVerificationCode: options.onVerificationCode,
    onVerificationFailed: options.onVerificationFailed,
  });
  let connection: DataConnection | undefined;

  onState('registering');
  let cancelWarmUp: (() => void) | undefined;
  end.peer.on('open', () => {
    onState('waiting');
    // Waiting for the customer is idle time: warm the decoder and the wire check for the first snapshot.
    cancelWarmUp ??= scheduleWarmUp({ accept: parseToViewer });
  });
  end.peer.on('connection', (incoming) => {
    if (incoming.peer !== session.customerPeerId || connection) {
      incoming.close();
      return;
    }
    connection = incoming;
    incoming.on('open', () => {
      end.open(incoming, { type: 'hello', protocol: PROTOCOL_VERSION });
      onState('connected');
    });
    incoming.on('close', () => {
      if (!end.destroyed) onState('closed');
    });
  });

  return {
    send: (message) => end.link?.send(message),
    get stats() {
      return end.link?.stats;
    },
    close() {
      cancelWarmUp?.();
      end.destroy();
    },
  };
}
