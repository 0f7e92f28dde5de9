/**
 * The verification code's commit-reveal exchange on the data channel (lib/peer/verification.ts, art. 1.3),
 * declared once here and merged into the wire unions in wire.ts. The customer commits first, the
 * technician answers with its nonce, the customer reveals; each nonce is 32 random bytes, hex.
 */
// zod/mini, like control.ts: the wire unions merge both.
import * as z from 'zod/mini';

const hex256 = z.string().check(z.regex(/^[0-9a-f]{64}$/));

/** Extension -> viewer: sha-256 of the customer's nonce, sent right after hello. */
export const verifyCommitMessage = z.object({ type: z.literal('verify-commit'), commit: hex256 });
/** Extension -> viewer: the customer's nonce, sent only after the technician's nonce arrived. */
export const verifyRevealMessage = z.object({ type: z.literal('verify-reveal'), nonce: hex256 });
/** Viewer -> extension: the technician's nonce, sent only after the commitment arrived. */
export const verifyNonceMessage = z.object({ type: z.literal('verify-nonce'), nonce: hex256 });

export type VerifyCommit = z.infer<typeof verifyCommitMessage>;
export type VerifyReveal = z.infer<typeof verifyRevealMessage>;
export type VerifyNonce = z.infer<typeof verifyNonceMessage>;
export type VerifyMessage = VerifyCommit | VerifyReveal | VerifyNonce;

export function isVerifyMessage(message: { type: string }): message is VerifyMessage {
  return message.type === 'verify-commit' || message.type === 'verify-reveal' || message.type === 'verify-nonce';
}
