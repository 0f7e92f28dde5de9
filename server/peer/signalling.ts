/**
 * The PeerServer (signalling only: SDP offers/answers and ICE candidates, never page content, art. 2.1),
 * mounted at PEER_PATH on the same HTTP server. Hardening beyond the `peer` package's defaults:
 * - the WebSocket upgrade is refused (401) unless id + token belong to a live session (no OPEN is ever sent);
 * - the 'connection' event checks again and drops anything else;
 * - a peer can only signal its own session partner;
 * - ending a session closes both sockets, and the ended session's tokens never register again.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Express } from 'express';
import { ExpressPeerServer, type IClient } from 'peer';
import { WebSocketServer, type ServerOptions, type WebSocket } from 'ws';
import type { Db } from '../db/open';
import { PEER_PATH, type PeerControl } from '../context';
import { authorizePeer, type PeerGrant } from './authorize';
import { createFilteredSocketClass } from './filtered-socket';
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

export async function mountSignalling(app: Express, httpServer: Server, deps: SignallingDeps): Promise<PeerControl & { close(): Promise<void> }> {
  const grants = new WeakMap<WebSocket, PeerGrant>();
  // The grant found while verifying the upgrade, handed to the 'connection' event of the same request.
  const upgradeGrants = new WeakMap<IncomingMessage, PeerGrant>();
  const clients = new Map<string, IClient>();
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
      verifyClient: ({ req }: { req: IncomingMessage }, done: (ok: boolean, status?: number) => void) => {
        const { id, token, key } = credentialsOf(req.url);
        if (key !== deps.peerKey) return done(false, 401);
        authorize(id, token).then(
          (grant) => {
            if (grant) upgradeGrants.set(req, grant);
            done(grant !== null, 401);
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
      if (grant) grants.set(socket, grant);
      else socket.terminate();
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
  });

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

  function disconnect(peerId: string): void {
    const socket = clients.get(peerId)?.getSocket();
    clients.delete(peerId);
    if (!socket) return;
    grants.delete(socket); // from now on the filter drops anything it still sends
    socket.close(1008, 'session ended');
    setTimeout(() => socket.terminate(), 2000).unref();
  }
  return {
    disconnectSession(viewerPeerId, customerPeerId) {
      disconnect(viewerPeerId);
      disconnect(customerPeerId);
      relay?.disconnectEverywhere([viewerPeerId, customerPeerId]).catch(reportRelay);
    },
    async close() {
      for (const socket of socketServer?.clients ?? []) socket.terminate();
      socketServer?.close();
      await relay?.close();
    },
  };
}
