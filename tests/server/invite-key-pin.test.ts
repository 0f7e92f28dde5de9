/**
 * The invite key the extension pins at build time (scripts/invite-key.ts; issue 19, finding 13): taken
 * from the server's key file, created by the build when the server has not run yet, so `npm start`
 * (build, then the first start) pins the key the server then signs with.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pinnedInviteKey } from '../../scripts/invite-key';
import { generateInviteKeyPair } from '../../server/sign-invite';
import { scaledBackends, startTestServer, type TestServer } from './helpers';

const dirs: string[] = [];
let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'meekijk-pin-'));
  dirs.push(dir);
  return dir;
}

// About the SQLite deployment's files; the scaled project's instances get their key file from the deploy.
describe.skipIf(scaledBackends() !== null)('the invite key pinned at build time', () => {
  it('is the key of the key file the build creates (0600), and the server started afterwards signs with it', async () => {
    const dir = tempDir();
    const db = join(dir, 'data', 'meekijk.sqlite');
    const pinned = pinnedInviteKey({ MEEKIJK_DB: db });
    const keyFile = join(dir, 'data', 'meekijk.keys.json');
    expect(pinned.from).toBe(keyFile);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const before = readFileSync(keyFile, 'utf8');
    // A second build pins the same key and leaves the file alone.
    expect(pinnedInviteKey({ MEEKIJK_DB: db }).key).toBe(pinned.key);
    expect(readFileSync(keyFile, 'utf8')).toBe(before);

    server = await startTestServer({ MEEKIJK_DB: db });
    const info = (await (await fetch(`${server.url}/api/server-info`)).json()) as { inviteKey: string };
    expect(info.inviteKey).toBe(pinned.key);
  });

  it('follows MEEKIJK_KEY_FILE as the server does', () => {
    const dir = tempDir();
    const pinned = pinnedInviteKey({ MEEKIJK_DB: join(dir, 'meekijk.sqlite'), MEEKIJK_KEY_FILE: join(dir, 'elsewhere.keys.json') });
    expect(pinned.from).toBe(join(dir, 'elsewhere.keys.json'));
  });

  it('takes WXT_MEEKIJK_INVITE_KEY as given (a build away from the server) and refuses anything but an Ed25519 key', () => {
    const dir = tempDir();
    const { publicKeySpki } = generateInviteKeyPair();
    expect(pinnedInviteKey({ WXT_MEEKIJK_INVITE_KEY: publicKeySpki, MEEKIJK_DB: join(dir, 'meekijk.sqlite') })).toEqual({ key: publicKeySpki, from: 'WXT_MEEKIJK_INVITE_KEY' });
    const next = generateInviteKeyPair().publicKeySpki;
    expect(pinnedInviteKey({ WXT_MEEKIJK_INVITE_KEY: `${publicKeySpki}, ${next}` }).key).toBe(`${publicKeySpki},${next}`);
    expect(() => pinnedInviteKey({ WXT_MEEKIJK_INVITE_KEY: 'bm90IGEga2V5' })).toThrow(/WXT_MEEKIJK_INVITE_KEY: not an Ed25519 public key/);
    expect(() => pinnedInviteKey({ WXT_MEEKIJK_INVITE_KEY: `${publicKeySpki},bm90IGEga2V5` })).toThrow(/not an Ed25519 public key/);
  });

  it('creates no key beside a database that has none yet (an older server moves its keys out of the database on start)', () => {
    const dir = tempDir();
    const db = join(dir, 'meekijk.sqlite');
    writeFileSync(db, '');
    expect(() => pinnedInviteKey({ MEEKIJK_DB: db })).toThrow(/start the server once \(npm run serve\), which writes it, then build/);
  });

  it('stops the build on a damaged key file instead of pinning something else', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'meekijk.keys.json'), '{"v":1}', { mode: 0o600 });
    expect(() => pinnedInviteKey({ MEEKIJK_DB: join(dir, 'meekijk.sqlite') })).toThrow(/is damaged/);
  });
});
