/**
 * Secrets outside the database (issue 19, finding 6): the HMAC key and the invite private key live in a
 * 0600 key file; the database (0600 too) holds neither, so a copy of it derives no token, code or link.
 */
import { chmodSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase } from '../../server/db/open';
import { generateInviteKeyPair } from '../../server/sign-invite';
import { deriveCode, deriveSecret } from '../../server/sessions/secrets';
import { addTechnician, scaledBackends, signIn, startTestServer, type TestServer } from './helpers';

let server: TestServer | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await server?.stop();
  server = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Stops the server but keeps its folder (stop() deletes it) to look at the files. */
async function closeKeepingFiles(s: TestServer): Promise<string> {
  dirs.push(s.dir);
  await s.close();
  server = undefined;
  return s.dir;
}

const mode = (path: string) => statSync(path).mode & 0o777;

function databaseBytes(dir: string): Buffer {
  return Buffer.concat(['meekijk.sqlite', 'meekijk.sqlite-wal'].map((f) => join(dir, f)).filter(existsSync).map((f) => readFileSync(f)));
}

// About the SQLite file's bytes and modes; in the scaled project the data is in PostgreSQL.
describe.skipIf(scaledBackends() !== null)('key storage', () => {
  it('keeps the HMAC key and the invite private key out of the database; what derives a live token is only in the key file', async () => {
    server = await startTestServer();
    await addTechnician(server, 'tess@reconi.nl');
    const created = await (await signIn(server, 'tess@reconi.nl')).createSession();
    const keyFile = join(server.dir, 'meekijk.keys.json');
    const keys = JSON.parse(readFileSync(keyFile, 'utf8')) as { secretKey: string; inviteKeyPair: { privateKeyPkcs8: string } };
    const secret = Buffer.from(keys.secretKey, 'base64');
    // The key file is what turns the database's rows into the live viewer token, code and link...
    const row = await server.db.selectFrom('sessions').select('invite_nonce').where('id', '=', created.session.id).executeTakeFirst();
    expect(deriveSecret(secret, 'viewer-token', created.session.id, row?.invite_nonce ?? '')).toBe(created.viewer.token);
    expect(deriveCode(secret, created.session.id, row?.invite_nonce ?? '')).toBe(created.session.invite.code);
    // ...and the database holds none of it, in any form.
    const settings = (await server.db.selectFrom('settings').select('key').orderBy('key').execute()).map((r) => r.key);
    // The key's fingerprint (a hash, so instances can check they share one key file) and the PeerServer key.
    expect(settings).toEqual(['key_fingerprint', 'peer_key']);
    const dir = await closeKeepingFiles(server);
    const bytes = databaseBytes(dir);
    expect(bytes.length).toBeGreaterThan(0);
    for (const needle of [keys.secretKey, secret.toString('hex'), keys.inviteKeyPair.privateKeyPkcs8.slice(0, 40)]) {
      expect(bytes.includes(Buffer.from(needle))).toBe(false);
    }
    expect(bytes.includes(secret)).toBe(false);
  });

  it('creates the database, its WAL and the key file readable by the owner only (0600)', async () => {
    server = await startTestServer();
    expect(mode(join(server.dir, 'meekijk.sqlite'))).toBe(0o600);
    expect(mode(join(server.dir, 'meekijk.sqlite-wal'))).toBe(0o600);
    expect(mode(join(server.dir, 'meekijk.keys.json'))).toBe(0o600);
  });

  it('moves the secrets of an older database into the key file, keeps them, and leaves no trace of them in the database', async () => {
    const dir = await closeKeepingFiles(await startTestServer());
    const keyFile = join(dir, 'meekijk.keys.json');
    rmSync(keyFile);
    const dbPath = join(dir, 'meekijk.sqlite');
    chmodSync(dbPath, 0o644);
    const legacySecret = Buffer.alloc(32, 7).toString('base64');
    const legacyPair = generateInviteKeyPair();
    const db = await openDatabase({ dbPath, databaseUrl: null });
    await db.deleteFrom('settings').where('key', '=', 'key_fingerprint').execute();
    await db.insertInto('settings').values([{ key: 'secret_key', value: legacySecret }, { key: 'invite_key_pair', value: JSON.stringify(legacyPair) }]).execute();
    await db.destroy();
    chmodSync(dbPath, 0o644);

    const { loadConfig } = await import('../../server/config');
    const { startServer } = await import('../../server/app');
    const logs: string[] = [];
    const restarted = await startServer(
      loadConfig({ MEEKIJK_PORT: '0', MEEKIJK_DB: dbPath, MEEKIJK_PASSWORD_MEMORY_KIB: '1024', MEEKIJK_PASSWORD_TIME_COST: '1', MEEKIJK_VIEWER_DIR: join(dir, 'none') }),
      { log: (m) => logs.push(m) },
    );
    try {
      const info = (await (await fetch(`${restarted.url}/api/server-info`)).json()) as { inviteKey: string };
      expect(info.inviteKey).toBe(legacyPair.publicKeySpki);
      const moved = JSON.parse(readFileSync(keyFile, 'utf8')) as { secretKey: string };
      expect(moved.secretKey).toBe(legacySecret);
      expect(mode(keyFile)).toBe(0o600);
      expect(mode(dbPath)).toBe(0o600);
      expect(logs).toContain(`moved the server's secrets from the database to ${keyFile}`);
    } finally {
      await restarted.close();
    }
    const bytes = databaseBytes(dir);
    expect(bytes.includes(Buffer.from(legacySecret))).toBe(false);
    expect(bytes.includes(Buffer.from(legacyPair.privateKeyPkcs8.slice(0, 40)))).toBe(false);
  });

  it('tightens a key file that others can read, and refuses a damaged one with a clear error', async () => {
    const dir = await closeKeepingFiles(await startTestServer());
    const keyFile = join(dir, 'meekijk.keys.json');
    chmodSync(keyFile, 0o644);
    const again = await startTestServer({ MEEKIJK_DB: join(dir, 'meekijk.sqlite') });
    dirs.push(again.dir);
    expect(mode(keyFile)).toBe(0o600);
    expect(again.logs).toContain(`key file ${keyFile} was readable by others; set to 0600`);
    await again.close();
    writeFileSync(keyFile, '{"v":1}');
    await expect(startTestServer({ MEEKIJK_DB: join(dir, 'meekijk.sqlite') })).rejects.toThrow(/^key file .* is damaged/);
  });
});
