/** PeerJS must never fall back to its public cloud server or public STUN (issue 2). */
import { describe, expect, it } from 'vitest';
import { peerOptions } from '@/lib/peer/peer-options';

describe('peer options', () => {
  it('point at our own PeerServer with exactly the configured ICE servers (none on loopback)', () => {
    const options = peerOptions('http://127.0.0.1:8080', { path: '/peerjs', key: 'mk-abc' }, 'tok', []);
    expect(options).toMatchObject({ host: '127.0.0.1', port: 8080, path: '/peerjs/', secure: false, key: 'mk-abc', token: 'tok' });
    expect(options.config?.iceServers).toEqual([]);
    expect(JSON.stringify(options)).not.toMatch(/peerjs\.com|google|stun:/);
  });

  it('use https defaults and pass TURN credentials through untouched', () => {
    const turn = { urls: ['turns:turn.example.nl:443'], username: '1700000000:s1', credential: 'c2VjcmV0' };
    const options = peerOptions('https://meekijk.example.nl', { path: '/peerjs/', key: 'k' }, 't', [turn]);
    expect(options).toMatchObject({ host: 'meekijk.example.nl', port: 443, secure: true, path: '/peerjs/' });
    expect(options.config?.iceServers).toEqual([turn]);
  });
});
