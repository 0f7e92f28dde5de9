/**
 * Short verification code from the DTLS fingerprints of both ends of the peer connection (art. 1.3).
 * Both sides hash the same two fingerprints (sorted, so the order of the ends does not matter); a party
 * in the middle terminates two DTLS sessions with its own keys, so the codes the customer and the
 * technician read out to each other would differ.
 */
const FINGERPRINT = /^a=fingerprint:(\S+) ([0-9A-Fa-f:]+)\s*$/m;

export function fingerprintOf(sdp: string | undefined | null): string | undefined {
  const match = sdp ? FINGERPRINT.exec(sdp) : null;
  return match ? `${match[1]!.toLowerCase()} ${match[2]!.toUpperCase()}` : undefined;
}

export async function verificationCode(localSdp: string | undefined | null, remoteSdp: string | undefined | null): Promise<string> {
  const local = fingerprintOf(localSdp);
  const remote = fingerprintOf(remoteSdp);
  if (!local || !remote) throw new Error('no DTLS fingerprint in the session description');
  const input = new TextEncoder().encode([local, remote].sort().join('|'));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', input));
  const value = ((digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!) >>> 0;
  const digits = String(value % 1_000_000).padStart(6, '0');
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}

/** Waits until the connection has both descriptions, then derives the code. */
export async function connectionVerificationCode(pc: RTCPeerConnection): Promise<string> {
  for (let i = 0; i < 100 && !(pc.localDescription && pc.remoteDescription); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return verificationCode(pc.localDescription?.sdp, pc.remoteDescription?.sdp);
}
