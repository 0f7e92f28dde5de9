import { useEffect, useState } from 'preact/hooks';
import type { SessionState } from '@/lib/protocol/runtime';
import type { ExtensionClient } from '@/lib/ui/extension-client';
import { t } from '@/lib/ui/i18n';
import { CodeForm } from './CodeForm';
import { ConsentScreen } from './ConsentScreen';
import { LiveStatus } from './LiveStatus';

export function Popup({ client }: { client: ExtensionClient }) {
  const [state, setState] = useState<SessionState | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const run = async (request: Parameters<ExtensionClient['request']>[0]) => {
    setBusy(true);
    setError(undefined);
    try {
      const response = await client.request(request);
      setState(response.state);
      if (!response.ok) setError(response.error);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    void run({ type: 'get-state' });
    const timer = setInterval(() => void client.request({ type: 'get-state' }).then((r) => setState(r.state), () => undefined), 1000);
    return () => clearInterval(timer);
  }, []);

  if (!state) return <main class="popup" aria-busy="true" />;
  return (
    <main class="popup">
      <header class="brand">
        <span class="logo" aria-hidden="true">M</span>
        <h1>{t('extName')}</h1>
      </header>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {(state.phase === 'idle' || state.phase === 'ended') && (
        <>
          {state.phase === 'ended' && <p class="notice">{t('popupEnded')}</p>}
          <CodeForm busy={busy} onSubmit={(code) => run({ type: 'redeem', code })} />
        </>
      )}
      {state.phase === 'invited' && state.technician && (
        <ConsentScreen
          technician={state.technician}
          busy={busy}
          onConsent={async (termsHash, locale) => {
            const tabId = await client.activeTabId();
            if (tabId === undefined) return setError(t('popupNoTab'));
            await run({ type: 'consent', tabId, termsHash, locale });
          }}
          onDecline={() => run({ type: 'decline' })}
        />
      )}
      {(state.phase === 'connecting' || state.phase === 'live' || state.phase === 'paused') && (
        <LiveStatus state={state} busy={busy} onStop={() => run({ type: 'stop' })} />
      )}
    </main>
  );
}
