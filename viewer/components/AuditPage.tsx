import { useEffect, useState } from 'preact/hooks';
import type { AuditEvent } from '@/lib/protocol/api';
import { auditCsvUrl, type ViewerApi } from '../lib/api-client';
import { actedBy } from '../lib/audit-text';
import { isDetailKind } from '@/lib/shared/audit/detail';
import { detailText } from '@/lib/shared/audit/detail-text';
import { dateTime, locale, m } from '../lib/i18n';
import { useFocusOnShow } from './use-focus';

/** The audit trail for signed-in staff (issue 4): newest first, one session or all, exportable as CSV. */
export function AuditPage({ api, sessionId }: { api: ViewerApi; sessionId?: string | undefined }) {
  const [events, setEvents] = useState<AuditEvent[] | undefined>();
  const [error, setError] = useState<string>();
  const heading = useFocusOnShow<HTMLHeadingElement>(sessionId);
  useEffect(() => {
    setEvents(undefined);
    api.audit(sessionId).then(setEvents, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [sessionId]);
  const time = dateTime({ dateStyle: 'short', timeStyle: 'medium' });
  const t = m();
  return (
    <main class="page">
      <div class="page-head">
        <h1 tabIndex={-1} ref={heading}>
          {sessionId ? t.auditOneSession : t.auditTitle}
        </h1>
        {sessionId && <a href="#/audit">{t.auditAll}</a>}
        <a class="button" href={auditCsvUrl(sessionId)} download data-testid="audit-csv">
          {t.exportCsv}
        </a>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {!events ? (
        <p class="loading">{t.loading}</p>
      ) : events.length === 0 ? (
        <p class="muted">{t.noEvents}</p>
      ) : (
        <table class="audit" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">{t.time}</th>
              <th scope="col">{t.ticket}</th>
              <th scope="col">{t.technician}</th>
              <th scope="col">{t.actor}</th>
              <th scope="col">{t.event}</th>
              <th scope="col">{t.details}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => {
              const actor = actedBy(e);
              return (
                <tr key={e.id} data-kind={e.kind} data-actor={actor}>
                  <td>{time.format(new Date(e.at))}</td>
                  <td>{e.sessionId ? <a href={`#/audit/${encodeURIComponent(e.sessionId)}`}>{e.ticket ?? e.sessionId.slice(0, 8)}</a> : '—'}</td>
                  <td>{e.technician ?? '—'}</td>
                  <td class="actor">
                    {t.actorName[actor]}
                    {actor !== e.actor && <span class="reported"> ({t.reportedBy(t.actorName[e.actor].toLowerCase())})</span>}
                  </td>
                  <td class="kind">{isDetailKind(e.kind) ? t.auditKind[e.kind] : e.kind}</td>
                  <td class="detail">{detailText(locale.value, e.kind, e.detail)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </main>
  );
}
