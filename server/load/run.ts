/**
 * npm run load: brokers SESSIONS concurrent sessions against one in-process server on 127.0.0.1 (temp DB,
 * port 0): per session create (API), redeem, join, then a viewer and a customer register on the PeerServer
 * and relay OFFER -> ANSWER -> CANDIDATE. All sessions stay connected at once, then all are ended and their
 * sockets must close. Prints signalling and API latency; exits non-zero on any error. Loopback only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  CSRF_HEADER, joinResponseSchema, meResponseSchema, redeemResponseSchema, serverInfoSchema, viewerSessionResponseSchema,
} from '../../lib/protocol/api';
import { startServer } from '../app';
import { hashPassword } from '../auth/passwords';
import { loadConfig } from '../config';
import { insertTechnician } from '../db/technicians';
import { connectPeer, type PeerClient } from './peer-client';
import { pool, summary } from './stats';

// Bounded: 1..5000 sessions (default 1000), whatever the environment says.
const SESSIONS = Math.min(5000, Math.max(1, Math.floor(Number(process.env.MEEKIJK_LOAD_SESSIONS ?? 1000)) || 1000));
const API_CONCURRENCY = 64;
const STEP_TIMEOUT_MS = 10_000;
const TOTAL_TIMEOUT_MS = 180_000;

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'meekijk-load-'));
  const config = loadConfig({ MEEKIJK_HOST: '127.0.0.1', MEEKIJK_PORT: '0', MEEKIJK_DB: join(dir, 'load.sqlite'), MEEKIJK_VIEWER_DIR: join(dir, 'none'), MEEKIJK_MAX_LIVE_SESSIONS: '10000' });
  const server = await startServer(config, { log: () => undefined });
  const base = server.url;
  const password = 'load-test-password-123';
  await insertTechnician(server.db, { name: 'Load', email: 'load@meekijk.local', organisation: 'Reconi', passwordHash: await hashPassword(password, config.passwordHash), now: Date.now() });

  const apiMs: number[] = [];
  const perEndpoint = new Map<string, number[]>();
  const offerMs: number[] = [];
  const roundTripMs: number[] = [];
  const errors: string[] = [];
  const api = async (path: string, init: RequestInit): Promise<Response> => {
    const started = performance.now();
    const res = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(STEP_TIMEOUT_MS) });
    const label = `${init.method ?? 'GET'} ${path.replace(/[A-Za-z0-9_-]{20,}/g, ':id')}`;
    const ms = performance.now() - started;
    apiMs.push(ms);
    perEndpoint.set(label, [...(perEndpoint.get(label) ?? []), ms]);
    if (!res.ok) throw new Error(`${label}: ${res.status} ${await res.text()}`);
    return res;
  };
  const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  const login = await api('/api/auth/login', json({ email: 'load@meekijk.local', password }));
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = meResponseSchema.parse(await login.json());
  const { hash: termsHash } = serverInfoSchema.parse(await (await api('/api/server-info', {})).json()).terms;
  const live: Array<{ id: string; viewer: PeerClient; customer: PeerClient }> = [];

  const started = performance.now();
  const deadline = setTimeout(() => {
    process.stderr.write(`load: gave up after ${TOTAL_TIMEOUT_MS / 1000} s\n`);
    process.exit(3);
  }, TOTAL_TIMEOUT_MS);

  await pool(SESSIONS, API_CONCURRENCY, async (i) => {
    try {
      const created = viewerSessionResponseSchema.parse(await (await api('/api/sessions', json({ ticket: `LOAD-${i}` }, { cookie, [CSRF_HEADER]: csrfToken }))).json());
      const { invite } = redeemResponseSchema.parse(await (await api('/api/invites/redeem', json({ code: created.session.invite.code }))).json());
      const joined = joinResponseSchema.parse(await (await api(`/api/sessions/${created.session.id}/join`, json({ invite, consent: { termsHash, locale: 'nl', at: new Date().toISOString() } }))).json());
      const [viewer, customer] = await Promise.all([
        connectPeer(base, created.peer.key, created.viewer.peerId, created.viewer.token, STEP_TIMEOUT_MS),
        connectPeer(base, joined.peer.key, joined.customer.peerId, joined.customer.token, STEP_TIMEOUT_MS),
      ]);
      live.push({ id: created.session.id, viewer, customer });
      const sent = performance.now();
      customer.send('OFFER', joined.viewerPeerId, { type: 'data', sdp: { type: 'offer', sdp: `v=0 load ${i}` }, connectionId: `dc_${i}` });
      const offer = await viewer.next('OFFER', STEP_TIMEOUT_MS);
      offerMs.push(performance.now() - sent);
      if (offer.src !== joined.customer.peerId) throw new Error('OFFER arrived with the wrong src');
      viewer.send('ANSWER', joined.customer.peerId, { type: 'data', sdp: { type: 'answer', sdp: 'v=0' }, connectionId: `dc_${i}` });
      await customer.next('ANSWER', STEP_TIMEOUT_MS);
      roundTripMs.push(performance.now() - sent);
      customer.send('CANDIDATE', joined.viewerPeerId, { type: 'data', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' }, connectionId: `dc_${i}` });
      await viewer.next('CANDIDATE', STEP_TIMEOUT_MS);
    } catch (error) {
      errors.push(`session ${i}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  const establishedMs = performance.now() - started;
  const concurrent = live.length;

  // End every session; both sockets of each must be closed by the server (art. 1.2).
  await pool(live.length, API_CONCURRENCY, async (i) => {
    const session = live[i];
    if (!session) return;
    try {
      await api(`/api/sessions/${session.id}/end`, json({ reason: 'technician-ended' }, { cookie, [CSRF_HEADER]: csrfToken }));
      await Promise.race([
        Promise.all([session.viewer.closed, session.customer.closed]),
        new Promise((_, reject) => setTimeout(() => reject(new Error('peers not disconnected after end')), STEP_TIMEOUT_MS)),
      ]);
    } catch (error) {
      errors.push(`end ${i}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  clearTimeout(deadline);
  const totalMs = performance.now() - started;
  await server.close();
  rmSync(dir, { recursive: true, force: true });

  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`sessions:            ${SESSIONS} (all ${concurrent} connected at once before ending)`);
  out(`signalling one-way:  ${summary(offerMs)}  (customer OFFER -> viewer)`);
  out(`signalling RTT:      ${summary(roundTripMs)}  (OFFER -> ANSWER back at customer)`);
  out(`API requests:        ${summary(apiMs)}`);
  for (const [label, samples] of perEndpoint) if (samples.length > 1) out(`  ${label.padEnd(32)} ${summary(samples)}`);
  out(`established in:      ${(establishedMs / 1000).toFixed(2)} s; total ${(totalMs / 1000).toFixed(2)} s`);
  out(`errors:              ${errors.length}`);
  for (const error of errors.slice(0, 10)) out(`  ${error}`);
  return errors.length === 0 && concurrent === SESSIONS ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`load: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
