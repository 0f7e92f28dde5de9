import { useEffect, useState } from 'preact/hooks';
import type { MeResponse } from '@/lib/protocol/api';
import type { ViewerApi } from '../lib/api-client';
import { Login } from './Login';
import { Home } from './Home';
import { SessionPage } from './SessionPage';
import { AuditPage } from './AuditPage';
import { safeNext } from '../lib/safe-next';
import { LanguageSwitch } from './LanguageSwitch';
import { m } from '../lib/i18n';

function useHashRoute(): string {
  const [hash, setHash] = useState(location.hash || '#/');
  useEffect(() => {
    const onChange = () => setHash(location.hash || '#/');
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

export function App({ api }: { api: ViewerApi }) {
  const route = useHashRoute();
  const [me, setMe] = useState<MeResponse | null | undefined>();

  useEffect(() => {
    api.me().then(setMe, () => setMe(null));
  }, []);

  const next = safeNext(new URLSearchParams(route.split('?')[1] ?? '').get('next'));
  useEffect(() => {
    // A helpdesk link clicked in another site arrives without our SameSite=Strict cookie and lands on the
    // sign-in route; here, on our own origin, the cookie is back: carry on to where the link was going.
    if (me && route.startsWith('#/login') && next) location.assign(next);
  }, [me, route]);

  if (me === undefined) return <p class="loading">{m().loading}</p>;
  if (me === null) {
    return (
      <Login
        api={api}
        onSignedIn={(who) => {
          setMe(who);
          // Back to where the helpdesk link was going (only same-origin paths); a helpdesk link's start
          // screen stays where it is.
          if (next) location.assign(next);
          else if (!route.startsWith('#/start')) location.hash = '#/';
        }}
      />
    );
  }
  const session = /^#\/session\/([\w-]+)/.exec(route);
  const audit = /^#\/audit(?:\/([\w%-]+))?/.exec(route);
  // The helpdesk link (GET /start) lands here; the session is created only by the Start click (a POST).
  const helpdeskTicket = route.startsWith('#/start?') ? new URLSearchParams(route.slice('#/start?'.length)).get('ticket') : null;
  return (
    <div class="app">
      <header class="topbar">
        <a class="brand" href="#/">
          <span class="logo" aria-hidden="true">M</span> Meekijk
        </a>
        <nav class="nav">
          <a href="#/" aria-current={!session && !audit ? 'page' : undefined}>{m().navSessions}</a>
          <a href="#/audit" aria-current={audit ? 'page' : undefined}>{m().navAudit}</a>
        </nav>
        <span class="who">
          {me.technician.name} · {me.technician.organisation}
        </span>
        <LanguageSwitch />
        <button type="button" class="quiet" onClick={() => api.logout().then(() => setMe(null))}>
          {m().signOut}
        </button>
      </header>
      {session?.[1] ? (
        <SessionPage api={api} id={session[1]} />
      ) : audit ? (
        <AuditPage api={api} sessionId={audit[1] ? decodeURIComponent(audit[1]) : undefined} />
      ) : (
        <Home api={api} ticket={helpdeskTicket} />
      )}
    </div>
  );
}
