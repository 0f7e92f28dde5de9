import { locale, LOCALES, m, setLocale } from '../lib/i18n';
import { MESSAGES } from '../lib/messages';

/** Two buttons, Dutch first, each named in its own language (so a reader of either finds theirs). */
export function LanguageSwitch() {
  return (
    <div class="lang" role="group" aria-label={m().language}>
      {LOCALES.map((l) => (
        <button
          type="button"
          key={l}
          lang={l}
          class={l === locale.value ? 'on' : ''}
          aria-pressed={l === locale.value}
          data-locale={l}
          onClick={() => setLocale(l)}
        >
          {MESSAGES[l].languageName}
        </button>
      ))}
    </div>
  );
}
