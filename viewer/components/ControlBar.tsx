/**
 * Remote control for the technician (issue 6): the state the customer's extension reports (watching /
 * control requested / in control), the button that fits it, and what became of the last click.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ControlView } from '../lib/control-model';
import type { ClickRefusal } from '@/lib/protocol/control';
import { m } from '../lib/i18n';

export function ControlBar({ view, available, typingRefused, onRequest, onRelease }: { view: ControlView; available: boolean; typingRefused: boolean; onRequest: () => void; onRelease: () => void }) {
  const [, tick] = useState(0);
  useEffect(() => {
    if (view.phase === 'watching') return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [view.phase]);
  const left = view.until !== undefined && view.phase !== 'watching' ? Math.max(0, Math.ceil((view.until - Date.now()) / 1000)) : undefined;
  const click = view.lastClick;
  const t = m();
  return (
    <div class={`controlbar control-${view.phase}`} data-testid="control-bar" data-state={view.phase}>
      <span class="pill" data-testid="control-state">
        {t.controlPhase[view.phase]}
        {left !== undefined && <> · {left >= 60 ? `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}` : `${left} s`}</>}
      </span>
      {view.phase === 'watching' && (
        <button type="button" class="primary" data-testid="control-request" disabled={!available} onClick={onRequest}>
          {t.requestControl}
        </button>
      )}
      {view.phase === 'requested' && (
        <button type="button" data-testid="control-release" onClick={onRelease}>
          {t.withdrawRequest}
        </button>
      )}
      {view.phase === 'granted' && (
        <button type="button" data-testid="control-release" onClick={onRelease}>
          {t.giveBack}
        </button>
      )}
      {view.phase === 'watching' && view.reason && (
        <span class="control-note" data-testid="control-note" data-reason={view.reason}>
          {t.controlReason[view.reason]}
        </span>
      )}
      {typingRefused && view.phase !== 'granted' && (
        <span class="control-note" data-testid="typing-note" role="status">
          {t.typingNeedsControl}
        </span>
      )}
      {view.lastKey && !view.lastKey.ok && view.lastKey.reason && (
        <span class="click-result refused" data-testid="key-result" data-ok="false" data-reason={view.lastKey.reason}>
          {t.keyRefused(t.keyRefusal[view.lastKey.reason])}
        </span>
      )}
      <span class="hint">
        {view.phase === 'granted' ? t.hintGranted : t.hintWatching}
      </span>
      {click && (
        <span class={`click-result ${click.ok ? 'ok' : 'refused'}`} data-testid="click-result" data-ok={String(click.ok)} data-seq={click.seq} data-rtt={click.rttMs ?? ''}>
          {click.ok ? t.clicked(click.detail) : t.clickRefused(t.refusal[click.detail as ClickRefusal] ?? click.detail)}
          {click.rttMs !== undefined && ` (${click.rttMs} ms)`}
        </span>
      )}
    </div>
  );
}
