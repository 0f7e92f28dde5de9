/**
 * The invite key the extension pins at build time (wxt.config.ts; issue 19, finding 13): the extension
 * checks every invite against this key and never asks the server which key to trust, so a server (or
 * whoever answers in its name) that serves another key cannot get its invites accepted.
 *
 * - `WXT_MEEKIJK_INVITE_KEY` set: that key (SPKI, base64, as `/api/server-info` shows it), or several
 *   separated by commas while a rotation rolls out (docs/server.md). For a build made away from the
 *   server (a store build): copy it from the server once, by hand, over https.
 * - Otherwise the public half of the server's key file (`MEEKIJK_KEY_FILE`, or beside `MEEKIJK_DB`:
 *   `data/meekijk.keys.json` by default), the same file the server reads. When there is none yet it is
 *   created here, so `npm start` (build, then the server's first start) pins the key the server will use.
 */
import { createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadConfig } from '../server/config';
import { createKeyFile, readKeyFile } from '../server/key-file';
let pinned: PinnedKey | undefined;

/**
 * `import.meta.env.WXT_MEEKIJK_INVITE_KEY` for the extension's code: the pinned key, read once per build
 * (wxt.config.ts calls it from the build's hook only, so `wxt prepare` on install creates no key file).
 */
export function inviteKeyDefine(): Record<string, string> {
  if (!pinned) {
    pinned = pinnedInviteKey();
    console.log(`meekijk: the extension pins invite key …${pinned.key.slice(-12)} from ${pinned.from}`);
  }
  return { 'import.meta.env.WXT_MEEKIJK_INVITE_KEY': JSON.stringify(pinned.key) };
}

export interface PinnedKey {
  /** SPKI DER, base64; several separated by commas when given so. */
  key: string;
  /** Where it came from, for the build's log. */
  from: string;
}

export function pinnedInviteKey(env: Record<string, string | undefined> = process.env): PinnedKey {
  const given = env['WXT_MEEKIJK_INVITE_KEY'];
  if (given) {
    const keys = given.split(',').map((key) => checkedKey(key.trim(), 'WXT_MEEKIJK_INVITE_KEY'));
    return { key: keys.join(','), from: 'WXT_MEEKIJK_INVITE_KEY' };
  }
  const config = loadConfig(env);
  const path = config.keyFile;
  if (path === ':memory:') throw new Error('MEEKIJK_DB=:memory: has no key file to pin; set WXT_MEEKIJK_INVITE_KEY or MEEKIJK_KEY_FILE');
  if (!existsSync(path)) {
    // A database without its key file: an older server keeps its keys in the database and moves them
    // into the key file on its next start. A new key here would replace them.
    if (config.databaseUrl === null && existsSync(config.dbPath)) {
      throw new Error(`the database ${config.dbPath} has no key file ${path} yet: start the server once (npm run serve), which writes it, then build`);
    }
    mkdirSync(dirname(path), { recursive: true });
    createKeyFile(path);
  }
  const file = readKeyFile(path, (line) => console.warn(line));
  return { key: checkedKey(file.inviteKeyPair.publicKeySpki, path), from: path };
}

function checkedKey(spki: string, from: string): string {
  let type: string | undefined;
  try {
    type = createPublicKey({ key: Buffer.from(spki, 'base64'), format: 'der', type: 'spki' }).asymmetricKeyType;
  } catch {
    type = undefined;
  }
  if (type !== 'ed25519') throw new Error(`${from}: not an Ed25519 public key (SPKI, base64, as /api/server-info shows it)`);
  return spki;
}
