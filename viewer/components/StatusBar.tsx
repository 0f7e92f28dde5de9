import type { EndReason } from '@/lib/protocol/wire';
import type { LinkState } from '../lib/viewer-host';

export interface ViewState {
  link: LinkState;
  tab: 'waiting' | 'sharing' | 'paused' | 'ended';
  pausedReason?: string | undefined;
  endReason?: EndReason | undefined;
  detail?: string;
  peerError?: string;
}

const LINK_TEXT: Record<LinkState, string> = {
  registering: 'Verbinden met server · Connecting to server',
  waiting: 'Wacht op klant · Waiting for customer',
  connected: 'Verbonden · Connected',
  closed: 'Verbinding gesloten · Connection closed',
  failed: 'Verbinding mislukt · Connection failed',
};

export function StatusBar({ ticket, view, verificationCode, onEnd }: { ticket: string; view: ViewState; verificationCode?: string | undefined; onEnd?: (() => void) | undefined }) {
  const tabText =
    view.tab === 'sharing'
      ? 'Live'
      : view.tab === 'paused'
        ? `Gepauzeerd · Paused${view.pausedReason ? ` (${view.pausedReason})` : ''}`
        : view.tab === 'ended'
          ? `Beëindigd · Ended${view.endReason ? ` (${view.endReason})` : ''}`
          : '';
  return (
    <div class="statusbar" role="status">
      <span class="ticket">Ticket {ticket}</span>
      <span class={`pill link-${view.link}`} data-testid="link-state">
        {LINK_TEXT[view.link]}
      </span>
      {tabText && (
        <span class={`pill tab-${view.tab}`} data-testid="tab-state">
          {tabText}
        </span>
      )}
      {verificationCode && (
        <span class="verify" title="Lees deze code voor aan de klant · Read this code to the customer">
          Controlecode <strong data-testid="verification-code">{verificationCode}</strong>
        </span>
      )}
      {view.peerError && (
        <span class="peer-error" data-testid="peer-error" title={view.peerError}>
          Klant weigerde een bericht · Customer refused a message
        </span>
      )}
      <span class="spacer" />
      {onEnd && (
        <button type="button" class="danger" onClick={onEnd}>
          Sessie beëindigen · End session
        </button>
      )}
    </div>
  );
}
