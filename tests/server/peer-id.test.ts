import { describe, expect, it } from 'vitest';
import { util } from 'peerjs';
import { randomPeerId } from '@/server/sessions/secrets';

describe('peer ids', () => {
  it('are always valid PeerJS ids and carry 128 bits', () => {
    // PeerJS's own check; base64url ids failed it about one time in twenty (leading or doubled - and _).
    const valid = /^[A-Za-z0-9]+(?:[ _-][A-Za-z0-9]+)*$/;
    for (let i = 0; i < 5000; i++) {
      const id = randomPeerId();
      expect(id).toMatch(valid);
      expect(id).toHaveLength(32);
    }
    expect(typeof util.validateId === 'function' ? util.validateId(randomPeerId()) : true).toBe(true);
  });
});
