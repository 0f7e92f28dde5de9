import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, resolvePublicUrl, resolveSecureCookies } from '../../server/config';

describe('loadConfig', () => {
  it('has safe defaults', () => {
    const config = loadConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8080);
    expect(config.dbPath).toBe('./data/meekijk.sqlite');
    expect(config.organisation).toBe('Reconi');
    expect(config.peerKey).toBeNull();
    expect(config.iceServers).toEqual([]);
    expect(config.turn).toBeNull();
    expect(config.inviteTtlMinutes).toBe(15);
    expect(resolvePublicUrl(config, 8080)).toBe('http://127.0.0.1:8080');
    expect(resolveSecureCookies(config, 'http://127.0.0.1:8080')).toBe(false);
    expect(resolveSecureCookies(config, 'https://meekijk.example')).toBe(true);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      MEEKIJK_HOST: '0.0.0.0',
      MEEKIJK_PORT: '9000',
      MEEKIJK_PUBLIC_URL: 'https://meekijk.example/',
      MEEKIJK_PEER_KEY: 'a-long-peer-key',
      MEEKIJK_ICE_SERVERS: '[{"urls":"stun:stun.example:3478"}]',
      MEEKIJK_TURN_URLS: 'turn:turn.example:3478?transport=udp, turns:turn.example:5349',
      MEEKIJK_TURN_SECRET: 'sixteen-chars-secret',
      MEEKIJK_TURN_TTL: '600',
      MEEKIJK_INVITE_TTL_MINUTES: '5',
      MEEKIJK_SECURE_COOKIES: 'false',
      MEEKIJK_STORE_LINKS_CHROME: 'https://chromewebstore.google.com/detail/x',
    });
    expect(config.port).toBe(9000);
    expect(config.publicUrl).toBe('https://meekijk.example');
    expect(config.peerKey).toBe('a-long-peer-key');
    expect(config.iceServers).toEqual([{ urls: 'stun:stun.example:3478' }]);
    expect(config.turn).toEqual({ urls: ['turn:turn.example:3478?transport=udp', 'turns:turn.example:5349'], secret: 'sixteen-chars-secret', ttlSeconds: 600 });
    expect(config.inviteTtlMinutes).toBe(5);
    expect(resolveSecureCookies(config, 'https://meekijk.example')).toBe(false);
    expect(config.storeLinks).toEqual({ chrome: 'https://chromewebstore.google.com/detail/x', firefox: null });
  });

  it.each([
    [{ MEEKIJK_PORT: 'abc' }, /^invalid MEEKIJK_PORT: .*"abc"/],
    [{ MEEKIJK_PORT: '70000' }, /^invalid MEEKIJK_PORT: must be at most 65535/],
    [{ MEEKIJK_PEER_KEY: 'peerjs' }, /^invalid MEEKIJK_PEER_KEY/],
    [{ MEEKIJK_ICE_SERVERS: 'not json' }, /^invalid MEEKIJK_ICE_SERVERS: expected a JSON array/],
    [{ MEEKIJK_ICE_SERVERS: '[{"urls":5}]' }, /^invalid MEEKIJK_ICE_SERVERS\[0\]\.urls/],
    [{ MEEKIJK_TURN_URLS: 'turn:x:3478' }, /set both or neither/],
    [{ MEEKIJK_TURN_URLS: 'http://x', MEEKIJK_TURN_SECRET: 'sixteen-chars-secret' }, /^invalid MEEKIJK_TURN_URLS/],
    [{ MEEKIJK_PUBLIC_URL: 'ftp://x' }, /^invalid MEEKIJK_PUBLIC_URL/],
    [{ MEEKIJK_SECURE_COOKIES: 'yes' }, /^invalid MEEKIJK_SECURE_COOKIES: expected auto, true or false/],
    [{ MEEKIJK_INVITE_TTL_MINUTES: '0' }, /^invalid MEEKIJK_INVITE_TTL_MINUTES/],
    [{ MEEKIJK_ICE_TRANSPORT_POLICY: 'relay' }, /^invalid MEEKIJK_ICE_TRANSPORT_POLICY: relay needs a TURN server/],
    [{ MEEKIJK_ICE_TRANSPORT_POLICY: 'direct' }, /^invalid MEEKIJK_ICE_TRANSPORT_POLICY: expected all or relay/],
    [{ MEEKIJK_DATABASE_URL: 'mysql://x/y' }, /^invalid MEEKIJK_DATABASE_URL: expected a postgres:\/\/ URL/],
    [{ MEEKIJK_REDIS_URL: 'localhost:6379' }, /^invalid MEEKIJK_REDIS_URL: expected a redis:\/\/ or rediss:\/\/ URL/],
  ])('refuses %j with a one-line error naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect(error instanceof Error && error.message).toMatch(message);
      expect(error instanceof Error && error.message.includes('\n')).toBe(false);
    }
  });
});

describe('server/main.ts', () => {
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });

  it('exits 2 with one line, no stack trace, on a bad value', () => {
    const result = run({ MEEKIJK_PORT: 'eighty' });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('meekijk: invalid MEEKIJK_PORT: expected a whole number (got "eighty")');
  }, 30_000); // a process start under tsx: seconds on a busy machine, like the test below

  it('exits 2 with a clear line when the port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const dir = mkdtempSync(join(tmpdir(), 'meekijk-main-'));
    const result = run({ MEEKIJK_PORT: String(port), MEEKIJK_DB: join(dir, 'db.sqlite') });
    blocker.close();
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(`meekijk: port ${port} on 127.0.0.1 is already in use; set MEEKIJK_PORT`);
  }, 30_000);
});
