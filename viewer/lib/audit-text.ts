/**
 * The audit trail in words. The server records who REPORTED an event (the customer's extension reports
 * control events with its session token); here each row is credited to who DID it: the technician asks
 * for control and clicks, the customer answers, and either may end control.
 */
import type { AuditEvent } from '@/lib/protocol/api';

type Actor = AuditEvent['actor'];

/** Events the extension reports on the technician's behalf: the technician acted, the customer's side saw it. */
const TECHNICIAN_ACTS = new Set(['control-requested', 'click-executed', 'click-refused', 'keys-typed', 'key-refused']);

export function actedBy(event: Pick<AuditEvent, 'kind' | 'actor' | 'detail'>): Actor {
  if (TECHNICIAN_ACTS.has(event.kind)) return 'technician';
  // "request withdrawn by the technician", "given back by the technician" (lib/background/control/control-session.ts).
  if ((event.kind === 'control-refused' || event.kind === 'control-revoked') && /\btechnician\b/.test(event.detail)) return 'technician';
  return event.actor;
}
