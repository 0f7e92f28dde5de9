import { useEffect, useRef } from 'preact/hooks';
import type { SessionState } from '@/lib/protocol/runtime';
import type { TabInfo } from '@/lib/ui/extension-client';
import { t } from '@/lib/ui/i18n';

interface Props {
  state: SessionState;
  /** The shared tab as the browser describes it (its title names "your page"). */
  sharedTab: TabInfo | undefined;
  busy: boolean;
  onReturn: () => void;
  onStop: () => void;
}

/** A title short enough for a button; the whole title is in the line above it. */
function shorten(text: string, max = 48): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/**
 * While sharing: who watches, which tab, the verification code with what to do when it differs (art. 1.3),
 * the way back to the page, and the one stop ("Stoppen met delen", the same word as in the page).
 */
export function LiveStatus({ state, sharedTab, busy, onReturn, onStop }: Props) {
  const name = state.technician?.name ?? '';
  const text =
    state.phase === 'connecting' ? t('statusConnecting') :
    state.phase === 'reconnecting' ? t('statusReconnecting', name) :
    state.phase === 'paused' ? t('statusPaused', name) : t('statusLive', name);
  const tabName = sharedTab?.title ?? sharedTab?.host ?? t('statusSharedTabUnknown');
  const back = useRef<HTMLButtonElement>(null);
  // After consent the next step is going back to the page: the keyboard starts on that button.
  useEffect(() => back.current?.focus(), []);
  return (
    <section class="stack live" aria-labelledby="status-title">
      <div role="status">
        <h2 id="status-title" class={`status ${state.phase}`}>
          <span class="dot" aria-hidden="true" /> {text}
        </h2>
      </div>
      <p class="shared-tab">{t('statusSharing', tabName)}</p>
      {state.verificationCode && state.phase !== 'connecting' && (
        <div class="verify">
          <p>
            {t('statusVerification')}{' '}
            <strong data-testid="verification-code">
              {state.verificationCode.slice(0, 3)} {state.verificationCode.slice(3)}
            </strong>
          </p>
          <p class="hint">{t('statusVerificationExplain', name)}</p>
        </div>
      )}
      <button type="button" class="primary return" ref={back} onClick={onReturn}>
        {t('statusReturn', shorten(tabName))}
      </button>
      <p class="hint">{t('statusReturnHint')}</p>
      <button type="button" class="danger" disabled={busy} onClick={onStop}>
        {t('statusStop')}
      </button>
    </section>
  );
}
