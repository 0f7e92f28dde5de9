/** Everything a route needs, built once in app.ts and passed down explicitly (no globals). */
import type { Config } from './config';
import type { Db } from './db/open';
import type { ServerKeys } from './keys';
import type { Limiters } from './auth/limiters';
import type { Terms } from './terms';

export interface PeerControl {
  /** Closes the signalling sockets of both peers of a session (art. 1.2: nothing stays connected). */
  disconnectSession(viewerPeerId: string, customerPeerId: string): void;
}

export interface AppContext {
  config: Config;
  db: Db;
  keys: ServerKeys;
  /** The invite public key as a WebCrypto key, for lib/shared/invite's isomorphic verify. */
  inviteVerifyKey: CryptoKey;
  publicUrl: string;
  secureCookies: boolean;
  now: () => number;
  limiters: Limiters;
  terms: Terms;
  peers: PeerControl;
  log: (message: string) => void;
}

/** Mount path of the PeerServer; the PeerJS client's `path` option (its WebSocket is `<path>/peerjs`). */
export const PEER_PATH = '/peerjs';
