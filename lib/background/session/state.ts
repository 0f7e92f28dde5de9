import type { SessionState } from '@/lib/protocol/runtime';

export const idleState = (): SessionState => ({
  phase: 'idle',
  tabId: null,
  sessionId: null,
  technician: null,
  startedAt: null,
  endedReason: null,
  pausedReason: null,
  error: null,
  verificationCode: null,
});
