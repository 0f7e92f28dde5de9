import { TERMS, termsBlocks, type TermsLocale } from '@/lib/shared/terms';
import { t } from '@/lib/ui/i18n';

interface Props {
  locale: TermsLocale;
  onLocale: (locale: TermsLocale) => void;
  /** The server's published copy (art. 6.1), or undefined while unknown. */
  publishedUrl: string | undefined;
}

/** The full terms, Dutch by default and English one click away, plus the link to the published copy. */
export function TermsView({ locale, onLocale, publishedUrl }: Props) {
  return (
    <section class="terms-box" aria-labelledby="terms-title">
      <div class="terms-head">
        <h3 id="terms-title">{t('termsTitle')}</h3>
        <div class="lang" role="group" aria-label={t('termsLanguage')}>
          {(['nl', 'en'] as const).map((l) => (
            <button
              type="button"
              key={l}
              lang={l}
              class={l === locale ? 'on' : ''}
              aria-pressed={l === locale}
              title={l === 'nl' ? 'Nederlands' : 'English'}
              onClick={() => onLocale(l)}
            >
              {l.toUpperCase()}
            </button>
          ))}
        </div>
      </div>
      <div class="terms" tabIndex={0} lang={locale} data-testid="terms-text">
        {termsBlocks(TERMS[locale]).map((block, i) =>
          block.kind === 'p' ? <p key={i}>{block.text}</p> : block.kind === 'h2' ? <h4 key={i}>{block.text}</h4> : <h5 key={i}>{block.text}</h5>,
        )}
      </div>
      {publishedUrl && (
        <a class="published" href={`${publishedUrl}/terms/${locale}`} target="_blank" rel="noreferrer">
          {t('termsPublished')}
        </a>
      )}
    </section>
  );
}
