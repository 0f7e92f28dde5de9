import type { Ref } from 'preact';
import { TERMS, termsBlocks, type TermsLocale } from '@/lib/shared/terms';
import { t } from '@/lib/ui/i18n';

interface Props {
  locale: TermsLocale;
  onLocale: (locale: TermsLocale) => void;
  /** The server's published copy (art. 6.1), or undefined while unknown. */
  publishedUrl: string | undefined;
  titleRef: Ref<HTMLHeadingElement>;
  onBack: () => void;
}

/**
 * The full terms (art. 1.1: what the customer agrees to), Dutch by default and English one click away,
 * plus the link to the published copy. The text is part of the page, not a scroll box of its own: one
 * scroll, and nothing focusable without a name.
 */
export function TermsView({ locale, onLocale, publishedUrl, titleRef, onBack }: Props) {
  // The text opens with its own title (a level-2 heading): that is this screen's heading.
  const [first, ...rest] = termsBlocks(TERMS[locale]);
  const title = first?.kind === 'h2' ? first.text : '';
  const body = first?.kind === 'h2' ? rest : termsBlocks(TERMS[locale]);
  return (
    <>
      <button type="button" class="link back" onClick={onBack}>
        ← {t('termsBack')}
      </button>
      <div class="terms-head">
        <h2 id="terms-title" tabIndex={-1} ref={titleRef} lang={locale}>
          {title}
        </h2>
        <div class="lang" role="group" aria-label={t('termsLanguage')}>
          {(['nl', 'en'] as const).map((l) => (
            <button
              type="button"
              key={l}
              lang={l}
              class={l === locale ? 'on' : ''}
              aria-pressed={l === locale}
              onClick={() => onLocale(l)}
            >
              {LANGUAGE_NAME[l]}
            </button>
          ))}
        </div>
      </div>
      <p class="hint">{t('termsIntro')}</p>
      <div class="terms" lang={locale} data-testid="terms-text">
        {body.map((block, i) =>
          block.kind === 'p' ? <p key={i}>{block.text}</p> : <h3 key={i}>{block.text}</h3>,
        )}
      </div>
      {publishedUrl && (
        <a class="published" href={`${publishedUrl}/terms/${locale}`} target="_blank" rel="noreferrer">
          {t('termsPublished')}
        </a>
      )}
    </>
  );
}

const LANGUAGE_NAME: Record<TermsLocale, string> = { nl: 'Nederlands', en: 'English' };
