/** Long-lived server secrets, generated on first start and kept in the settings table. */
import type { KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { generateInviteKeyPair, loadInvitePrivateKey } from './sign-invite';
import type { Config } from './config';
import type { Db } from './db/open';
import { getOrCreateSetting } from './db/settings';
import { randomId } from './sessions/secrets';

export interface ServerKeys {
  peerKey: string;
  /** HMAC key for derived session secrets and keyed lookups. */
  secret: Buffer;
  invitePrivateKey: KeyObject;
  invitePublicKeySpki: string;
}

export function loadServerKeys(db: Db, config: Config): ServerKeys {
  // Never PeerJS's public default key "peerjs": a stray client of the public cloud cannot land here.
  const peerKey = config.peerKey ?? getOrCreateSetting(db, 'peer_key', () => `mk-${randomId(18)}`);
  const secret = Buffer.from(getOrCreateSetting(db, 'secret_key', () => randomBytes(32).toString('base64')), 'base64');
  const pair = getOrCreateSetting(db, 'invite_key_pair', () => JSON.stringify(generateInviteKeyPair()));
  const { privateKeyPkcs8, publicKeySpki } = parsePair(pair);
  return { peerKey, secret, invitePrivateKey: loadInvitePrivateKey(privateKeyPkcs8), invitePublicKeySpki: publicKeySpki };
}

function parsePair(json: string): { privateKeyPkcs8: string; publicKeySpki: string } {
  const value: unknown = JSON.parse(json);
  if (
    typeof value === 'object' && value !== null &&
    'privateKeyPkcs8' in value && typeof value.privateKeyPkcs8 === 'string' &&
    'publicKeySpki' in value && typeof value.publicKeySpki === 'string'
  ) {
    return { privateKeyPkcs8: value.privateKeyPkcs8, publicKeySpki: value.publicKeySpki };
  }
  throw new Error('settings.invite_key_pair is corrupt');
}
