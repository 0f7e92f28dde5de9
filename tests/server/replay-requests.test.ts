/**
 * Issue 20: what the replay could still ask of the viewer's origin. The viewer's CSP lets the replay load
 * only from 'self', data: and blob:, and the replay runs no script, submits no form and takes no pointer
 * input: so all it could send is a GET (an <img>, a stylesheet, a font) to this server, with the
 * technician's cookie. This test lists every route the server has, and sends each GET route, signed in as
 * the technician and without the CSRF header (as such a request would be), and proves that none of them
 * changes what the server keeps: sessions, invites, audit events, technicians, settings and sign-ins are
 * the same row for row afterwards (the sign-in's last-seen time aside: it is the technician's own page
 * keeping the sign-in alive, as the viewer's own polling does).
 * A new route makes the first test fail until it is added here and checked.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { addTechnician, signIn, startTestServer, type TestServer } from './helpers';
import { viewerCsp } from '@/server/http/security-headers';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** Every route the server's source declares, as `METHOD mount+path`. */
function declaredRoutes(): string[] {
  const mounts: Record<string, string> = { 'auth.ts': '/api/auth', 'invites.ts': '/api', 'sessions.ts': '/api/sessions', 'audit.ts': '/api', 'public.ts': '', 'viewer.ts': '' };
  const found: string[] = [];
  for (const file of readdirSync('server/routes').filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(`server/routes/${file}`, 'utf8');
    for (const match of source.matchAll(/\b(?:router|app)\.(get|post|put|patch|delete|all|head|options)\(\s*('([^']*)'|\/[^,]*\/)/g)) {
      expect(mounts, `server/routes/${file} is mounted somewhere this test knows`).toHaveProperty(file);
      found.push(`${match[1]!.toUpperCase()} ${mounts[file]}${match[3] ?? match[2]}`);
    }
  }
  return found.sort();
}

/** The GET routes, each with the path the test sends. */
const GETS: Record<string, (ids: { session: string; secret: string }) => string> = {
  'GET /api/auth/me': () => '/api/auth/me',
  'GET /api/sessions/': () => '/api/sessions',
  'GET /api/sessions/:id': ({ session }) => `/api/sessions/${session}`,
  'GET /api/audit': ({ session }) => `/api/audit?session=${session}`,
  'GET /api/audit.csv': () => '/api/audit.csv',
  'GET /api/server-info': () => '/api/server-info',
  'GET /terms/:lang': () => '/terms/nl',
  'GET /privacy': () => '/privacy',
  'GET /support': () => '/support',
  'GET /join/:secret': ({ secret }) => `/join/${secret}`,
  'GET /start': () => '/start?ticket=T-replay-9f3c',
  'GET /healthz': () => '/healthz',
  'GET /.*/': () => '/sessions/anything',
};

const STATE_TABLES = ['sessions', 'audit_events', 'technicians', 'settings', 'auth_sessions'] as const;

async function snapshot(s: TestServer): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of STATE_TABLES) {
    const rows = (await sql`select * from ${sql.table(table)}`.execute(s.db)).rows as Array<Record<string, unknown>>;
    out[table] = rows.map(({ last_seen_at: _lastSeen, ...row }) => row);
  }
  return out;
}

describe('what the replay can ask of the viewer origin', () => {
  it('knows every route: all GET routes are the ones checked below, and the rest are POSTs', () => {
    const routes = declaredRoutes();
    expect(routes.filter((r) => r.startsWith('GET ')).sort()).toEqual(Object.keys(GETS).sort());
    expect(routes.filter((r) => !r.startsWith('GET ')).every((r) => r.startsWith('POST '))).toBe(true);
  });

  it('the viewer CSP lets the replay load images, fonts, media and styles from self, data: and blob: only', () => {
    const csp = Object.fromEntries(
      viewerCsp('https://meekijk.example.nl')
        .split('; ')
        .map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    expect(csp['img-src']).toEqual(["'self'", 'data:', 'blob:']);
    expect(csp['font-src']).toEqual(["'self'", 'data:', 'blob:']);
    expect(csp['media-src']).toEqual(["'self'", 'data:', 'blob:']);
    expect(csp['style-src']).toEqual(["'self'", "'unsafe-inline'", 'blob:']);
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
  });

  it('no GET changes state, signed in as the technician and without the CSRF token', async () => {
    server = await startTestServer();
    await addTechnician(server, 'replay@example.nl');
    const agent = await signIn(server, 'replay@example.nl');
    const created = await agent.createSession('T-replay-1');
    const secret = new URL(created.session.invite.joinUrl!).pathname.split('/').pop()!;
    const ids = { session: created.session.id, secret };
    const before = await snapshot(server);
    const statuses: Record<string, number> = {};
    for (const [route, path] of Object.entries(GETS)) {
      const res = await agent.get(path(ids));
      statuses[route] = res.status;
      await res.arrayBuffer();
    }
    // And the PeerServer's own GET routes under the same origin.
    for (const path of ['/peerjs/', '/peerjs/some-key/id', '/peerjs/some-key/peers']) await (await agent.get(path)).arrayBuffer();
    expect(await snapshot(server)).toEqual(before);
    // The routes did answer (signed in), so the test saw them do their work.
    expect(statuses['GET /api/sessions/:id']).toBe(200);
    expect(statuses['GET /api/audit']).toBe(200);
    expect(statuses['GET /join/:secret']).toBe(200);
    expect(statuses['GET /start']).toBe(302);
    // And the snapshot does see a change when one is made (a POST with the CSRF token, as the viewer sends).
    expect((await agent.post(`/api/sessions/${ids.session}/end`, { reason: 'technician-ended' })).status).toBe(204);
    expect(await snapshot(server)).not.toEqual(before);
  });
});
