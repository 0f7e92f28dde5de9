import { useState } from 'preact/hooks';
import { TERMS_NL, termsHash } from '@/lib/terms/terms';
import { t } from '@/lib/ui/i18n';

interface Props {
  technician: { name: string; organisation: string };
  busy: boolean;
  onConsent: (termsHash: string, locale: 'nl' | 'en') => void;
  onDecline: () => void;
}

/** Art. 1.1 / 1.2: nothing is shared until the customer clicks the consent button here. */
export function ConsentScreen({ technician, busy, onConsent, onDecline }: Props) {
  const [showTerms, setShowTerms] = useState(false);
  return (
    <section class="stack" aria-labelledby="consent-title">
      <h2 id="consent-title">{t('consentTitle', [technician.name, technician.organisation])}</h2>
      <ul class="facts">
        <li>{t('consentThisTab')}</li>
        <li>{t('consentMasked')}</li>
        <li>{t('consentControl')}</li>
        <li>{t('consentStop')}</li>
      </ul>
      <p class="backup">{t('consentBackup')}</p>
      <button type="button" class="link" aria-expanded={showTerms} onClick={() => setShowTerms(!showTerms)}>
        {t('consentReadTerms')}
      </button>
      {showTerms && <pre class="terms" tabIndex={0}>{TERMS_NL}</pre>}
      <div class="actions">
        <button type="button" class="primary" disabled={busy} onClick={async () => onConsent(await termsHash(), 'nl')}>
          {t('consentAccept')}
        </button>
        <button type="button" disabled={busy} onClick={onDecline}>
          {t('consentDecline')}
        </button>
      </div>
    </section>
  );
}
