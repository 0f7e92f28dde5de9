import { useEffect, useState } from 'preact/hooks';
import type { AuditEvent } from '@/lib/protocol/api';
import { auditCsvUrl, type ViewerApi } from '../lib/api-client';

const time = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'short', timeStyle: 'medium' });

/** The audit trail for signed-in staff (issue 4): newest first, one session or all, exportable as CSV. */
export function AuditPage({ api, sessionId }: { api: ViewerApi; sessionId?: string | undefined }) {
  const [events, setEvents] = useState<AuditEvent[] | undefined>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    setEvents(undefined);
    api.audit(sessionId).then(setEvents, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [sessionId]);
  return (
    <main class="page">
      <div class="page-head">
        <h1>Audit{sessionId ? ' · sessie / session' : ''}</h1>
        {sessionId && <a href="#/audit">Alle sessies · All sessions</a>}
        <a class="button" href={auditCsvUrl(sessionId)} download data-testid="audit-csv">
          CSV exporteren · Export CSV
        </a>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {!events ? (
        <p class="loading">…</p>
      ) : events.length === 0 ? (
        <p class="muted">Nog geen gebeurtenissen · No events yet.</p>
      ) : (
        <table class="audit" data-testid="audit-table">
          <thead>
            <tr>
              <th>Tijd · Time</th>
              <th>Ticket</th>
              <th>Medewerker · Technician</th>
              <th>Wie · Actor</th>
              <th>Gebeurtenis · Event</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id} data-kind={e.kind}>
                <td>{time.format(new Date(e.at))}</td>
                <td>{e.sessionId ? <a href={`#/audit/${encodeURIComponent(e.sessionId)}`}>{e.ticket ?? e.sessionId.slice(0, 8)}</a> : '—'}</td>
                <td>{e.technician ?? '—'}</td>
                <td>{e.actor}</td>
                <td class="kind">{e.kind}</td>
                <td class="detail">{e.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
