/**
 * Short verification code that binds to the actual peer connection (art. 1.3; issue 19, finding 7).
 *
 * A party in the middle terminates two DTLS sessions with its own certificates, so the two ends see
 * different fingerprint pairs. Hashing only the fingerprints is not enough: whoever relays signalling
 * (the server) sees both ends' fingerprints and could try certificates until the two 6-digit codes match
 * (about 10^6 tries). So the code also hashes two nonces exchanged commit-reveal style on the data
 * channel, as ZRTP does:
 *
 *   customer -> technician  verify-commit  sha-256(nonce_c)
 *   technician -> customer  verify-nonce   nonce_t            (only after the commitment arrived)
 *   customer -> technician  verify-reveal  nonce_c            (only after nonce_t arrived; checked against the commitment)
 *   code = 6 digits of sha-256(sorted fingerprints of both descriptions | nonce_c | nonce_t)
 *
 * The certificates are fixed before the data channel exists, so a relay has to pick them blind. On each
 * leg it relays, one nonce is unknown when it must fix its own: the customer's is hidden behind the
 * commitment when the relay sends its nonce_t, and the technician picks nonce_t after the relay's
 * commitment. Each leg's code is then a fresh 1-in-10^6 draw for the relay: equal codes on the phone
 * mean one connection, with probability 1 - 10^-6 per attempt.
 */
import type { VerifyMessage } from '@/lib/protocol/verification';

const FINGERPRINT = /^a=fingerprint:(\S+) ([0-9A-Fa-f:]+)\s*$/m;

export function fingerprintOf(sdp: string | undefined | null): string | undefined {
  const match = sdp ? FINGERPRINT.exec(sdp) : null;
  return match ? `${match[1]!.toLowerCase()} ${match[2]!.toUpperCase()}` : undefined;
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** 32 random bytes, hex: one end's share of the code. */
export function randomNonce(): string {
  return hex(crypto.getRandomValues(new Uint8Array(32)));
}

/** The commitment the customer sends before it knows the technician's nonce. */
export async function commitTo(nonce: string): Promise<string> {
  return hex(await sha256(nonce));
}

export interface CodeInput {
  localSdp: string | undefined | null;
  remoteSdp: string | undefined | null;
  customerNonce: string;
  technicianNonce: string;
}

export async function verificationCode(input: CodeInput): Promise<string> {
  const local = fingerprintOf(input.localSdp);
  const remote = fingerprintOf(input.remoteSdp);
  if (!local || !remote) throw new Error('no DTLS fingerprint in the session description');
  // Sorted, so the order of the ends does not matter; the nonces have fixed roles.
  const digest = await sha256([local, remote].sort().join('|') + `|${input.customerNonce}|${input.technicianNonce}`);
  const value = ((digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!) >>> 0;
  const digits = String(value % 1_000_000).padStart(6, '0');
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}

/** A verification message this end refuses (out of turn, repeated, or a reveal that breaks its commitment). */
export class VerificationRefused extends Error {
  override name = 'VerificationRefused';
}

export interface VerificationOptions {
  role: 'customer' | 'technician';
  /** This end's and the other end's session descriptions (they hold the DTLS fingerprints). */
  descriptions: () => Promise<{ local: string | undefined | null; remote: string | undefined | null }>;
  send: (message: VerifyMessage) => void;
  onCode: (code: string) => void;
  /** The exchange cannot give a code any more (the customer's reveal broke its commitment). */
  onFailed?: (detail: string) => void;
  nonce?: () => string;
}

export interface VerificationExchange {
  /** Called once the channel is open: the customer commits, the technician waits. */
  start(): Promise<void>;
  /** One verification message from the other end; rejects with VerificationRefused when it is refused. */
  receive(message: VerifyMessage): Promise<void>;
}

export function createVerificationExchange(options: VerificationOptions): VerificationExchange {
  const { role, send } = options;
  const own = (options.nonce ?? randomNonce)();
  // customer: idle -> committed -> done; technician: idle -> answered -> done | failed.
  let step: 'idle' | 'committed' | 'answered' | 'done' | 'failed' = 'idle';
  let theirCommit = '';

  const derive = async (customerNonce: string, technicianNonce: string) => {
    const { local, remote } = await options.descriptions();
    options.onCode(await verificationCode({ localSdp: local, remoteSdp: remote, customerNonce, technicianNonce }));
  };

  return {
    async start() {
      if (role !== 'customer' || step !== 'idle') return;
      const commit = await commitTo(own);
      step = 'committed';
      send({ type: 'verify-commit', commit });
    },
    async receive(message) {
      if (role === 'customer') {
        if (message.type !== 'verify-nonce' || step !== 'committed') throw new VerificationRefused(`${message.type} out of turn`);
        step = 'done';
        send({ type: 'verify-reveal', nonce: own });
        await derive(own, message.nonce);
        return;
      }
      if (message.type === 'verify-commit' && step === 'idle') {
        theirCommit = message.commit;
        step = 'answered';
        send({ type: 'verify-nonce', nonce: own });
        return;
      }
      if (message.type === 'verify-reveal' && step === 'answered') {
        if ((await commitTo(message.nonce)) !== theirCommit) {
          step = 'failed';
          const detail = 'the customer revealed a nonce that does not match its commitment';
          options.onFailed?.(detail);
          throw new VerificationRefused(detail);
        }
        step = 'done';
        await derive(message.nonce, own);
        return;
      }
      throw new VerificationRefused(`${message.type} out of turn`);
    },
  };
}

/** Waits until the connection has both descriptions (it has once the data channel is open). */
export async function connectionDescriptions(pc: RTCPeerConnection): Promise<{ local: string | undefined; remote: string | undefined }> {
  for (let i = 0; i < 100 && !(pc.localDescription && pc.remoteDescription); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { local: pc.localDescription?.sdp, remote: pc.remoteDescription?.sdp };
}
