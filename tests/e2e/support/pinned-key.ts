/**
 * The extension pins its invite key at build time (scripts/invite-key.ts): a test server must sign with
 * the key file the build pinned, or the extension refuses every invite. Each test server gets a copy of
 * that file (servers chmod and may write beside it; the original stays as it is).
 */
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '@/server/config';
import { readKeyFile } from '@/server/key-file';
import { EXTENSION_DIR } from './browser';

export function copyPinnedKeyFile(target: string): void {
  const source = loadConfig(process.env).keyFile;
  if (!existsSync(source)) throw new Error(`no key file ${source}: run \`npm run build\`, which creates it and pins its invite key`);
  const key = readKeyFile(source, () => undefined).inviteKeyPair.publicKeySpki;
  const bundle = readFileSync(path.join(EXTENSION_DIR, 'background.js'), 'utf8');
  if (!bundle.includes(JSON.stringify(key))) {
    throw new Error(`the built extension does not pin the invite key of ${source} (built with another key?): run \`npm run build\``);
  }
  copyFileSync(source, target);
}
