import { useState } from 'preact/hooks';
import { t } from '@/lib/ui/i18n';

export function CodeForm({ busy, onSubmit }: { busy: boolean; onSubmit: (code: string) => void }) {
  const [code, setCode] = useState('');
  const valid = /^\d{6}$/.test(code.replace(/\s+/g, ''));
  return (
    <form
      class="stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onSubmit(code.replace(/\s+/g, ''));
      }}
    >
      <label for="code">{t('popupCodeLabel')}</label>
      <input
        id="code"
        name="code"
        inputMode="numeric"
        autoComplete="off"
        maxLength={7}
        placeholder="123456"
        value={code}
        onInput={(e) => setCode(e.currentTarget.value)}
        autoFocus
      />
      <p class="hint">{t('popupCodeHint')}</p>
      <button type="submit" class="primary" disabled={!valid || busy}>
        {t('popupCodeSubmit')}
      </button>
    </form>
  );
}
