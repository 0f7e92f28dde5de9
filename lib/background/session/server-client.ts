/**
 * The extension's calls to the Meekijk server. Responses are untrusted network input and are parsed
 * with the shared schemas; failures become `ServerError`s with a message a customer can read.
 */
import type { z } from 'zod';
import type { Delivery, OutboxItem } from './outbox';
import {
  apiErrorSchema,
  joinResponseSchema,
  redeemResponseSchema,
  type JoinResponse,
} from '@/lib/protocol/api';

export class ServerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 0,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

async function call<T>(base: string, path: string, schema: z.ZodType<T>, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...init.headers },
      credentials: 'omit',
    });
  } catch {
    throw new ServerError('unreachable', `The Meekijk server at ${base} cannot be reached.`);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = apiErrorSchema.safeParse(body);
    throw error.success
      ? new ServerError(error.data.error.code, error.data.error.message, response.status)
      : new ServerError('http', `The server answered ${response.status}.`, response.status);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ServerError('bad-response', 'The server sent an answer this extension does not understand.');
  return parsed.data;
}

export const redeemCode = (base: string, code: string) =>
  call(base, '/api/invites/redeem', redeemResponseSchema, { method: 'POST', body: JSON.stringify({ code }) });

export const redeemLink = (base: string, link: string) =>
  call(base, '/api/invites/redeem', redeemResponseSchema, { method: 'POST', body: JSON.stringify({ link }) });

export const joinSession = (
  base: string,
  sessionId: string,
  body: { invite: string; consent: { termsHash: string; locale: 'nl' | 'en'; at: string } },
): Promise<JoinResponse> =>
  call(base, `/api/sessions/${encodeURIComponent(sessionId)}/join`, joinResponseSchema, { method: 'POST', body: JSON.stringify(body) });

export async function endSession(base: string, sessionId: string, token: string, reason: string): Promise<void> {
  const response = await fetch(`${base}/api/sessions/${encodeURIComponent(sessionId)}/end`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ reason }),
    credentials: 'omit',
  }).catch(() => undefined);
  if (response && !response.ok && response.status !== 409 && response.status !== 410) {
    throw new ServerError('end-failed', `The server answered ${response.status} when ending the session.`, response.status);
  }
}

export async function reportEvent(base: string, sessionId: string, token: string, kind: string, detail = ''): Promise<void> {
  await fetch(`${base}/api/sessions/${encodeURIComponent(sessionId)}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ kind, detail }),
    credentials: 'omit',
  }).catch(() => undefined);
}

/**
 * One try at an end report, audit event or link report from the outbox (./outbox.ts). `sent` once the server has it, or
 * refused it for good (409/410: the session already ended; 4xx: it will never take it); `retry` when the
 * server is unreachable or failing (5xx, 429 for rate limits).
 */
export async function deliver(item: OutboxItem): Promise<Delivery> {
  const path = item.kind === 'end' ? 'end' : item.kind === 'link' ? 'link' : 'events';
  const body = item.kind === 'end' ? { reason: item.reason } : item.kind === 'link' ? { state: item.state, seq: item.seq } : { kind: item.event, detail: item.detail };
  let response: Response;
  try {
    response = await fetch(`${item.base}/api/sessions/${encodeURIComponent(item.sessionId)}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${item.token}` },
      body: JSON.stringify(body),
      credentials: 'omit',
    });
  } catch {
    return 'retry';
  }
  if (response.ok) return 'sent';
  // The audit trail of this session is full: more tries would be refused the same way.
  const auditFull = response.status === 429 && item.kind === 'event' && (await response.json().catch(() => undefined))?.error?.code === 'audit-full';
  if (response.status >= 500 || (response.status === 429 && !auditFull)) return 'retry';
  if (response.status !== 409 && response.status !== 410 && !auditFull) console.warn(`meekijk: the server refused a ${item.kind} report (${response.status})`);
  return 'sent';
}
