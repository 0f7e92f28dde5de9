/**
 * The server's two secrets live in their own file (MEEKIJK_KEY_FILE, default beside the database as
 * `<name>.keys.json`), mode 0600, never in the database: a copy of the database alone gives no token,
 * code or join link and cannot sign an invite (docs/server.md, "Threat model").
 * - `secretKey`: the HMAC key that derives peer tokens, codes and join-link secrets and keys their hashes;
 * - `inviteKeyPair`: the Ed25519 pair that signs invites (the public half is what the extension pins).
 * Servers that kept them in the settings table move them here on start and delete them there.
 */
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { generateInviteKeyPair } from './sign-invite';
import type { Db } from './db/open';
import { deleteSecretSettings, getOrCreateSetting, getSetting } from './db/settings';

const keyFileSchema = z.object({
  v: z.literal(1),
  secretKey: z.string().min(40),
  inviteKeyPair: z.object({ privateKeyPkcs8: z.string().min(40), publicKeySpki: z.string().min(40) }),
});
export type KeyFile = z.infer<typeof keyFileSchema>;

export class KeyFileError extends Error {
  override name = 'KeyFileError';
}

/**
 * Reads the key file (tightening its mode to 0600), or creates it: from legacy settings rows, else fresh.
 * The database keeps the key's fingerprint (not a secret), so an instance started with another key file
 * than the database was first used with refuses to start instead of issuing codes nobody can redeem:
 * instances sharing one PostgreSQL database must share the key file too.
 */
export async function loadOrCreateKeyFile(path: string, db: Db, log: (message: string) => void): Promise<KeyFile> {
  const keys = await readOrCreate(path, db, log);
  const fingerprint = fingerprintOf(keys);
  const stored = await getOrCreateSetting(db, 'key_fingerprint', () => fingerprint);
  if (stored !== fingerprint) {
    throw new KeyFileError(
      `key file ${path} is not the one this database was first used with; copy the key file of the first instance here`,
    );
  }
  return keys;
}

export function fingerprintOf(keys: KeyFile): string {
  return createHash('sha256').update(`meekijk-keys\0${keys.secretKey}\0${keys.inviteKeyPair.publicKeySpki}`).digest('hex');
}

async function readOrCreate(path: string, db: Db, log: (message: string) => void): Promise<KeyFile> {
  if (path === ':memory:') return (await fromLegacySettings(db)) ?? freshKeys();
  if (existsSync(path)) {
    const keys = readKeyFile(path, log);
    if ((await fromLegacySettings(db)) !== null) await deleteSecretSettings(db, LEGACY_KEYS);
    return keys;
  }
  const legacy = await fromLegacySettings(db);
  const keys = createKeyFile(path, legacy ?? freshKeys());
  if (legacy !== null) {
    await deleteSecretSettings(db, LEGACY_KEYS);
    log(`moved the server's secrets from the database to ${path}`);
  }
  return keys;
}

/** An existing key file, its mode tightened to 0600. Also read by the extension's build (scripts/invite-key.ts). */
export function readKeyFile(path: string, log: (message: string) => void): KeyFile {
  if ((statSync(path).mode & 0o077) !== 0) {
    chmodSync(path, 0o600);
    log(`key file ${path} was readable by others; set to 0600`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new KeyFileError(`key file ${path} is not valid JSON`);
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) throw new KeyFileError(`key file ${path} is damaged: ${parsed.error.issues[0]?.message ?? 'bad content'}`);
  return parsed.data;
}

/**
 * Writes a new key file (fresh keys unless given). The extension's build creates it when the server has
 * not yet (`npm start` builds before the first start), so the key it pins is the one the server uses.
 */
export function createKeyFile(path: string, keys: KeyFile = freshKeys()): KeyFile {
  // 'wx': never overwrite a key file another process wrote meanwhile; mode 0600 from the first byte.
  writeFileSync(path, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return keys;
}

const LEGACY_KEYS = ['secret_key', 'invite_key_pair'];

function freshKeys(): KeyFile {
  return { v: 1, secretKey: randomBytes(32).toString('base64'), inviteKeyPair: generateInviteKeyPair() };
}

async function fromLegacySettings(db: Db): Promise<KeyFile | null> {
  const secretKey = await getSetting(db, 'secret_key');
  const pair = await getSetting(db, 'invite_key_pair');
  if (secretKey === null || pair === null) return null;
  const parsed = keyFileSchema.safeParse({ v: 1, secretKey, inviteKeyPair: JSON.parse(pair) as unknown });
  if (!parsed.success) throw new KeyFileError('settings.invite_key_pair is corrupt');
  return parsed.data;
}
