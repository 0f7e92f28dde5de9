/** Security headers on every answer, the PeerServer's included; HSTS behind https (issue 19, finding 10). */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const FOREIGN = { origin: 'https://evil.example' };

describe('security headers', () => {
  it('answers /peerjs with nosniff, a CSP, no X-Powered-By and no CORS for a foreign origin', async () => {
    server = await startTestServer();
    for (const path of ['/peerjs', '/peerjs/', '/peerjs/some-key/id', '/peerjs/some-key/peers']) {
      const res = await fetch(`${server.url}${path}`, { headers: FOREIGN });
      expect(res.headers.get('x-powered-by'), path).toBeNull();
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), path).toContain("default-src 'none'");
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
    }
    const preflight = await fetch(`${server.url}/peerjs/`, {
      method: 'OPTIONS',
      headers: { ...FOREIGN, 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('never echoes a foreign origin in CORS on the API either', async () => {
    server = await startTestServer();
    const res = await fetch(`${server.url}/api/server-info`, { headers: FOREIGN });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('sends HSTS on every answer when the public URL is https, and not over plain http', async () => {
    server = await startTestServer({ MEEKIJK_PUBLIC_URL: 'https://meekijk.example.nl' });
    for (const path of ['/', '/api/server-info', '/peerjs/', '/terms/nl', '/healthz']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.headers.get('strict-transport-security'), path).toBe('max-age=31536000');
    }
    await server.stop();
    server = await startTestServer();
    expect((await fetch(`${server.url}/healthz`)).headers.get('strict-transport-security')).toBeNull();
  });
});
