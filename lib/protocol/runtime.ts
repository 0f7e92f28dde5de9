/**
 * Messages between the extension's own contexts: popup -> background (request/response), the shared tab's
 * content script <-> background (port "meekijk:tab") and the peer host <-> background (port "meekijk:peer";
 * the peer host is the offscreen document in Chrome and the background page itself in Firefox).
 * Each side still validates what it receives: a content script runs inside a page we do not trust.
 */
import { z } from 'zod';
import { iceServerSchema, joinResponseSchema } from './api';
import { toExtensionSchema, toViewerSchema } from './wire';
import { controlEventSchema } from './control';

// The shared tab's port has its own module (the content script loads only that); the rest of the
// extension finds it here too.
export * from './tab-port';

export const PEER_PORT = 'meekijk:peer';

// --- peer host <-> background ---

/**
 * `reconnecting`: the channel was open and dropped; the peer host dials the technician again (issue 17).
 * `quiet`: the channel is open but nothing arrived from the technician for 1.5 s (lib/peer/liveness.ts);
 * `resumed`: the same channel was heard again, and everything sent meanwhile arrives in order.
 */
export const peerStateSchema = z.enum(['connecting', 'open', 'quiet', 'resumed', 'reconnecting', 'closed', 'failed']);
export type PeerState = z.infer<typeof peerStateSchema>;

export const backgroundToPeerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('connect'),
    serverUrl: z.string().url(),
    join: joinResponseSchema,
    invite: z.string(),
    /** The consented tab: the only one whose events port the peer host accepts (lib/peer/tab-events.ts). */
    tabId: z.number().int().nonnegative(),
  }),
  z.object({ type: z.literal('send'), message: toViewerSchema }),
  z.object({ type: z.literal('close') }),
]);
export type BackgroundToPeer = z.infer<typeof backgroundToPeerSchema>;

export const peerToBackgroundSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), state: peerStateSchema, detail: z.string().optional() }),
  z.object({ type: z.literal('message'), message: toExtensionSchema }),
  z.object({ type: z.literal('stats'), wireBytes: z.number(), rawBytes: z.number() }),
  /** The short code derived from both ends' DTLS fingerprints (lib/peer/verification.ts). */
  z.object({ type: z.literal('verification'), code: z.string().regex(/^\d{6}$/) }),
  /** Sent every few seconds while a session runs; keeps the service worker alive and proves the host lives. */
  z.object({ type: z.literal('heartbeat') }),
  /**
   * The customer's peer registered on the server again after losing it: the server is back, and what waits
   * for it (link and end reports, audit events) goes now, not at the outbox's next try (issue 17).
   */
  z.object({ type: z.literal('server-back') }),
  /** The shared tab sent events (at most one a second): the customer's page is in use, the idle clock restarts. */
  z.object({ type: z.literal('activity') }),
]);
export type PeerToBackground = z.infer<typeof peerToBackgroundSchema>;

// --- popup <-> background (runtime.sendMessage, request/response) ---

/** `reconnecting`: consent holds, no technician is connected, nothing is shared (issue 17). */
export const sessionPhaseSchema = z.enum(['idle', 'invited', 'connecting', 'live', 'paused', 'reconnecting', 'ended']);
export type SessionPhase = z.infer<typeof sessionPhaseSchema>;

export const sessionStateSchema = z.object({
  phase: sessionPhaseSchema,
  tabId: z.number().nullable(),
  sessionId: z.string().nullable(),
  technician: z.object({ name: z.string(), organisation: z.string() }).nullable(),
  startedAt: z.number().nullable(),
  endedReason: z.string().nullable(),
  pausedReason: z.string().nullable(),
  error: z.string().nullable(),
  /** Shown to the customer to read out to the technician: the same on both ends, or someone sits between. */
  verificationCode: z.string().nullable().optional(),
});
export type SessionState = z.infer<typeof sessionStateSchema>;

/** One past session in the customer's own record (lib/background/session/history.ts). */
export const historyEntrySchema = z.object({
  sessionId: z.string(),
  technician: z.object({ name: z.string(), organisation: z.string() }),
  consent: z.object({ termsHash: z.string(), locale: z.enum(['nl', 'en']), at: z.number() }),
  /** The shared page's origin when sharing started (no path, no content). */
  site: z.string().nullable(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  endedReason: z.string().nullable(),
  controlGranted: z.boolean(),
  /** Every control request, answer, revoke and click of the session (issue 6), content-free. */
  control: z.array(controlEventSchema).optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const popupRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('get-state') }),
  /** Exchange a 6-digit code for a signed invite and show who will watch. Shares nothing yet. */
  z.object({ type: z.literal('redeem'), code: z.string() }),
  /** The customer consented (a click in the extension's own UI): start sharing this tab. */
  z.object({ type: z.literal('consent'), tabId: z.number().int(), termsHash: z.string(), locale: z.enum(['nl', 'en']) }),
  z.object({ type: z.literal('decline') }),
  z.object({ type: z.literal('stop') }),
  z.object({ type: z.literal('get-history') }),
  z.object({ type: z.literal('clear-history') }),
]);
export type PopupRequest = z.infer<typeof popupRequestSchema>;

export const popupResponseSchema = z.union([
  z.object({ ok: z.literal(true), state: sessionStateSchema, history: z.array(historyEntrySchema).optional() }),
  /** `error` is already in the customer's language. */
  z.object({ ok: z.literal(false), error: z.string(), state: sessionStateSchema }),
]);
export type PopupResponse = z.infer<typeof popupResponseSchema>;

export { iceServerSchema };
