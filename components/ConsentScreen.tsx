import { useEffect, useRef, useState } from 'preact/hooks';
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
 * Art. 1.1 / 1.2: nothing is shared until the customer clicks the consent button here. A summary first
 * (who will watch (1.3), what is shared, the back-up advice (4.3)), the full terms and the published
 * copy (6.1) one click away. The buttons stay in view on both (popup.css: sticky), so a customer on the
 * phone finds them without scrolling in Chrome's 600 px popup.
 */
export function ConsentScreen({ technician, site, serverUrl, busy, onConsent, onDecline }: Props) {
  // The binding text is Dutch; English one click away inside the terms.
  const [locale, setLocale] = useState<TermsLocale>('nl');
  const [reading, setReading] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const readButton = useRef<HTMLButtonElement>(null);
  const cameBack = useRef(false);
  // Focus follows the screen (WCAG 2.4.3): the heading of what just opened is announced, and coming back
  // from the terms lands on the link the customer used.
  useEffect(() => {
    (cameBack.current && !reading ? readButton : heading).current?.focus();
  }, [reading]);
  return (
    <section class="stack consent" aria-labelledby={reading ? 'terms-title' : 'consent-title'}>
      {reading ? (
        <TermsView
          locale={locale}
          onLocale={setLocale}
          publishedUrl={serverUrl}
          titleRef={heading}
          onBack={() => {
            cameBack.current = true;
            setReading(false);
          }}
        />
      ) : (
        <>
          <h2 id="consent-title" tabIndex={-1} ref={heading}>
            {t('consentTitle', [technician.name, technician.organisation])}
          </h2>
          <ul class="facts">
            <li class="tab">
              {t('consentThisTab')}
              {site && <strong class="site"> {site}</strong>}
            </li>
            <li class="masked">{t('consentMasked')}</li>
            <li class="control">{t('consentControl')}</li>
            <li class="stop">{t('consentStop')}</li>
          </ul>
          <p class="backup">{t('consentBackup')}</p>
          <button
            type="button"
            class="link read-terms"
            ref={readButton}
            onClick={() => setReading(true)}
          >
            {t('consentReadTerms')}
          </button>
        </>
      )}
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
