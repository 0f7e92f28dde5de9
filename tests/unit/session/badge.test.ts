/** The toolbar icon (lib/background/ui/badge.ts): ON only while the page can reach a technician. */
import { describe, expect, it } from 'vitest';
import { badgeFor } from '@/lib/background/ui/badge';
import { idleState } from '@/lib/background/session/state';
import type { SessionState } from '@/lib/protocol/runtime';

const state = (phase: SessionState['phase']): SessionState => ({ ...idleState(), phase, technician: { name: 'Sanne', organisation: 'Reconi' } });

describe('the toolbar badge', () => {
  it('says ON while live, || while paused, … while reconnecting, nothing once ended or idle', () => {
    expect(badgeFor(state('live'))).toMatchObject({ text: 'ON', title: ['statusLive', ['Sanne']] });
    expect(badgeFor(state('paused'))).toMatchObject({ text: '||', title: ['statusPaused', ['Sanne']] });
    expect(badgeFor(state('reconnecting'))).toMatchObject({ text: '…', title: ['statusReconnecting', ['Sanne']] });
    expect(badgeFor(state('ended'))).toMatchObject({ text: '', title: ['extName', []] });
    expect(badgeFor(state('idle'))).toMatchObject({ text: '', title: ['extName', []] });
    expect(badgeFor(state('invited'))).toMatchObject({ text: '1' });
  });
});
