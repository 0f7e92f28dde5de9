import { describe, expect, it } from 'vitest';
import { fingerprintOf, verificationCode } from '@/lib/peer/verification';

const CUSTOMER = '6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08';
const TECHNICIAN = 'D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:91:3F:8C:5E:63:CD:0D:3A:4B:5C:6D';

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

describe('verificationCode', () => {
  it('is six digits, grouped by three', async () => {
    expect(await verificationCode(sdp(CUSTOMER), sdp(TECHNICIAN))).toMatch(/^\d{3} \d{3}$/);
  });

  it('is the same at both ends, whichever is local', async () => {
    const atCustomer = await verificationCode(sdp(CUSTOMER), sdp(TECHNICIAN));
    const atTechnician = await verificationCode(sdp(TECHNICIAN), sdp(CUSTOMER));
    expect(atCustomer).toBe(atTechnician);
  });

  it('does not depend on how the hex digits are cased', async () => {
    expect(await verificationCode(sdp(CUSTOMER.toLowerCase()), sdp(TECHNICIAN))).toBe(await verificationCode(sdp(CUSTOMER), sdp(TECHNICIAN)));
  });

  it('differs when either fingerprint differs (a party in the middle)', async () => {
    const genuine = await verificationCode(sdp(CUSTOMER), sdp(TECHNICIAN));
    const codes = new Set<string>();
    for (const at of [0, 10, 50, 94]) {
      codes.add(await verificationCode(sdp(tweak(CUSTOMER, at)), sdp(TECHNICIAN)));
      codes.add(await verificationCode(sdp(CUSTOMER), sdp(tweak(TECHNICIAN, at))));
    }
    expect(codes.has(genuine)).toBe(false);
    // Eight tweaks, eight different codes: six digits leave 1 in 10^6 for a collision.
    expect(codes.size).toBe(8);
  });

  it('differs when the hash algorithm of a fingerprint differs', async () => {
    expect(await verificationCode(sdp(CUSTOMER, 'sha-384'), sdp(TECHNICIAN))).not.toBe(await verificationCode(sdp(CUSTOMER), sdp(TECHNICIAN)));
  });

  it('stays the same from one release to the next, so an old extension and a new viewer agree', async () => {
    expect(await verificationCode(sdp(CUSTOMER), sdp(TECHNICIAN))).toBe(PINNED);
  });

  it('refuses a description without a fingerprint', async () => {
    await expect(verificationCode(sdp(CUSTOMER), 'v=0\r\n')).rejects.toThrow(/fingerprint/);
    await expect(verificationCode(undefined, sdp(TECHNICIAN))).rejects.toThrow(/fingerprint/);
    await expect(verificationCode(sdp(CUSTOMER), null)).rejects.toThrow(/fingerprint/);
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

/** sha-256 of the two sorted fingerprints joined by '|', first four bytes big-endian, mod 10^6. */
const PINNED = '193 506';
