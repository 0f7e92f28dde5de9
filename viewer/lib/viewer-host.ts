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

/**
 * `reconnecting`: the customer's connection dropped; their extension dials again within the grace period.
 * `quiet`: the connection is up but nothing was heard from the customer for 1.5 s (lib/peer/liveness.ts);
 * `connected` again when they are heard.
 */
export type LinkState = 'registering' | 'waiting' | 'connected' | 'quiet' | 'reconnecting' | 'closed' | 'failed';

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
    onDown: (state, detail) => {
      if (!connection) return onState(state, detail);
      // A PeerJS error while the channel is up is about signalling, not the channel (lib/peer/signalling-loss.ts).
      if (state === 'failed' && end.link) return;
      lost(connection, detail ?? state);
    },
    // Nothing heard from the customer for 1.5 s: not live (issue 17), though the connection is kept and
    // what they sent meanwhile still arrives, in order, if they are heard again (lib/peer/liveness.ts).
    onQuiet: (quiet) => {
      if (end.destroyed || !end.link) return;
      onState(quiet ? 'quiet' : 'connected', quiet ? 'nothing heard from the customer' : undefined);
    },
    ...(onReject ? { onReject } : {}),
    onVerificationCode: options.onVerificationCode,
    onVerificationFailed: options.onVerificationFailed,
  });
  let connection: DataConnection | undefined;
  /** The customer's connection dropped: let it go and wait for their extension to dial again (issue 17). */
  const lost = (dropped: DataConnection, detail: string) => {
    if (end.destroyed || dropped !== connection) return;
    connection = undefined;
    end.drop();
    onState('reconnecting', detail);
  };

  onState('registering');
  let cancelWarmUp: (() => void) | undefined;
  end.peer.on('open', () => {
    // PeerJS says `open` again when it registers anew after losing the server: the channel, if up, is
    // untouched (the server is not on the data path), so the viewer still says connected (issue 17).
    if (end.link) return;
    onState('waiting');
    // Waiting for the customer is idle time: warm the decoder and the wire check for the first snapshot.
    cancelWarmUp ??= scheduleWarmUp({ accept: parseToViewer });
  });
  end.peer.on('connection', (incoming) => {
    // Only the consented customer's peer id (the server lets only their token register it, art. 1.3). A new
    // connection from it replaces the old one: the customer's extension dials again after a drop, and its
    // old connection may not have noticed yet.
    if (incoming.peer !== session.customerPeerId) {
      incoming.close();
      return;
    }
    if (connection) {
      const old = connection;
      connection = undefined;
      end.drop();
      old.close();
    }
    connection = incoming;
    incoming.on('open', () => {
      if (connection !== incoming || end.destroyed) return;
      end.open(incoming, { type: 'hello', protocol: PROTOCOL_VERSION });
      onState('connected');
    });
    incoming.on('close', () => lost(incoming, 'the customer closed the connection'));
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
