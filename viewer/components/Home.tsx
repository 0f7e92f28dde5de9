import { useEffect, useState } from 'preact/hooks';
import type { SessionView } from '@/lib/protocol/api';
import type { ViewerApi } from '../lib/api-client';

const time = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'short', timeStyle: 'short' });
const STATUS: Record<SessionView['status'], string> = { waiting: 'Wacht · Waiting', active: 'Live', ended: 'Beëindigd · Ended' };

/** `ticket`: filled in from a helpdesk link (`/start?ticket=`); the technician still presses Start. */
export function Home({ api, ticket = null }: { api: ViewerApi; ticket?: string | null }) {
  const [error, setError] = useState<string>();
  const [sessions, setSessions] = useState<SessionView[]>();
  useEffect(() => {
    api.listSessions().then((r) => setSessions(r.sessions), () => setSessions([]));
  }, []);
  return (
    <main class="page home">
      <form
        class="card stack"
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
        <h1>Nieuwe meekijksessie</h1>
        {ticket === null ? (
          <p class="muted">
            New session. Usually started from the helpdesk link <code>/start?ticket=…</code>.
          </p>
        ) : (
          <p class="muted" data-testid="helpdesk-ticket">
            Helpdesklink voor ticket <strong>{ticket}</strong>: start de sessie met de knop. · Helpdesk link for
            this ticket: press the button to start the session.
          </p>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <label>
          Ticket
          <input name="ticket" required maxLength={200} placeholder="#12345" key={ticket ?? ''} defaultValue={ticket ?? ''} />
        </label>
        <button class="primary" type="submit" autoFocus={ticket !== null}>
          Sessie starten / Start session
        </button>
      </form>
      {sessions && sessions.length > 0 && (
        <section class="card wide">
          <h2>Uw sessies · Your sessions</h2>
          <table class="audit" data-testid="session-list">
            <thead>
              <tr>
                <th>Ticket</th>
                <th>Gestart · Started</th>
                <th>Status</th>
                <th>Einde · End</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id}>
                  <td>{s.status === 'ended' ? s.ticket : <a href={`#/session/${s.id}`}>{s.ticket}</a>}</td>
                  <td>{time.format(new Date(s.createdAt))}</td>
                  <td>{STATUS[s.status]}</td>
                  <td>{s.endReason ?? ''}</td>
                  <td>
                    <a href={`#/audit/${encodeURIComponent(s.id)}`}>Audit</a>
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
