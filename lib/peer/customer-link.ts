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
import type { DataConnection } from 'peerjs';
import { LOST_AFTER_MS } from './liveness';
import { createPeerEnd } from './peer-end';
import type { WireLink } from './wire-link';

export interface CustomerLinkOptions {
  serverUrl: string;
  join: JoinResponse;
  invite: string;
  onMessage: (message: ToExtension) => void;
  onState: (state: PeerState, detail?: string) => void;
  onVerificationCode?: (code: string) => void;
  /** The peer registered on the server again after losing it: the server is back (issue 17). */
  onServerBack?: () => void;
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
  /** Counts the connections opened so far: what was sent on an earlier one, the current viewer may lack. */
  readonly generation: number;
  close(): Promise<void>;
}

/** How often the customer dials the technician again while reconnecting, and how long one try may take. */
export const REDIAL_MS = 2_000;
export const DIAL_TIMEOUT_MS = 10_000;

export function connectCustomer(options: CustomerLinkOptions): CustomerLink {
  const { serverUrl, join, invite, onMessage, onState } = options;
  let closed = false;
  /** The channel opened once: from then on a lost connection is dialled again (issue 17), not the end. */
  let everOpen = false;
  let current: DataConnection | undefined;
  let generation = 0;
  let redial: ReturnType<typeof setTimeout> | undefined;
  let dialTimeout: ReturnType<typeof setTimeout> | undefined;
  let quietTooLong: ReturnType<typeof setTimeout> | undefined;
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
    // Once open, neither a dead connection nor a PeerJS error (the technician's peer id not registered
    // while their page reloads, the server restarting) ends anything here: the background's grace period does.
    onDown: (state, detail) => {
      if (!everOpen) return onState(state, detail);
      // A PeerJS error while the channel is up is about signalling, not the channel (lib/peer/signalling-loss.ts).
      if (state === 'failed' && end.link) return;
      lost(current, detail ?? state);
    },
    // Nothing heard from the technician for 1.5 s (a viewer that crashed, a network that stopped): say so
    // at once, and keep the connection (lib/peer/liveness.ts). What the tab records still goes into it: it
    // arrives in order if the technician is heard again, and no one else can receive it.
    // Quiet past LOST_AFTER_MS, the technician's end is taken for gone (a crashed viewer is noticed by ICE
    // only after about 10 s): the customer dials again, and a reopened viewer gets the call.
    onQuiet: (quiet) => {
      if (closed || !end.link) return;
      clearTimeout(quietTooLong);
      if (quiet) {
        const connection = current;
        quietTooLong = setTimeout(() => lost(connection, `nothing heard from the technician for ${LOST_AFTER_MS / 1000} s`), LOST_AFTER_MS);
      }
      onState(quiet ? 'quiet' : 'resumed', quiet ? 'nothing heard from the technician' : undefined);
    },
    onVerificationCode: options.onVerificationCode,
  });

  const lost = (connection: DataConnection | undefined, detail: string) => {
    if (closed || connection !== current) return;
    clearTimeout(quietTooLong);
    current = undefined;
    if (end.link) onState('reconnecting', detail);
    end.drop();
    connection?.close();
    scheduleDial();
  };
  const scheduleDial = () => {
    if (closed || redial !== undefined) return;
    redial = setTimeout(() => {
      redial = undefined;
      dial();
    }, REDIAL_MS);
  };

  const dial = () => {
    if (closed || current) return;
    // Not registered on the server right now (it restarted): PeerJS re-registers; try again after.
    if (end.peer.destroyed || !end.peer.open) {
      if (!everOpen || end.peer.destroyed) return;
      if (end.peer.disconnected) end.peer.reconnect();
      return scheduleDial();
    }
    const connection = end.peer.connect(join.viewerPeerId, { reliable: true, serialization: 'raw' });
    current = connection;
    clearTimeout(dialTimeout);
    // ICE that cannot get through (a network still down) may take half a minute to fail: try anew.
    if (everOpen) dialTimeout = setTimeout(() => lost(connection, 'no answer'), DIAL_TIMEOUT_MS);
    connection.on('open', () => {
      if (!connection.dataChannel || closed || connection !== current) return;
      clearTimeout(dialTimeout);
      const link = end.open(connection, { type: 'hello', protocol: PROTOCOL_VERSION, sessionId: join.sessionId, invite });
      generation++;
      if (!everOpen) {
        const waiting = backlog.drain();
        for (const message of waiting.messages) link.send(message);
        // The local stand-in for the viewer asking for a resync: what was dropped is replaced by a snapshot.
        if (waiting.lost) onMessage({ type: 'resync' });
      }
      everOpen = true;
      // On a reconnect the background asks the tab for a full snapshot (machine: `peer-open` from reconnecting).
      onState('open');
    });
    connection.on('close', () => {
      if (everOpen) lost(connection, 'the technician closed the connection');
      else if (!closed) onState('closed', 'the technician closed the connection');
    });
    connection.on('error', (error) => (everOpen ? lost(connection, error.message) : onState('failed', error.message)));
  };

  onState('connecting');
  let registered = false;
  end.peer.on('open', () => {
    if (registered) options.onServerBack?.();
    registered = true;
    dial();
  });

  return {
    send(message) {
      if (closed) return;
      if (end.link) end.link.send(message);
      // Nothing is kept while reconnecting: no verified technician is connected, and what happened
      // meanwhile reaches the returning one as a fresh snapshot, never out of order.
      else if (!everOpen) backlog.push(message);
    },
    get stats() {
      return end.link?.stats;
    },
    get generation() {
      return generation;
    },
    async close() {
      if (closed) return;
      // Let the goodbye reach the viewer before the channel goes.
      await Promise.race([end.link?.drained(), new Promise((r) => setTimeout(r, 500))]);
      closed = true;
      clearTimeout(redial);
      clearTimeout(dialTimeout);
      clearTimeout(quietTooLong);
      end.destroy();
      backlog.drain();
      onState('closed');
    },
  };
}
