/**
 * Starts the real server in-process on 127.0.0.1:0 with a controllable clock: on a temp SQLite file, or, in
 * the `server-scaled` project (tests/server/scaled-setup.ts), on a fresh PostgreSQL database and Redis.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { inject } from 'vitest';
import { z } from 'zod';
import { CSRF_HEADER, meResponseSchema, viewerSessionResponseSchema, type ViewerSessionResponse } from '../../lib/protocol/api';
import { startServer, type RunningServer } from '../../server/app';
import { hashPassword } from '../../server/auth/passwords';
import { loadConfig } from '../../server/config';
import { insertTechnician } from '../../server/db/technicians';

export interface TestServer extends RunningServer {
  clock: { now: number };
  /** What the server logged. */
  logs: string[];
  /** Every wait the server asked for (the sign-in slow-down); the test server does not actually wait. */
  sleeps: number[];
  dir: string;
  stop(): Promise<void>;
}

export const TEST_PASSWORD = 'correct horse battery staple';

/** The scaled project's PostgreSQL and Redis, or null under plain SQLite. */
export function scaledBackends(): { postgresUrl: string; redisUrl: string } | null {
  const postgresUrl = inject('postgresUrl');
  const redisUrl = inject('redisUrl');
  return postgresUrl && redisUrl ? { postgresUrl, redisUrl } : null;
}

/** Environment for the next test server: a fresh database (and Redis prefix) when scaled, else nothing. */
export async function backendEnv(): Promise<Record<string, string>> {
  const scaled = scaledBackends();
  if (scaled === null) return {};
  const { createDatabase } = await import('../../scripts/services/postgres-database');
  return {
    MEEKIJK_DATABASE_URL: await createDatabase(scaled.postgresUrl),
    MEEKIJK_REDIS_URL: scaled.redisUrl,
    MEEKIJK_REDIS_PREFIX: `test-${randomUUID()}:`,
  };
}

/**
 * `env` may name the backends itself (another instance on the same database and Redis: see
 * tests/server/instances.test.ts), and `clock` may be shared with that instance.
 */
export async function startTestServer(
  env: Record<string, string> = {},
  clock = { now: Date.parse('2026-03-01T10:00:00Z') },
  options: { sweepIntervalMs?: number } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'meekijk-test-'));
  const config = loadConfig({
    MEEKIJK_PORT: '0',
    MEEKIJK_DB: join(dir, 'meekijk.sqlite'),
    ...(env.MEEKIJK_DATABASE_URL === undefined ? await backendEnv() : {}),
    MEEKIJK_PASSWORD_MEMORY_KIB: '1024',
    MEEKIJK_PASSWORD_TIME_COST: '1',
    MEEKIJK_VIEWER_DIR: join(dir, 'no-viewer'),
    ...env,
  });
  const logs: string[] = [];
  const sleeps: number[] = [];
  const server = await startServer(config, {
    now: () => clock.now,
    log: (message) => logs.push(message),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return {
    ...server,
    clock,
    logs,
    sleeps,
    dir,
    stop: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function addTechnician(server: TestServer, email: string, name = 'Tess Technicus'): Promise<string> {
  const row = await insertTechnician(server.db, {
    name,
    email,
    organisation: 'Reconi',
    passwordHash: await hashPassword(TEST_PASSWORD, { memoryKib: 1024, timeCost: 1 }),
    now: server.clock.now,
  });
  if (!row) throw new Error('duplicate technician');
  return row.id;
}

/** A signed-in technician: cookie + CSRF token, and fetch helpers that send them. */
export interface Agent {
  cookie: string;
  csrf: string;
  get(path: string): Promise<Response>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  createSession(ticket?: string): Promise<ViewerSessionResponse>;
}

export async function signIn(server: TestServer, email: string): Promise<Agent> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: TEST_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = meResponseSchema.parse(await res.json());
  const agent: Agent = {
    cookie,
    csrf: csrfToken,
    get: (path) => fetch(`${server.url}${path}`, { headers: { cookie }, redirect: 'manual' }),
    post: (path, body, headers = {}) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', [CSRF_HEADER]: csrfToken, ...headers },
        body: JSON.stringify(body),
      }),
    createSession: async (ticket = 'T-1') => {
      const created = await agent.post('/api/sessions', { ticket });
      if (created.status !== 201) throw new Error(`create failed: ${created.status} ${await created.text()}`);
      return viewerSessionResponseSchema.parse(await created.json());
    },
  };
  return agent;
}

export function postJson(server: TestServer, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

export const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export async function errorCode(res: Response): Promise<string> {
  return errorBody.parse(await res.json()).error.code;
}

/** Opens a PeerJS-protocol WebSocket and resolves with the first message, or 'refused'/'closed'. */
export interface PeerSocket {
  ws: WebSocket;
  first: Promise<string>;
  messages: string[];
  next(predicate: (message: string) => boolean, timeoutMs?: number): Promise<string>;
  closed: Promise<void>;
}

export function openPeer(server: TestServer, key: string, id: string, token: string, options: WebSocket.ClientOptions = {}): PeerSocket {
  const url = `${server.url.replace(/^http/, 'ws')}/peerjs/peerjs?key=${encodeURIComponent(key)}&id=${encodeURIComponent(id)}&token=${encodeURIComponent(token)}`;
  const ws = new WebSocket(url, options);
  const messages: string[] = [];
  const waiters: Array<{ predicate: (m: string) => boolean; resolve: (m: string) => void }> = [];
  ws.on('message', (data) => {
    const text = data.toString();
    messages.push(text);
    for (const w of [...waiters]) {
      if (w.predicate(text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(text);
      }
    }
  });
  ws.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  const first = new Promise<string>((resolve) => {
    ws.once('message', (data) => resolve(data.toString()));
    ws.once('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode ?? 0}`));
    ws.once('close', () => resolve('closed'));
  });
  const next = (predicate: (m: string) => boolean, timeoutMs = 2000) =>
    new Promise<string>((resolve, reject) => {
      const found = messages.find(predicate);
      if (found !== undefined) return resolve(found);
      const timer = setTimeout(() => reject(new Error('timed out waiting for message')), timeoutMs);
      waiters.push({ predicate, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  return { ws, first, messages, next, closed };
}
