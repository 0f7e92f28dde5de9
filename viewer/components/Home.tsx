import { useEffect, useState } from 'preact/hooks';
import type { SessionView } from '@/lib/protocol/api';
import type { ViewerApi } from '../lib/api-client';
import { dateTime, m } from '../lib/i18n';
import { useFocusOnShow } from './use-focus';

/** `ticket`: filled in from a helpdesk link (`/start?ticket=`); the technician still presses Start. */
export function Home({ api, ticket = null }: { api: ViewerApi; ticket?: string | null }) {
  const [error, setError] = useState<string>();
  const [sessions, setSessions] = useState<SessionView[]>();
  const heading = useFocusOnShow<HTMLHeadingElement>();
  useEffect(() => {
    api.listSessions().then((r) => setSessions(r.sessions), () => setSessions([]));
  }, []);
  const time = dateTime({ dateStyle: 'short', timeStyle: 'short' });
  return (
    <main class="page home">
      <form
        class="card stack"
        aria-labelledby="new-session-title"
        onSubmit={async (e) => {
          e.preventDefault();
          const ticket = String(new FormData(e.currentTarget).get('ticket') ?? '');
          try {
            const created = await api.createSession(ticket);
            location.hash = `#/session/${created.session.id}`;
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
          }
        }}
      >
        <h1 id="new-session-title" tabIndex={-1} ref={heading}>
          {m().newSession}
        </h1>
        {ticket === null ? (
          <p class="muted">{m().newSessionHint}</p>
        ) : (
          <p class="muted" data-testid="helpdesk-ticket">
            {m().helpdeskTicket(ticket)}
          </p>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <label>
          {m().ticket}
          <input name="ticket" required maxLength={200} placeholder="#12345" key={ticket ?? ''} defaultValue={ticket ?? ''} />
        </label>
        <button class="primary" type="submit" autoFocus={ticket !== null}>
          {m().startSession}
        </button>
      </form>
      {sessions && sessions.length > 0 && (
        <section class="card wide" aria-labelledby="sessions-title">
          <h2 id="sessions-title">{m().yourSessions}</h2>
          <table class="audit" data-testid="session-list">
            <thead>
              <tr>
                <th scope="col">{m().ticket}</th>
                <th scope="col">{m().started}</th>
                <th scope="col">{m().status}</th>
                <th scope="col">{m().end}</th>
                <th scope="col">{m().audit}</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id}>
                  <td>{s.status === 'ended' ? s.ticket : <a href={`#/session/${s.id}`}>{s.ticket}</a>}</td>
                  <td>{time.format(new Date(s.createdAt))}</td>
                  <td>{m().sessionStatus[s.status]}</td>
                  <td>{s.endReason ? (m().endedBecause as Record<string, string>)[s.endReason] ?? s.endReason : ''}</td>
                  <td>
                    <a href={`#/audit/${encodeURIComponent(s.id)}`} aria-label={`${m().audit}: ${s.ticket}`}>
                      {m().audit}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}
