import type { ViewerSessionResponse } from '@/lib/protocol/api';
import { dateTime, m } from '../lib/i18n';
import { useFocusOnShow } from './use-focus';

/** The code (and link) for the customer; its heading takes focus, so the code is announced at once. */
export function InvitePanel({ session }: { session: ViewerSessionResponse }) {
  const invite = session.session.invite;
  const heading = useFocusOnShow<HTMLHeadingElement>();
  const t = m();
  const spaced = invite.code ? `${invite.code.slice(0, 3)} ${invite.code.slice(3)}` : '';
  return (
    <section class="invite card" aria-labelledby="invite-title">
      {invite.code ? (
        <>
          <h2 id="invite-title" tabIndex={-1} ref={heading}>
            {t.inviteCode(spaced)}
          </h2>
          <p class="code" data-testid="invite-code" aria-hidden="true">
            {spaced}
          </p>
          <p>{t.inviteValid(dateTime({ timeStyle: 'short' }).format(new Date(invite.expiresAt)))}</p>
          <p class="muted" role="status">
            {t.inviteWaiting}
          </p>
          {invite.joinUrl && (
            <p class="muted">
              {t.inviteLink} <a data-testid="join-link" href={invite.joinUrl}>{invite.joinUrl}</a>
            </p>
          )}
        </>
      ) : (
        <>
          <h2 id="invite-title" tabIndex={-1} ref={heading}>
            {t.link.waiting}
          </h2>
          <p class="muted">{t.inviteSpent}</p>
        </>
      )}
    </section>
  );
}
