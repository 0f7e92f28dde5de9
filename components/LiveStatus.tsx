import type { SessionState } from '@/lib/protocol/runtime';
import { t } from '@/lib/ui/i18n';

export function LiveStatus({ state, busy, onStop }: { state: SessionState; busy: boolean; onStop: () => void }) {
  const name = state.technician?.name ?? '';
  const text =
    state.phase === 'connecting' ? t('statusConnecting') : state.phase === 'paused' ? t('statusPaused', name) : t('statusLive', name);
  return (
    <section class="stack" aria-live="polite">
      <p class={`status ${state.phase}`}>
        <span class="dot" aria-hidden="true" /> {text}
      </p>
      {state.verificationCode && state.phase !== 'connecting' && (
        <p class="verify">
          {t('statusVerification')}{' '}
          <strong data-testid="verification-code">
            {state.verificationCode.slice(0, 3)} {state.verificationCode.slice(3)}
          </strong>
        </p>
      )}
      <button type="button" class="danger" disabled={busy} onClick={onStop}>
        {t('statusStop')}
      </button>
    </section>
  );
}
