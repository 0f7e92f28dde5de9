/**
 * The HTTP API between the Meekijk server and its two clients (the technician's viewer and the customer's
 * extension). Declared once here; the server validates requests with these schemas and the clients
 * validate responses with them (invariant 7).
 */
import { z } from 'zod';
import { siteRulesSchema } from './site-rules';
import { END_REASONS } from './wire';

export const iceServerSchema = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof iceServerSchema>;

/** 'relay': both ends use only the TURN relay, never a direct path (MEEKIJK_ICE_TRANSPORT_POLICY). */
export const iceTransportPolicySchema = z._default(z.enum(['all', 'relay']), 'all');
export type IceTransportPolicy = z.infer<typeof iceTransportPolicySchema>;

/** How a client reaches the PeerServer mounted on the Meekijk server (signalling only). */
export const peerEndpointSchema = z.object({
  /** Mount path of the PeerServer, e.g. "/peerjs". */
  path: z.string(),
  /** The PeerServer key (not PeerJS's public default). */
  key: z.string(),
});
export type PeerEndpoint = z.infer<typeof peerEndpointSchema>;

/** Credentials to register one peer id on the PeerServer; valid only for one live session. */
export const peerCredentialsSchema = z.object({ peerId: z.string(), token: z.string() });
export type PeerCredentials = z.infer<typeof peerCredentialsSchema>;

export const technicianSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  organisation: z.string(),
});
export type Technician = z.infer<typeof technicianSchema>;

export const sessionStatusSchema = z.enum(['waiting', 'active', 'ended']);

export const sessionViewSchema = z.object({
  id: z.string(),
  ticket: z.string(),
  status: sessionStatusSchema,
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  endReason: z.string().nullable(),
  /**
   * Issue 17: while active, whether page data can reach the verified technician, as the customer's side
   * last reported it ('up'; 'down' while reconnecting); null before its first report and once ended.
   */
  link: z.enum(['up', 'down']).nullable().default(null),
  invite: z.object({
    /** 6-digit code the technician reads out; only present while the invite is unspent. */
    code: z.string().regex(/^\d{6}$/).nullable(),
    joinUrl: z.string().nullable(),
    expiresAt: z.string(),
    spent: z.boolean(),
  }),
});
export type SessionView = z.infer<typeof sessionViewSchema>;

// --- technician (cookie session + CSRF header) ---

export const CSRF_HEADER = 'x-meekijk-csrf';

export const loginRequestSchema = z.object({ email: z.string().email().max(200), password: z.string().min(1).max(200) });
export const meResponseSchema = z.object({ technician: technicianSchema, csrfToken: z.string() });
export type MeResponse = z.infer<typeof meResponseSchema>;

export const createSessionRequestSchema = z.object({ ticket: z.string().trim().min(1).max(200) });

/** What the viewer needs to host a session: the session, its own peer credentials, and ICE. */
export const viewerSessionResponseSchema = z.object({
  session: sessionViewSchema,
  viewer: peerCredentialsSchema,
  /** The peer id the consented customer will use; the viewer accepts a connection from this id only. */
  customerPeerId: z.string(),
  peer: peerEndpointSchema,
  iceServers: z.array(iceServerSchema),
  /** How long the viewer waits for a dropped customer to come back before it ends the session (issue 17). */
  reconnectGraceSeconds: z.number().int().min(5).max(600).default(60),
  iceTransportPolicy: iceTransportPolicySchema,
});
export type ViewerSessionResponse = z.infer<typeof viewerSessionResponseSchema>;

// --- customer (extension) ---

/** The customer's extension exchanges a 6-digit code or a join-link secret for a signed invite. */
export const redeemRequestSchema = z.union([
  z.object({ code: z.string().regex(/^\d{6}$/, 'a code is 6 digits') }),
  z.object({ link: z.string().min(16).max(200) }),
]);
export const redeemResponseSchema = z.object({ invite: z.string() });

/** The signed content of an invite (see lib/shared/invite). */
export const invitePayloadSchema = z.object({
  v: z.literal(1),
  /** Session id. */
  sid: z.string(),
  /** Origin of the server that issued it. */
  iss: z.string(),
  technician: z.object({ name: z.string(), organisation: z.string() }),
  /** Expiry, ms since epoch. */
  exp: z.number(),
  nonce: z.string(),
});
export type InvitePayload = z.infer<typeof invitePayloadSchema>;

/** Consent given: spends the invite and returns what the extension needs to connect. */
export const joinRequestSchema = z.object({
  invite: z.string().max(4000),
  consent: z.object({
    /** sha-256 (hex) of the terms text the customer saw. */
    termsHash: z.string().regex(/^[0-9a-f]{64}$/),
    locale: z.enum(['nl', 'en']),
    at: z.string(),
  }),
});
export const joinResponseSchema = z.object({
  sessionId: z.string(),
  customer: peerCredentialsSchema,
  viewerPeerId: z.string(),
  peer: peerEndpointSchema,
  iceServers: z.array(iceServerSchema),
  iceTransportPolicy: iceTransportPolicySchema,
  /** Extra masking per site from the server's configuration (MEEKIJK_SITE_RULES); applied in the page. */
  siteRules: z._default(siteRulesSchema, []),
  /**
   * Consent covers the session, not one connection: a technician who drops (reload, network) may come
   * back within this long without a new consent; after it the session ends (issue 17, art. 1.2).
   */
  reconnectGraceSeconds: z.number().int().min(5).max(600).default(60),
});
export type JoinResponse = z.infer<typeof joinResponseSchema>;

/** Audit events either side may report for its session (the server adds created/used/consent/ended itself). */
export const auditKindSchema = z.enum([
  'control-requested',
  'control-granted',
  'control-refused',
  'control-revoked',
  'control-expired',
  'click-executed',
  'click-refused',
  'keys-typed',
  'key-refused',
  'verification-shown',
]);
export const reportEventRequestSchema = z.object({ kind: auditKindSchema, detail: z.string().max(500).default('') });

/**
 * Why a client says its session ended: any reason of the wire's one list but 'refused', which only the
 * customer's side sees (the technician refused its connection before it opened) and reports to the
 * server as 'connection-lost' (lib/background/session/session-end.ts).
 */
export const endSessionRequestSchema = z.object({ reason: z.enum(END_REASONS).exclude(['refused']) });

/** The customer's side reports its link to the verified technician; `seq` grows with every report. */
export const linkReportRequestSchema = z.object({ state: z.enum(['up', 'down']), seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

/** Public server facts the extension pins on first use (art. 6.1 terms URL, invite signing key). */
export const serverInfoSchema = z.object({
  name: z.literal('meekijk'),
  organisation: z.string(),
  /** Ed25519 public key (SPKI DER, base64) that signs invites. */
  inviteKey: z.string(),
  terms: z.object({ nl: z.string(), en: z.string(), hash: z.string() }),
});
export type ServerInfo = z.infer<typeof serverInfoSchema>;

export const apiErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ApiError = z.infer<typeof apiErrorSchema>;

// --- added for the server's list endpoints (server/routes) ---

/** GET /api/sessions: the signed-in technician's own sessions, newest first (art. 1.3). */
export const sessionListResponseSchema = z.object({ sessions: z.array(sessionViewSchema) });
export type SessionListResponse = z.infer<typeof sessionListResponseSchema>;

/** One audit row as shown to signed-in staff (GET /api/audit, also exported as CSV by /api/audit.csv). */
export const auditEventSchema = z.object({
  id: z.number(),
  at: z.string(),
  sessionId: z.string().nullable(),
  ticket: z.string().nullable(),
  technician: z.string().nullable(),
  kind: z.string(),
  detail: z.string(),
  actor: z.enum(['technician', 'customer', 'server']),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;
export const auditResponseSchema = z.object({ events: z.array(auditEventSchema) });
