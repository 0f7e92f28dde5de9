/**
 * The wire protocol between the customer's extension and the technician's viewer, carried over the
 * PeerJS data channel. One discriminated union per direction, validated at the receiving end with zod
 * (invariant 7: everything from the peer is untrusted).
 */
import { z } from 'zod';
import { PROTOCOL_VERSION } from './version';
import { clickResultSchema, controlRequestMessages, controlStateMessage, keyResultSchema } from './control';
import { verifyCommitMessage, verifyNonceMessage, verifyRevealMessage } from './verification';
import { assetMessage } from './assets';

/**
 * An rrweb event as it crosses the wire. The replayer does its own deep handling; at the boundary we check
 * the envelope (a known event type, a timestamp, a data object) so that garbage never reaches it.
 */
export const rrwebEventSchema = z
  .object({
    type: z.number().int().min(0).max(6),
    timestamp: z.number().finite(),
    data: z.record(z.string(), z.unknown()),
  })
  .passthrough();
export type WireRrwebEvent = z.infer<typeof rrwebEventSchema>;

const errorCode = z.enum([
  'malformed',
  'oversized',
  'unknown-type',
  'unsupported-version',
  'not-allowed',
  'bad-target',
  'internal',
  /** The receiver could not inflate our compressed stream; the sender starts a new one. */
  'stream-lost',
]);
export type WireErrorCode = z.infer<typeof errorCode>;

/**
 * Sent by either end when it has sent nothing else for a moment (lib/peer/liveness.ts): an end that hears
 * nothing at all for 1.5 s says "reconnecting" (issue 17). Never reaches the ends' own handlers.
 */
export const beatMessage = z.object({ type: z.literal('beat') });

const errorMessage = z.object({
  type: z.literal('error'),
  code: errorCode,
  message: z.string().max(500),
});

/** Why a session ended, as either end tells the other (the audit adds the server's own: lib/shared/audit/detail.ts). */
export const END_REASONS = [
  'customer-stopped',
  'technician-ended',
  'tab-closed',
  'browser-closed',
  'idle-timeout',
  'max-duration',
  'connection-lost',
  'refused',
  /** The customer's extension lost its service worker or its peer host (offscreen document) mid-session. */
  'extension-stopped',
] as const;
const endReason = z.enum(END_REASONS);
export type EndReason = z.infer<typeof endReason>;

/** Messages the extension (customer) sends to the viewer (technician). */
export const toViewerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    protocol: z.literal(PROTOCOL_VERSION),
    sessionId: z.string().min(1).max(100),
    /** The invite the customer redeemed, proving this peer is the consented customer of this session. */
    invite: z.string().min(1).max(4000),
  }),
  verifyCommitMessage,
  verifyRevealMessage,
  beatMessage,
  z.object({ type: z.literal('events'), events: z.array(rrwebEventSchema).max(100_000) }),
  /** An image, font or canvas picture the events refer to by token (lib/protocol/assets.ts). */
  assetMessage,
  z.object({
    type: z.literal('tab-state'),
    state: z.enum(['sharing', 'paused']),
    /** Why sharing paused, in words the technician can relay (the tab is on another site, etc.). */
    reason: z.enum(['other-site', 'restricted-page', 'loading']).optional(),
  }),
  z.object({ type: z.literal('end'), reason: endReason }),
  controlStateMessage,
  clickResultSchema,
  keyResultSchema,
  errorMessage,
]);
export type ToViewer = z.infer<typeof toViewerSchema>;

/** Messages the viewer (technician) sends to the extension (customer). */
export const toExtensionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), protocol: z.literal(PROTOCOL_VERSION) }),
  verifyNonceMessage,
  beatMessage,
  /** Ask for a fresh full snapshot (after a gap, or when the replayer lost track). */
  z.object({ type: z.literal('resync') }),
  z.object({ type: z.literal('end'), reason: z.literal('technician-ended') }),
  ...controlRequestMessages,
  errorMessage,
]);
export type ToExtension = z.infer<typeof toExtensionSchema>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; code: WireErrorCode; message: string };

function parseWith<T>(schema: z.ZodType<T>, input: unknown): ParseResult<T> {
  if (typeof input !== 'object' || input === null || !('type' in input)) {
    return { ok: false, code: 'malformed', message: 'message is not an object with a type' };
  }
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const unknownType = result.error.issues.some(
    (issue) => issue.code === 'invalid_union' && issue.path.length === 1 && issue.path[0] === 'type',
  );
  const known = result.error.issues[0];
  return {
    ok: false,
    code: unknownType ? 'unknown-type' : 'malformed',
    message: unknownType
      ? `unknown message type ${JSON.stringify(String((input as { type: unknown }).type)).slice(0, 60)}`
      : `invalid message: ${known ? `${known.path.join('.') || '(root)'}: ${known.message}` : 'unknown'}`.slice(0, 500),
  };
}

export const parseToViewer = (input: unknown) => parseWith(toViewerSchema, input);
export const parseToExtension = (input: unknown) => parseWith(toExtensionSchema, input);
