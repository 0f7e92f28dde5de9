/**
 * The technician's view of remote control (issue 6). The extension holds the real state; this mirrors
 * what it reports (control-state, click-result), so the viewer can show it and offer the right button.
 */
import type { ControlEndReason, ControlPhase, KeyRefusal } from '@/lib/protocol/control';
import type { ToViewer } from '@/lib/protocol/wire';

export interface LastClick {
  seq: number;
  ok: boolean;
  /** Tag and role of what was clicked, or why it was refused. */
  detail: string;
  /** Click sent -> result received, in milliseconds. */
  rttMs?: number;
}

export interface ControlView {
  phase: ControlPhase;
  reason?: ControlEndReason;
  /** Local clock time when the prompt or the granted control runs out. */
  until?: number;
  lastClick?: LastClick;
  /** What became of the last key typed on the customer's behalf. */
  lastKey?: { seq: number; ok: boolean; reason?: KeyRefusal };
}

export const INITIAL_CONTROL: ControlView = { phase: 'watching' };

export type ControlMessage = Extract<ToViewer, { type: 'control-state' | 'click-result' | 'key-result' }>;
export const isControlMessage = (m: ToViewer): m is ControlMessage => m.type === 'control-state' || m.type === 'click-result' || m.type === 'key-result';

export function applyControlMessage(view: ControlView, message: ControlMessage, sentAt: Map<number, number>, now = performance.now(), clock = Date.now()): ControlView {
  if (message.type === 'control-state') {
    return {
      ...(view.lastClick ? { lastClick: view.lastClick } : {}),
      phase: message.state,
      ...(message.reason ? { reason: message.reason } : {}),
      ...(message.remainingMs !== undefined ? { until: clock + message.remainingMs } : {}),
    };
  }
  if (message.type === 'key-result') {
    const outcome = message.outcome;
    return { ...view, lastKey: { seq: message.seq, ok: outcome.ok, ...(outcome.ok ? {} : { reason: outcome.reason }) } };
  }
  const started = sentAt.get(message.seq);
  sentAt.delete(message.seq);
  const outcome = message.outcome;
  return {
    ...view,
    lastClick: {
      seq: message.seq,
      ok: outcome.ok,
      detail: outcome.ok ? (outcome.target.role ? `${outcome.target.tag} (${outcome.target.role})` : outcome.target.tag) : outcome.reason,
      ...(started !== undefined ? { rttMs: Math.round(now - started) } : {}),
    },
  };
}
