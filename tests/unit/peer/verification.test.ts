/**
 * The verification code (lib/peer/verification.ts; issue 19, finding 7): the derivation from both DTLS
 * fingerprints and two nonces, and the commit-reveal exchange that keeps a relay from choosing its side
 * after seeing the other's.
 */
import { describe, expect, it } from 'vitest';
import { commitTo, createVerificationExchange, fingerprintOf, randomNonce, verificationCode, VerificationRefused } from '@/lib/peer/verification';
import type { VerifyMessage } from '@/lib/protocol/verification';

const CUSTOMER = '6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08';
const TECHNICIAN = 'D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:91:3F:8C:5E:63:CD:0D:3A:4B:5C:6D';
const NONCE_C = 'c'.repeat(64);
const NONCE_T = 'a1'.repeat(32);

/** A session description as Chromium writes it, trimmed to the lines that matter here. */
function sdp(fingerprint: string, algorithm = 'sha-256'): string {
  return [
    'v=0',
    'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    'c=IN IP4 0.0.0.0',
    'a=ice-ufrag:abcd',
    `a=fingerprint:${algorithm} ${fingerprint}`,
    'a=setup:actpass',
    'a=mid:0',
    'a=sctp-port:5000',
    '',
  ].join('\r\n');
}

/** Changes one hex digit of a fingerprint. */
function tweak(fingerprint: string, at: number): string {
  const digit = fingerprint[at]!;
  return fingerprint.slice(0, at) + (digit === '0' ? '1' : '0') + fingerprint.slice(at + 1);
}

const code = (local: string | undefined | null, remote: string | undefined | null, customerNonce = NONCE_C, technicianNonce = NONCE_T) =>
  verificationCode({ localSdp: local, remoteSdp: remote, customerNonce, technicianNonce });

describe('verificationCode', () => {
  it('is six digits, grouped by three', async () => {
    expect(await code(sdp(CUSTOMER), sdp(TECHNICIAN))).toMatch(/^\d{3} \d{3}$/);
  });

  it('is the same at both ends, whichever is local', async () => {
    expect(await code(sdp(CUSTOMER), sdp(TECHNICIAN))).toBe(await code(sdp(TECHNICIAN), sdp(CUSTOMER)));
  });

  it('does not depend on how the hex digits are cased', async () => {
    expect(await code(sdp(CUSTOMER.toLowerCase()), sdp(TECHNICIAN))).toBe(await code(sdp(CUSTOMER), sdp(TECHNICIAN)));
  });

  it('differs when either fingerprint differs (a party in the middle)', async () => {
    const genuine = await code(sdp(CUSTOMER), sdp(TECHNICIAN));
    const codes = new Set<string>();
    for (const at of [0, 10, 50, 94]) {
      codes.add(await code(sdp(tweak(CUSTOMER, at)), sdp(TECHNICIAN)));
      codes.add(await code(sdp(CUSTOMER), sdp(tweak(TECHNICIAN, at))));
    }
    expect(codes.has(genuine)).toBe(false);
    // Eight tweaks, eight different codes: six digits leave 1 in 10^6 for a collision.
    expect(codes.size).toBe(8);
  });

  it('differs when the hash algorithm of a fingerprint differs', async () => {
    expect(await code(sdp(CUSTOMER, 'sha-384'), sdp(TECHNICIAN))).not.toBe(await code(sdp(CUSTOMER), sdp(TECHNICIAN)));
  });

  it('differs with either nonce, so the same certificates give a fresh code each connection', async () => {
    const genuine = await code(sdp(CUSTOMER), sdp(TECHNICIAN));
    const other = 'b2'.repeat(32);
    const codes = new Set([await code(sdp(CUSTOMER), sdp(TECHNICIAN), other, NONCE_T), await code(sdp(CUSTOMER), sdp(TECHNICIAN), NONCE_C, other)]);
    expect(codes.has(genuine)).toBe(false);
    expect(codes.size).toBe(2);
    // The nonces have roles: swapping them is another code.
    expect(await code(sdp(CUSTOMER), sdp(TECHNICIAN), NONCE_T, NONCE_C)).not.toBe(genuine);
  });

  it('stays the same from one release to the next, so an extension and a viewer of one protocol agree', async () => {
    expect(await code(sdp(CUSTOMER), sdp(TECHNICIAN))).toBe(PINNED);
  });

  it('refuses a description without a fingerprint', async () => {
    await expect(code(sdp(CUSTOMER), 'v=0\r\n')).rejects.toThrow(/fingerprint/);
    await expect(code(undefined, sdp(TECHNICIAN))).rejects.toThrow(/fingerprint/);
    await expect(code(sdp(CUSTOMER), null)).rejects.toThrow(/fingerprint/);
  });
});

describe('fingerprintOf', () => {
  it('reads the algorithm and the fingerprint, normalised', () => {
    expect(fingerprintOf(sdp(CUSTOMER.toLowerCase(), 'SHA-256'))).toBe(`sha-256 ${CUSTOMER}`);
  });

  it('finds nothing in an empty or absent description', () => {
    expect(fingerprintOf('')).toBeUndefined();
    expect(fingerprintOf(undefined)).toBeUndefined();
    expect(fingerprintOf('a=fingerprint:sha-256 not-hex')).toBeUndefined();
  });
});

/** One end of the exchange, with what it sent, the code it derived and whether it gave up. */
function end(role: 'customer' | 'technician', local: string, remote: string, nonce?: string) {
  const sent: VerifyMessage[] = [];
  const out = { sent, codes: [] as string[], failed: [] as string[] };
  const exchange = createVerificationExchange({
    role,
    descriptions: async () => ({ local: sdp(local), remote: sdp(remote) }),
    send: (m) => sent.push(m),
    onCode: (c) => out.codes.push(c),
    onFailed: (d) => out.failed.push(d),
    ...(nonce ? { nonce: () => nonce } : {}),
  });
  return { exchange, ...out };
}

describe('the commit-reveal exchange', () => {
  it('runs commit, nonce, reveal and gives both ends the code of their fingerprints and both nonces', async () => {
    const customer = end('customer', CUSTOMER, TECHNICIAN, NONCE_C);
    const technician = end('technician', TECHNICIAN, CUSTOMER, NONCE_T);
    await customer.exchange.start();
    await technician.exchange.start();
    expect(technician.sent).toEqual([]);
    expect(customer.sent).toEqual([{ type: 'verify-commit', commit: await commitTo(NONCE_C) }]);
    // The commitment does not give the nonce away.
    expect(JSON.stringify(customer.sent)).not.toContain(NONCE_C);
    await technician.exchange.receive(customer.sent[0]!);
    expect(technician.sent).toEqual([{ type: 'verify-nonce', nonce: NONCE_T }]);
    expect(technician.codes).toEqual([]);
    await customer.exchange.receive(technician.sent[0]!);
    expect(customer.sent[1]).toEqual({ type: 'verify-reveal', nonce: NONCE_C });
    await technician.exchange.receive(customer.sent[1]!);
    const expected = await code(sdp(CUSTOMER), sdp(TECHNICIAN));
    expect(customer.codes).toEqual([expected]);
    expect(technician.codes).toEqual([expected]);
  });

  it('refuses a reveal that does not match the commitment, and gives no code', async () => {
    const technician = end('technician', TECHNICIAN, CUSTOMER);
    await technician.exchange.receive({ type: 'verify-commit', commit: await commitTo(NONCE_C) });
    const chosenLater = randomNonce();
    await expect(technician.exchange.receive({ type: 'verify-reveal', nonce: chosenLater })).rejects.toBeInstanceOf(VerificationRefused);
    expect(technician.codes).toEqual([]);
    expect(technician.failed).toEqual(['the customer revealed a nonce that does not match its commitment']);
    // Nor does the right nonce afterwards buy a code: one reveal per connection.
    await expect(technician.exchange.receive({ type: 'verify-reveal', nonce: NONCE_C })).rejects.toThrow(/out of turn/);
    expect(technician.codes).toEqual([]);
  });

  it('answers one commitment only, and a reveal only after its nonce', async () => {
    const technician = end('technician', TECHNICIAN, CUSTOMER);
    await expect(technician.exchange.receive({ type: 'verify-reveal', nonce: NONCE_C })).rejects.toThrow(/verify-reveal out of turn/);
    await technician.exchange.receive({ type: 'verify-commit', commit: await commitTo(NONCE_C) });
    // A relay that learnt nonce_t cannot commit again to pick a matching nonce_c.
    await expect(technician.exchange.receive({ type: 'verify-commit', commit: await commitTo(randomNonce()) })).rejects.toThrow(/verify-commit out of turn/);
    expect(technician.sent).toHaveLength(1);
  });

  it('reveals only once, after the commitment went out, and never to a second technician nonce', async () => {
    const early = end('customer', CUSTOMER, TECHNICIAN);
    await expect(early.exchange.receive({ type: 'verify-nonce', nonce: NONCE_T })).rejects.toThrow(/out of turn/);
    expect(early.sent).toEqual([]);

    const customer = end('customer', CUSTOMER, TECHNICIAN, NONCE_C);
    await customer.exchange.start();
    await customer.exchange.receive({ type: 'verify-nonce', nonce: NONCE_T });
    await expect(customer.exchange.receive({ type: 'verify-nonce', nonce: 'b2'.repeat(32) })).rejects.toThrow(/out of turn/);
    expect(customer.sent.filter((m) => m.type === 'verify-reveal')).toHaveLength(1);
    expect(customer.codes).toHaveLength(1);
  });

  it('draws a fresh 256-bit nonce each time', () => {
    const a = randomNonce();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(randomNonce()).not.toBe(a);
  });
});

/** sha-256 of 'sorted fingerprints joined by |' + '|' + nonce_c + '|' + nonce_t, first four bytes big-endian, mod 10^6. */
const PINNED = '942 902';
