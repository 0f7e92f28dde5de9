import { useState } from 'preact/hooks';
import type { ViewerApi } from '../lib/api-client';

export function Home({ api }: { api: ViewerApi }) {
  const [error, setError] = useState<string>();
  return (
    <main class="center">
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
        <p class="muted">New session. Usually started from the helpdesk link <code>/start?ticket=…</code>.</p>
        {error && <p class="error" role="alert">{error}</p>}
        <label>
          Ticket
          <input name="ticket" required maxLength={200} placeholder="#12345" />
        </label>
        <button class="primary" type="submit">
          Sessie starten / Start session
        </button>
      </form>
    </main>
  );
}
