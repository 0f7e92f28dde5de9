import { useEffect, useState } from 'preact/hooks';
import type { HistoryEntry, SessionState } from '@/lib/protocol/runtime';
import type { ExtensionClient, TabInfo } from '@/lib/ui/extension-client';
import { t } from '@/lib/ui/i18n';
import { isRunning } from '@/lib/shared/session-phase';
import { CodeForm } from './CodeForm';
import { ConsentScreen } from './ConsentScreen';
import { HistoryList } from './HistoryList';
import { LiveStatus } from './LiveStatus';

export function Popup({ client }: { client: ExtensionClient }) {
  const [state, setState] = useState<SessionState | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [history, setHistory] = useState<HistoryEntry[] | undefined>();
  const [tab, setTab] = useState<TabInfo | undefined>();
  const [sharedTab, setSharedTab] = useState<TabInfo | undefined>();
  const [serverUrl, setServerUrl] = useState<string | undefined>();

  const run = async (request: Parameters<ExtensionClient['request']>[0]) => {
    setBusy(true);
    setError(undefined);
    try {
      const response = await client.request(request);
      setState(response.state);
      if (!response.ok) setError(response.error);
      else if (response.history) setHistory(response.history);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    void run({ type: 'get-state' });
    void client.activeTab().then(setTab, () => undefined);
    void client.serverUrl().then(setServerUrl, () => undefined);
    const timer = setInterval(() => void client.request({ type: 'get-state' }).then((r) => setState(r.state), () => undefined), 1000);
    return () => clearInterval(timer);
  }, []);

  const sharedTabId = state?.tabId ?? null;
  useEffect(() => {
    if (sharedTabId === null) return setSharedTab(undefined);
    // The popup opened on the shared tab knows it already; another tab may not be described to us.
    if (tab?.id === sharedTabId) return setSharedTab(tab);
    void client.tab(sharedTabId).then(setSharedTab, () => setSharedTab(undefined));
  }, [sharedTabId, tab]);

  if (!state) return <main class="popup" aria-busy="true" />;
  const running = isRunning(state);
  return (
    <main class="popup" data-phase={state.phase}>
      <header class="brand">
        <span class="logo" aria-hidden="true">M</span>
        <h1>{t('extName')}</h1>
        {!running && state.phase !== 'invited' && (
          <button type="button" class="link history-toggle" aria-expanded={history !== undefined} onClick={() => (history ? setHistory(undefined) : void run({ type: 'get-history' }))}>
            {history ? t('historyClose') : t('historyOpen')}
          </button>
        )}
      </header>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {history && !running && state.phase !== 'invited' ? (
        <HistoryList entries={history} busy={busy} onClear={() => void run({ type: 'clear-history' })} />
      ) : (
        <>
          {(state.phase === 'idle' || state.phase === 'ended') && (
            <>
              {state.phase === 'ended' && (
                <p class="notice" role="status">
                  {t('popupEnded')} {state.endedReason && <span class="reason">({t(`ended_${state.endedReason.replace(/-/g, '_')}`)})</span>}
                </p>
              )}
              <CodeForm busy={busy} onSubmit={(code) => run({ type: 'redeem', code })} />
            </>
          )}
          {state.phase === 'invited' && state.technician && (
            <ConsentScreen
              technician={state.technician}
              site={tab?.host}
              serverUrl={serverUrl}
              busy={busy}
              onConsent={async (termsHash, locale) => {
                if (tab === undefined) return setError(t('popupNoTab'));
                await run({ type: 'consent', tabId: tab.id, termsHash, locale });
              }}
              onDecline={() => run({ type: 'decline' })}
            />
          )}
          {running && (
            <LiveStatus
              state={state}
              sharedTab={sharedTab}
              busy={busy}
              onReturn={() => sharedTabId !== null && void client.showTab(sharedTabId).catch((e: unknown) => setError(String(e)))}
              onStop={() => run({ type: 'stop' })}
            />
          )}
        </>
      )}
    </main>
  );
}
