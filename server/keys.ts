/** The server's keys: the two secrets from the key file (key-file.ts), the PeerServer key from the settings. */
import type { KeyObject } from 'node:crypto';
import type { Config } from './config';
import type { Db } from './db/open';
import { getOrCreateSetting } from './db/settings';
import { loadOrCreateKeyFile } from './key-file';
import { randomId } from './sessions/secrets';
import { loadInvitePrivateKey } from './sign-invite';

export interface ServerKeys {
  /** Not a secret: every client of a session is given it. */
  peerKey: string;
  /** HMAC key for derived session secrets and keyed lookups. */
  secret: Buffer;
  invitePrivateKey: KeyObject;
  invitePublicKeySpki: string;
}

export async function loadServerKeys(db: Db, config: Config, log: (message: string) => void): Promise<ServerKeys> {
  // Never PeerJS's public default key "peerjs": a stray client of the public cloud cannot land here.
  const peerKey = config.peerKey ?? (await getOrCreateSetting(db, 'peer_key', () => `mk-${randomId(18)}`));
  const file = await loadOrCreateKeyFile(config.keyFile, db, log);
  return {
    peerKey,
    secret: Buffer.from(file.secretKey, 'base64'),
    invitePrivateKey: loadInvitePrivateKey(file.inviteKeyPair.privateKeyPkcs8),
    invitePublicKeySpki: file.inviteKeyPair.publicKeySpki,
  };
}
