import type { EndReason } from '@/lib/protocol/wire';
import type { LinkState } from '../lib/viewer-host';
import { m } from '../lib/i18n';
import { useFocusOnShow } from './use-focus';

export interface ViewState {
  /** What the page shows; a quiet link shows as reconnecting. */
  link: Exclude<LinkState, 'quiet'>;
  tab: 'waiting' | 'sharing' | 'paused' | 'ended';
  pausedReason?: string | undefined;
  endReason?: EndReason | undefined;
  detail?: string;
  peerError?: string;
  /** The replay's assets reached the viewer's memory cap: later images show as placeholders (issue 20). */
  assetsCapped?: boolean;
}

/** Art. 1.3: the code both sides see, what it is for, and what to do when it differs. Focused when it appears. */
function Verification({ code }: { code: string }) {
  const ref = useFocusOnShow<HTMLDivElement>(code);
  return (
    <div class="verify" tabIndex={-1} ref={ref} data-testid="verification">
      <span>
        {m().verification} <strong data-testid="verification-code">{code}</strong>
      </span>
      <span class="verify-explain">{m().verificationExplain}</span>
    </div>
  );
}

export function StatusBar({
  ticket,
  view,
  serverLink = null,
  verificationCode,
  onEnd,
}: {
  ticket: string;
  view: ViewState;
  /** What the server says of the customer's link (issue 17): it can differ from ours for up to 2 s. */
  serverLink?: 'up' | 'down' | null;
  verificationCode?: string | false | undefined;
  onEnd?: (() => void) | undefined;
}) {
  const t = m();
  const ended = view.tab === 'ended';
  // What the customer's tab does is news only while their link is up: a quiet link is not live (issue 17).
  const tabText = ended ? t.ended : view.link !== 'connected' ? '' : view.tab === 'sharing' ? t.live : view.tab === 'paused' ? t.paused : '';
  return (
    <div class="statusbar">
      <h1 class="ticket">
        {t.ticket} {ticket}
      </h1>
      <span role="status" class="pills">
        {/* Once ended, how the link went down is not news: the end's reason says it (EndedPanel). */}
        {!ended && (
          <span class={`pill link-${view.link}`} data-testid="link-state" data-state={view.link}>
            {t.link[view.link]}
          </span>
        )}
        {tabText && (
          <span class={`pill tab-${view.tab}`} data-testid="tab-state">
            {tabText}
          </span>
        )}
        {serverLink && (
          <span class={`pill server-${serverLink}`} data-testid="server-link" data-state={serverLink}>
            {t.serverLink[serverLink]}
          </span>
        )}
      </span>
      {verificationCode && !ended && <Verification code={verificationCode} />}
      {/* The customer's end broke the code's commit-reveal exchange (lib/peer/verification.ts). */}
      {verificationCode === false && !ended && (
        <span class="peer-error" role="alert" data-testid="verification-failed">
          {t.verificationFailed}
        </span>
      )}
      {view.assetsCapped && (
        <span class="peer-error" data-testid="assets-capped">
          {t.assetsCapped}
        </span>
      )}
      {view.peerError && (
        <span class="peer-error" data-testid="peer-error" title={view.peerError}>
          {t.peerRefused}
        </span>
      )}
      <span class="spacer" />
      {onEnd && (
        <button type="button" class="danger" onClick={onEnd}>
          {t.endSession}
        </button>
      )}
    </div>
  );
}

/** Why the session ended, in words, and what next; focused when it appears. */
export function EndedPanel({ reason }: { reason: EndReason | undefined }) {
  const heading = useFocusOnShow<HTMLHeadingElement>();
  const t = m();
  return (
    <section class="ended card" aria-labelledby="ended-title" data-testid="ended" data-reason={reason ?? ''}>
      <h2 id="ended-title" tabIndex={-1} ref={heading}>
        {t.ended}
      </h2>
      <p data-testid="end-reason">{(reason && t.endedBecause[reason]) || t.endedUnknown}</p>
      <p class="muted">{t.endedNext}</p>
      <a href="#/">{t.backToSessions}</a>
    </section>
  );
}
