import type { ViewerSessionResponse } from '@/lib/protocol/api';

export function InvitePanel({ session }: { session: ViewerSessionResponse }) {
  const invite = session.session.invite;
  return (
    <section class="invite card" aria-labelledby="invite-title">
      <h2 id="invite-title">Wachten op de klant · Waiting for the customer</h2>
      {invite.code ? (
        <>
          <p>Geef de klant deze code (geldig tot {new Date(invite.expiresAt).toLocaleTimeString()}):</p>
          <p class="code" data-testid="invite-code">
            {invite.code.slice(0, 3)} {invite.code.slice(3)}
          </p>
          {invite.joinUrl && (
            <p class="muted">
              Of stuur de link · Or send the link: <a data-testid="join-link" href={invite.joinUrl}>{invite.joinUrl}</a>
            </p>
          )}
        </>
      ) : (
        <p class="muted">De uitnodiging is gebruikt of verlopen · The invite is spent or expired.</p>
      )}
    </section>
  );
}
