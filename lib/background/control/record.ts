/**
 * Writes one control event to both records (issue 6): the customer's own history on this device and the
 * server's audit trail (reported with the customer's session token; the server stores kind and detail,
 * never page content). The detail is data (lib/shared/audit/detail.ts), put in words by each reader.
 */
import type { z } from 'zod';
import type { auditKindSchema } from '@/lib/protocol/api';
import type { ControlEventKind } from '@/lib/protocol/control';
import type { History } from '@/lib/background/session/history';
import { AUDIT_KIND_OF } from '@/lib/shared/audit/detail';

type AuditKind = z.infer<typeof auditKindSchema>;

export interface ControlRecorderDeps {
  history: Pick<History, 'addControlEvent'>;
  /** POST /api/sessions/:id/events; failures are swallowed there (the history still has it). */
  report: (kind: AuditKind, detail: string) => Promise<void>;
  sessionId: string;
  now?: () => number;
}

export function createControlRecorder({ history, report, sessionId, now = Date.now }: ControlRecorderDeps) {
  return (kind: ControlEventKind, detail: string) => {
    void history.addControlEvent(sessionId, { at: now(), kind, detail: detail.slice(0, 200) }).catch(() => undefined);
    void report(AUDIT_KIND_OF[kind], detail.slice(0, 500)).catch(() => undefined);
  };
}
