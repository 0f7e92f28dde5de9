/**
 * One load run: SESSIONS concurrent sessions brokered by the server(s) at the given URLs. Per session:
 * create (API, technician), redeem and join (API, customer), a viewer and a customer register on the
 * PeerServer and relay OFFER -> ANSWER -> CANDIDATE. All stay connected at once, then all are ended and
 * their sockets must close. With two URLs, session i has its technician on one instance and its customer
 * on the other, so every signalling message crosses instances (through Redis).
 */
import { performance } from 'node:perf_hooks';
import {
  CSRF_HEADER, joinResponseSchema, meResponseSchema, redeemResponseSchema, serverInfoSchema, viewerSessionResponseSchema,
} from '../../lib/protocol/api';
import { connectPeer, type PeerClient } from './peer-client';
import { pool } from './stats';

const API_CONCURRENCY = 64;
const STEP_TIMEOUT_MS = 15_000;

export interface LoadResult {
  sessions: number;
  concurrent: number;
  offerMs: number[];
  roundTripMs: number[];
  apiMs: number[];
  perEndpoint: Map<string, number[]>;
  establishedMs: number;
  totalMs: number;
  errors: string[];
}

export async function runScenario(urls: string[], sessions: number, login: { email: string; password: string }): Promise<LoadResult> {
  const apiMs: number[] = [];
  const perEndpoint = new Map<string, number[]>();
  const offerMs: number[] = [];
  const roundTripMs: number[] = [];
  const errors: string[] = [];
  const api = async (base: string, path: string, init: RequestInit): Promise<Response> => {
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
  const technicianAt = (i: number) => urls[i % urls.length] ?? '';
  const customerAt = (i: number) => urls[(i + 1) % urls.length] ?? '';

  const signedIn = await api(technicianAt(0), '/api/auth/login', json(login));
  const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = meResponseSchema.parse(await signedIn.json());
  const { hash: termsHash } = serverInfoSchema.parse(await (await api(customerAt(0), '/api/server-info', {})).json()).terms;
  const live: Array<{ id: string; at: string; viewer: PeerClient; customer: PeerClient }> = [];

  const started = performance.now();
  await pool(sessions, API_CONCURRENCY, async (i) => {
    const [tech, cust] = [technicianAt(i), customerAt(i)];
    try {
      const created = viewerSessionResponseSchema.parse(await (await api(tech, '/api/sessions', json({ ticket: `LOAD-${i}` }, { cookie, [CSRF_HEADER]: csrfToken }))).json());
      const { invite } = redeemResponseSchema.parse(await (await api(cust, '/api/invites/redeem', json({ code: created.session.invite.code }))).json());
      const joined = joinResponseSchema.parse(await (await api(cust, `/api/sessions/${created.session.id}/join`, json({ invite, consent: { termsHash, locale: 'nl', at: new Date().toISOString() } }))).json());
      const [viewer, customer] = await Promise.all([
        connectPeer(tech, created.peer.key, created.viewer.peerId, created.viewer.token, STEP_TIMEOUT_MS),
        connectPeer(cust, joined.peer.key, joined.customer.peerId, joined.customer.token, STEP_TIMEOUT_MS),
      ]);
      live.push({ id: created.session.id, at: tech, viewer, customer });
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

  // End every session; both sockets of each must be closed by the server(s) (art. 1.2).
  await pool(live.length, API_CONCURRENCY, async (i) => {
    const session = live[i];
    if (!session) return;
    try {
      await api(session.at, `/api/sessions/${session.id}/end`, json({ reason: 'technician-ended' }, { cookie, [CSRF_HEADER]: csrfToken }));
      await Promise.race([
        Promise.all([session.viewer.closed, session.customer.closed]),
        new Promise((_, reject) => setTimeout(() => reject(new Error('peers not disconnected after end')), STEP_TIMEOUT_MS)),
      ]);
    } catch (error) {
      errors.push(`end ${i}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  return { sessions, concurrent, offerMs, roundTripMs, apiMs, perEndpoint, establishedMs, totalMs: performance.now() - started, errors };
}
