/**
 * The audit trail in words. The server records who REPORTED an event (the customer's extension reports
 * control events with its session token); here each row is credited to who DID it: the technician asks
 * for control and clicks, the customer answers, and either may end control.
 */
import type { AuditEvent } from '@/lib/protocol/api';
import { readDetail } from '@/lib/shared/audit/detail';

type Actor = AuditEvent['actor'];

/** Events the extension reports on the technician's behalf: the technician acted, the customer's side saw it. */
const TECHNICIAN_ACTS = new Set(['control-requested', 'click-executed', 'click-refused', 'keys-typed', 'key-refused']);

export function actedBy(event: Pick<AuditEvent, 'kind' | 'actor' | 'detail'>): Actor {
  if (TECHNICIAN_ACTS.has(event.kind)) return 'technician';
  // The request withdrawn, or control given back, by the technician (lib/background/control/control-session.ts).
  if ((event.kind === 'control-refused' || event.kind === 'control-revoked') && readDetail(event.kind, event.detail)?.by === 'technician') return 'technician';
  return event.actor;
}
