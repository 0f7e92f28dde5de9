/**
 * The viewer's calls to its own server (same origin, cookie session). Every state-changing request
 * carries the CSRF token from /api/auth/me; every response is parsed with the shared schemas.
 */
import { z } from 'zod';
import {
  apiErrorSchema,
  CSRF_HEADER,
  auditResponseSchema,
  meResponseSchema,
  sessionListResponseSchema,
  viewerSessionResponseSchema,
  type AuditEvent,
  type SessionListResponse,
  type MeResponse,
  type ViewerSessionResponse,
} from '@/lib/protocol/api';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrf = '';

async function call<T>(path: string, schema: z.ZodType<T>, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, {
    ...init,
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', ...(csrf ? { [CSRF_HEADER]: csrf } : {}), ...init.headers },
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = apiErrorSchema.safeParse(body);
    throw error.success
      ? new ApiError(response.status, error.data.error.code, error.data.error.message)
      : new ApiError(response.status, 'http', `The server answered ${response.status}.`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError(response.status, 'bad-response', 'Unexpected answer from the server.');
  return parsed.data;
}

const anything = z.unknown();

export interface ViewerApi {
  me(): Promise<MeResponse>;
  login(email: string, password: string): Promise<MeResponse>;
  logout(): Promise<void>;
  createSession(ticket: string): Promise<ViewerSessionResponse>;
  getSession(id: string): Promise<ViewerSessionResponse>;
  endSession(id: string, reason?: 'technician-ended' | 'connection-lost'): Promise<void>;
  listSessions(): Promise<SessionListResponse>;
  audit(sessionId?: string): Promise<AuditEvent[]>;
}

/** Where the CSV export of the audit trail is downloaded (a plain link: the cookie authenticates it). */
export const auditCsvUrl = (sessionId?: string) => `/api/audit.csv${sessionId ? `?session=${encodeURIComponent(sessionId)}` : ''}`;

export const httpApi: ViewerApi = {
  async me() {
    const me = await call('/api/auth/me', meResponseSchema);
    csrf = me.csrfToken;
    return me;
  },
  async login(email, password) {
    await call('/api/auth/login', anything, { method: 'POST', body: JSON.stringify({ email, password }) });
    return httpApi.me();
  },
  async logout() {
    await call('/api/auth/logout', anything, { method: 'POST', body: '{}' });
    csrf = '';
  },
  createSession: (ticket) => call('/api/sessions', viewerSessionResponseSchema, { method: 'POST', body: JSON.stringify({ ticket }) }),
  listSessions: () => call('/api/sessions', sessionListResponseSchema),
  audit: async (sessionId) => (await call(`/api/audit${sessionId ? `?session=${encodeURIComponent(sessionId)}` : ''}`, auditResponseSchema)).events,
  getSession: (id) => call(`/api/sessions/${encodeURIComponent(id)}`, viewerSessionResponseSchema),
  async endSession(id, reason = 'technician-ended') {
    await call(`/api/sessions/${encodeURIComponent(id)}/end`, anything, {
      method: 'POST',
      body: JSON.stringify({ reason }),
    });
  },
};
