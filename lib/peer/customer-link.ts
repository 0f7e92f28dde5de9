/**
 * The customer's end of the session: registers the customer's peer id on our PeerServer (with the token
 * the server handed out at consent), connects to the technician's peer and speaks the wire protocol.
 * Runs in the offscreen document (Chrome) or the background page (Firefox), where it survives navigation
 * in the shared tab.
 */
import type { JoinResponse } from '@/lib/protocol/api';
import type { PeerState } from '@/lib/protocol/runtime';
import { parseToExtension, type ToExtension, type ToViewer } from '@/lib/protocol/wire';
import { PROTOCOL_VERSION } from '@/lib/protocol/version';
import { createPeerEnd } from './peer-end';
import type { WireLink } from './wire-link';

export interface CustomerLinkOptions {
  serverUrl: string;
  join: JoinResponse;
  invite: string;
  onMessage: (message: ToExtension) => void;
  onState: (state: PeerState, detail?: string) => void;
  onVerificationCode?: (code: string) => void;
}

/**
 * Messages waiting for the channel to open (the recorder starts at consent, while the connection comes
 * up). A page that keeps changing while the connection takes long would grow this without end: past the
 * bound, its recorded events are dropped and the tab is asked for a fresh snapshot once the channel opens.
 */
export const BACKLOG_LIMIT = 2_000;

export interface Backlog<T> {
  push(message: T): void;
  /** Everything kept, in order, and whether recorded events were dropped on the way; empties it. */
  drain(): { messages: T[]; lost: boolean };
}

export function createBacklog<T extends { type: string }>(limit = BACKLOG_LIMIT): Backlog<T> {
  let messages: T[] = [];
  let lost = false;
  return {
    push(message) {
      // Once events were dropped, later ones would refer to nodes the viewer never gets: wait for the snapshot.
      if (lost && message.type === 'events') return;
      messages.push(message);
      if (messages.length > limit) {
        messages = messages.filter((m) => m.type !== 'events');
        lost = true;
      }
    },
    drain() {
      const out = { messages, lost };
      messages = [];
      lost = false;
      return out;
    },
  };
}

export interface CustomerLink {
  send(message: ToViewer): void;
  /** Start a new compression stream (the viewer lost track of ours). */
  readonly stats: WireLink<ToViewer>['stats'] | undefined;
  close(): Promise<void>;
}

export function connectCustomer(options: CustomerLinkOptions): CustomerLink {
  const { serverUrl, join, invite, onMessage, onState } = options;
  let closed = false;
  const backlog = createBacklog<ToViewer>();
  const end = createPeerEnd<ToExtension, ToViewer>({
    role: 'customer',
    serverUrl,
    endpoint: join.peer,
    credentials: join.customer,
    iceServers: join.iceServers,
    iceTransportPolicy: join.iceTransportPolicy,
    parse: parseToExtension,
    onMessage,
    onDown: onState,
    onVerificationCode: options.onVerificationCode,
  });

  onState('connecting');
  end.peer.on('open', () => {
    if (closed) return;
    const connection = end.peer.connect(join.viewerPeerId, { reliable: true, serialization: 'raw' });
    connection.on('open', () => {
      if (!connection.dataChannel || closed) return;
      const link = end.open(connection, { type: 'hello', protocol: PROTOCOL_VERSION, sessionId: join.sessionId, invite });
      const waiting = backlog.drain();
      for (const message of waiting.messages) link.send(message);
      onState('open');
      // The local stand-in for the viewer asking for a resync: what was dropped is replaced by a snapshot.
      if (waiting.lost) onMessage({ type: 'resync' });
    });
    connection.on('close', () => {
      if (!closed) onState('closed', 'the technician closed the connection');
    });
    connection.on('error', (error) => onState('failed', error.message));
  });

  return {
    send(message) {
      if (closed) return;
      if (end.link) end.link.send(message);
      else backlog.push(message);
    },
    get stats() {
      return end.link?.stats;
    },
    async close() {
      if (closed) return;
      // Let the goodbye reach the viewer before the channel goes.
      await Promise.race([end.link?.drained(), new Promise((r) => setTimeout(r, 500))]);
      closed = true;
      end.destroy();
      backlog.drain();
      onState('closed');
    },
  };
}
