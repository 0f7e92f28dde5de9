import { useState } from 'preact/hooks';
import type { MeResponse } from '@/lib/protocol/api';
import type { ViewerApi } from '../lib/api-client';

export function Login({ api, onSignedIn }: { api: ViewerApi; onSignedIn: (me: MeResponse) => void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <main class="center">
      <form
        class="card stack"
        onSubmit={async (e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          setBusy(true);
          setError(undefined);
          try {
            onSignedIn(await api.login(String(form.get('email')), String(form.get('password'))));
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        <h1>Meekijk</h1>
        <p class="muted">Aanmelden voor medewerkers · Staff sign-in</p>
        {error && <p class="error" role="alert">{error}</p>}
        <label>
          E-mail
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Wachtwoord / Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button class="primary" type="submit" disabled={busy}>
          Aanmelden / Sign in
        </button>
      </form>
    </main>
  );
}
