/**
 * The PeerServer (signalling only: SDP offers/answers and ICE candidates, never page content, art. 2.1),
 * mounted at PEER_PATH on the same HTTP server. Hardening beyond the `peer` package's defaults:
 * - the WebSocket upgrade is refused (401) unless id + token belong to a live session (no OPEN is ever sent);
 * - the 'connection' event checks again and drops anything else;
 * - a peer can only signal its own session partner;
 * - a second socket for a peer id is refused (409) while the first still answers a ping, and the attempt is
 *   logged and written to the audit trail: a copy of the token cannot silently take the signalling over;
 * - ending a session closes every socket of both peer ids, and the ended session's tokens never register again.
 *
 * The token travels in the WebSocket URL's query string: the PeerJS client builds that URL itself and a
 * browser WebSocket can send no Authorization header, so there is no other place for it. docs/server.md
 * says how a proxy must treat that URL and what the refusal above adds.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Express } from 'express';
import { ExpressPeerServer, type IClient } from 'peer';
import { WebSocketServer, type ServerOptions, type WebSocket } from 'ws';
import { insertAudit } from '../db/audit';
import { writeDetail } from '../../lib/shared/audit/detail';
import type { Db } from '../db/open';
import { findByPeerId } from '../db/sessions';
import { PEER_PATH, type PeerControl } from '../context';
import { authorizePeer, type PeerGrant } from './authorize';
import { createFilteredSocketClass } from './filtered-socket';
import { closeSocket, dropSocket, PeerSockets } from './peer-sockets';

/** How long the socket already registered for a peer id gets to answer a ping before a new one replaces it. */
export const ALIVE_CHECK_MS = 1500;

type Verdict = (ok: boolean, status?: number, message?: string) => void;
import type { SignalRelay } from './relay';

export interface SignallingDeps {
  db: Db;
  secret: Buffer;
  peerKey: string;
  now: () => number;
  log: (message: string) => void;
  /** Several instances: signalling and disconnects go through Redis (peer/relay.ts). */
  relay: ((onDisconnect: (peerIds: string[]) => void) => Promise<SignalRelay>) | null;
}

/** Random 128-bit ids: the PeerServer's /id endpoint never hands out guessable ids. */
function generateClientId(): string {
  return crypto.getRandomValues(new Uint8Array(16)).reduce((s, b) => s + b.toString(16).padStart(2, '0'), '');
}

function credentialsOf(url: string | undefined): { id: string; token: string; key: string } {
  const params = new URL(url ?? '', 'http://peer.invalid').searchParams;
  return { id: params.get('id') ?? '', token: params.get('token') ?? '', key: params.get('key') ?? '' };
}

export async function mountSignalling(app: Express, httpServer: Server, deps: SignallingDeps): Promise<PeerControl & { close(): Promise<void>; sweepEnded(): Promise<void> }> {
  const grants = new WeakMap<WebSocket, PeerGrant>();
  // The grant found while verifying the upgrade, handed to the 'connection' event of the same request.
  const upgradeGrants = new WeakMap<IncomingMessage, PeerGrant>();
  const clients = new Map<string, IClient>();
  const sockets = new PeerSockets();
  const checking = new Set<string>();
  const authorize = (id: string, token: string) => authorizePeer(deps.db, deps.secret, deps.now(), id, token);
  const relay = deps.relay === null ? null : await deps.relay((peerIds) => peerIds.forEach(disconnect));
  const reportRelay = (error: unknown) => deps.log(`signalling relay: ${error instanceof Error ? error.message : String(error)}`);
  const FilteredSocket = createFilteredSocketClass({
    partnerOf: (socket) => grants.get(socket)?.partnerId ?? null,
    relay: relay === null ? undefined : (socket, message) => {
      const src = grants.get(socket)?.peerId;
      if (src !== undefined) relay.send({ type: message.type, src, dst: message.dst, payload: message.payload }).catch(reportRelay);
    },
  });
  const deliveries = new WeakMap<IClient, (json: string) => void>();

  let socketServer: WebSocketServer | null = null;
  const createWebSocketServer = (options: ServerOptions): WebSocketServer => {
    const wss = new WebSocketServer({
      ...options,
      WebSocket: FilteredSocket,
      // Signalling messages are small; the library default (100 MiB) invites memory abuse.
      maxPayload: 64 * 1024,
      verifyClient: ({ req }: { req: IncomingMessage }, done: Verdict) => {
        const { id, token, key } = credentialsOf(req.url);
        if (key !== deps.peerKey) return done(false, 401);
        authorize(id, token).then(
          async (grant) => {
            if (grant === null) return done(false, 401);
            if (!(await mayTakeOver(id, grant, done))) return;
            upgradeGrants.set(req, grant);
            done(true);
          },
          (error: unknown) => {
            deps.log(`signalling: authorising ${id.slice(0, 8)}… failed: ${error instanceof Error ? error.message : String(error)}`);
            done(false, 503);
          },
        );
      },
    });
    // Registered before the PeerServer's own listener, so the grant is known before any message arrives.
    wss.on('connection', (socket, req) => {
      const grant = upgradeGrants.get(req);
      if (grant) {
        grants.set(socket, grant);
        sockets.add(credentialsOf(req.url).id, socket);
      } else socket.terminate();
    });
    socketServer = wss;
    return wss;
  };

  const peerServer = ExpressPeerServer(httpServer, {
    path: '/',
    key: deps.peerKey,
    allow_discovery: false,
    generateClientId,
    createWebSocketServer,
    // The peer package's default echoes any Origin in Access-Control-Allow-Origin; nothing cross-origin
    // needs its HTTP routes (the clients use the WebSocket only).
    corsOptions: { origin: false },
  });
  peerServer.disable('x-powered-by');

  peerServer.on('connection', (client) => {
    const socket = client.getSocket();
    if (!socket || !grants.has(socket)) {
      socket?.terminate();
      return;
    }
    clients.set(client.getId(), client);
    const grant = grants.get(socket);
    // Which instance holds which end (several instances behind a load balancer); ids shortened.
    if (grant) deps.log(`signalling: ${grant.role} of session ${grant.sessionId.slice(0, 8)}… connected`);
    if (relay !== null) {
      const deliver = (json: string) => client.getSocket()?.send(json);
      deliveries.set(client, deliver);
      relay.attach(client.getId(), deliver).catch(reportRelay);
    }
    // Checked again now that it is registered: a session ended between the upgrade and here has already
    // tried to disconnect it, and found nothing to close.
    void authorize(client.getId(), client.getToken()).then(
      (grant) => grant === null && disconnect(client.getId()),
      () => disconnect(client.getId()),
    );
  });
  peerServer.on('disconnect', (client) => {
    if (clients.get(client.getId()) === client) clients.delete(client.getId());
    const deliver = deliveries.get(client);
    if (relay !== null && deliver !== undefined) {
      deliveries.delete(client);
      relay.detach(client.getId(), deliver).catch(reportRelay);
    }
  });
  peerServer.on('error', (error) => deps.log(`signalling: ${error.message}`));
  app.use(PEER_PATH, peerServer);

  /**
   * Whether a new socket may register `id`: not while an earlier one still answers a ping (refused 409,
   * logged and audited); an earlier one that is closed or silent (a reload, a network change) is dropped.
   */
  const mayTakeOver = async (id: string, grant: PeerGrant, done: Verdict): Promise<boolean> => {
    const refuse = async (): Promise<false> => {
      deps.log(`signalling: refused a second socket for the ${grant.role} of session ${grant.sessionId} (the first still answers)`);
      await insertAudit(deps.db, {
        sessionId: grant.sessionId,
        technicianId: grant.technicianId,
        at: deps.now(),
        kind: 'peer-second-socket-refused',
        detail: writeDetail('peer-second-socket-refused', { role: grant.role }),
        actor: 'server',
      });
      done(false, 409, 'peer id in use');
      return false;
    };
    if (checking.has(id)) return refuse();
    checking.add(id);
    try {
      if (await sockets.anyAlive(id, ALIVE_CHECK_MS)) return await refuse();
      // Once the PeerServer has let go of the old socket, else it would not send the new one OPEN.
      const old = sockets.take(id);
      for (const socket of old) grants.delete(socket);
      await Promise.all(old.map(dropSocket));
      if (old.length > 0) deps.log(`signalling: the ${grant.role} of session ${grant.sessionId} reconnected; its earlier socket did not answer and was dropped`);
      return true;
    } finally {
      checking.delete(id);
    }
  };

  // A declaration: the relay (created above) calls it for sessions ended on another instance.
  function disconnect(peerId: string): void {
    clients.delete(peerId);
    // Every socket this id ever opened, not only the latest: an older one must not keep sending.
    for (const socket of sockets.take(peerId)) {
      grants.delete(socket); // from now on the filter drops anything it still sends
      closeSocket(socket, 1008, 'session ended');
    }
  }
  return {
    disconnectSession(viewerPeerId, customerPeerId) {
      disconnect(viewerPeerId);
      disconnect(customerPeerId);
      relay?.disconnectEverywhere([viewerPeerId, customerPeerId]).catch(reportRelay);
    },
    /** Closes the sockets of sessions that ended elsewhere (npm run technician:disable ends them in the database). */
    async sweepEnded() {
      for (const id of sockets.ids()) {
        const row = await findByPeerId(deps.db, id);
        if (!row || row.status === 'ended') disconnect(id);
      }
    },
    async close() {
      sockets.terminateAll();
      for (const socket of socketServer?.clients ?? []) socket.terminate();
      socketServer?.close();
      await relay?.close();
    },
  };
}
