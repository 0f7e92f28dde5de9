import { useState } from 'preact/hooks';
import { TERMS, termsHash, type TermsLocale } from '@/lib/shared/terms';
import { t } from '@/lib/ui/i18n';
import { TermsView } from './TermsView';

interface Props {
  technician: { name: string; organisation: string };
  /** The host name of the tab that will be shared, when the browser tells us. */
  site: string | undefined;
  serverUrl: string | undefined;
  busy: boolean;
  onConsent: (termsHash: string, locale: TermsLocale) => void;
  onDecline: () => void;
}

/**
 * Art. 1.1 / 1.2: nothing is shared until the customer clicks the consent button here. Shows who will
 * watch (1.3), what is shared, the back-up advice (4.3), the full terms and the published copy (6.1).
 */
export function ConsentScreen({ technician, site, serverUrl, busy, onConsent, onDecline }: Props) {
  const [locale, setLocale] = useState<TermsLocale>('nl');
  return (
    <section class="stack consent" aria-labelledby="consent-title">
      <h2 id="consent-title">{t('consentTitle', [technician.name, technician.organisation])}</h2>
      <ul class="facts">
        <li class="tab">
          {t('consentThisTab')}
          {site && <strong class="site"> {site}</strong>}
        </li>
        <li class="masked">{t('consentMasked')}</li>
        <li class="control">{t('consentControl')}</li>
        <li class="stop">{t('consentStop')}</li>
      </ul>
      <p class="backup" role="note">
        {t('consentBackup')}
      </p>
      <TermsView locale={locale} onLocale={setLocale} publishedUrl={serverUrl} />
      <div class="actions">
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={async (event) => {
            // Invariant 4: only the customer's own click counts (the popup is ours, but be explicit).
            if (!event.isTrusted) return;
            onConsent(await termsHash(TERMS[locale]), locale);
          }}
        >
          {t('consentAccept')}
        </button>
        <button type="button" disabled={busy} onClick={onDecline}>
          {t('consentDecline')}
        </button>
      </div>
    </section>
  );
}
