/**
 * Remote control for the technician (issue 6): the state the customer's extension reports (watching /
 * control requested / in control), the button that fits it, and what became of the last click.
 */
import { useEffect, useState } from 'preact/hooks';
import { REASON_TEXT, REFUSAL_TEXT, type ControlView } from '../lib/control-model';
import type { ClickRefusal } from '@/lib/protocol/control';

const PHASE_TEXT = {
  watching: 'Meekijken · Watching',
  requested: 'Bediening gevraagd · Control requested',
  granted: 'U bedient · In control',
} as const;

export function ControlBar({ view, available, onRequest, onRelease }: { view: ControlView; available: boolean; onRequest: () => void; onRelease: () => void }) {
  const [, tick] = useState(0);
  useEffect(() => {
    if (view.phase === 'watching') return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [view.phase]);
  const left = view.until !== undefined && view.phase !== 'watching' ? Math.max(0, Math.ceil((view.until - Date.now()) / 1000)) : undefined;
  const click = view.lastClick;
  return (
    <div class={`controlbar control-${view.phase}`} data-testid="control-bar" data-state={view.phase}>
      <span class="pill" data-testid="control-state">
        {PHASE_TEXT[view.phase]}
        {left !== undefined && <> · {left >= 60 ? `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}` : `${left} s`}</>}
      </span>
      {view.phase === 'watching' && (
        <button type="button" class="primary" data-testid="control-request" disabled={!available} onClick={onRequest}>
          Vraag bediening · Request control
        </button>
      )}
      {view.phase === 'requested' && (
        <button type="button" data-testid="control-release" onClick={onRelease}>
          Vraag intrekken · Withdraw request
        </button>
      )}
      {view.phase === 'granted' && (
        <button type="button" data-testid="control-release" onClick={onRelease}>
          Bediening teruggeven · Give back control
        </button>
      )}
      {view.phase === 'watching' && view.reason && (
        <span class="control-note" data-testid="control-note" data-reason={view.reason}>
          {REASON_TEXT[view.reason]}
        </span>
      )}
      <span class="hint">
        {view.phase === 'granted'
          ? 'Klikken en scrollen gaan naar de klant · Clicks and scrolling go to the customer'
          : 'Klik om aan te wijzen · Click to point'}
      </span>
      {click && (
        <span class={`click-result ${click.ok ? 'ok' : 'refused'}`} data-testid="click-result" data-ok={String(click.ok)} data-seq={click.seq} data-rtt={click.rttMs ?? ''}>
          {click.ok ? `Klik uitgevoerd · Clicked: ${click.detail}` : `Klik geweigerd · Click refused: ${REFUSAL_TEXT[click.detail as ClickRefusal] ?? click.detail}`}
          {click.rttMs !== undefined && ` (${click.rttMs} ms)`}
        </span>
      )}
    </div>
  );
}
