import { useState } from 'preact/hooks';
import type { MeResponse } from '@/lib/protocol/api';
import type { ViewerApi } from '../lib/api-client';
import { m } from '../lib/i18n';
import { LanguageSwitch } from './LanguageSwitch';

export function Login({ api, onSignedIn }: { api: ViewerApi; onSignedIn: (me: MeResponse) => void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <main class="center">
      <form
        class="card stack"
        aria-labelledby="login-title"
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
        <div class="card-head">
          <h1 id="login-title">Meekijk</h1>
          <LanguageSwitch />
        </div>
        <p class="muted">{m().signInTitle}</p>
        {error && <p class="error" role="alert">{error}</p>}
        <label>
          {m().email}
          <input name="email" type="email" autoComplete="username" required autoFocus />
        </label>
        <label>
          {m().password}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button class="primary" type="submit" disabled={busy}>
          {m().signIn}
        </button>
      </form>
    </main>
  );
}
