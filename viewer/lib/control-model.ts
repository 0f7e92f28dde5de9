/**
 * The technician's view of remote control (issue 6). The extension holds the real state; this mirrors
 * what it reports (control-state, click-result), so the viewer can show it and offer the right button.
 */
import type { ClickRefusal, ControlEndReason, ControlPhase } from '@/lib/protocol/control';
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
}

export const INITIAL_CONTROL: ControlView = { phase: 'watching' };

export type ControlMessage = Extract<ToViewer, { type: 'control-state' | 'click-result' }>;
export const isControlMessage = (m: ToViewer): m is ControlMessage => m.type === 'control-state' || m.type === 'click-result';

export function applyControlMessage(view: ControlView, message: ControlMessage, sentAt: Map<number, number>, now = performance.now(), clock = Date.now()): ControlView {
  if (message.type === 'control-state') {
    return {
      ...(view.lastClick ? { lastClick: view.lastClick } : {}),
      phase: message.state,
      ...(message.reason ? { reason: message.reason } : {}),
      ...(message.remainingMs !== undefined ? { until: clock + message.remainingMs } : {}),
    };
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

export const REASON_TEXT: Record<ControlEndReason, string> = {
  refused: 'De klant weigerde · The customer refused',
  unanswered: 'Geen antwoord binnen 30 s · No answer within 30 s',
  revoked: 'De klant nam de bediening terug · The customer took control back',
  released: 'Bediening teruggegeven · Control given back',
  expired: 'Bedieningstijd verlopen · Control time ran out',
  navigated: 'Tabblad ging naar een andere site · The tab went to another site',
  unavailable: 'Het tabblad is nu niet gedeeld · The tab is not shared right now',
  'too-soon': 'Even wachten voor een nieuwe vraag · Wait a moment before asking again',
};

export const REFUSAL_TEXT: Record<ClickRefusal, string> = {
  'no-control': 'geen bediening · no control',
  'tab-unavailable': 'tabblad niet beschikbaar · tab unavailable',
  'rate-limited': 'te snel · too fast',
  'unknown-node': 'element bestaat niet meer · element no longer exists',
  'stale-node': 'element bestaat niet meer · element no longer exists',
  'no-control-zone': 'site staat bediening hier niet toe · site forbids control here',
  blocked: 'verborgen deel · hidden part',
  'own-ui': 'Meekijk-knop · Meekijk control',
  'not-visible': 'niet zichtbaar · not visible',
  timeout: 'geen antwoord van de pagina · page did not answer',
};
