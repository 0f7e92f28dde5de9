import type { HistoryEntry } from '@/lib/protocol/runtime';
import { detailText } from '@/lib/shared/audit/detail-text';
import { AUDIT_KIND_OF } from '@/lib/shared/audit/detail';
import { t, uiLocale, uiLocaleTag } from '@/lib/ui/i18n';


export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return t('historyUnderMinute');
  if (minutes < 60) return t('historyMinutes', [String(minutes)]);
  return t('historyHours', [String(Math.floor(minutes / 60)), String(minutes % 60).padStart(2, '0')]);
}

/** The customer's own record of past sessions on this device; clearing it is theirs to do. */
export function HistoryList({ entries, onClear, busy }: { entries: HistoryEntry[]; onClear: () => void; busy: boolean }) {
  // Dates as the language shown writes them, not as another language of the browser would.
  const dateTime = new Intl.DateTimeFormat(uiLocaleTag(), { dateStyle: 'medium', timeStyle: 'short' });
  const clock = new Intl.DateTimeFormat(uiLocaleTag(), { timeStyle: 'medium' });
  return (
    <section class="stack history" aria-labelledby="history-title">
      <h2 id="history-title">{t('historyTitle')}</h2>
      {entries.length === 0 ? (
        <p class="hint">{t('historyEmpty')}</p>
      ) : (
        <>
          <ol class="entries">
            {entries.map((e) => (
              <li key={e.sessionId} data-session={e.sessionId}>
                <div class="who">
                  {e.technician.name} · {e.technician.organisation}
                </div>
                <div class="when">
                  {dateTime.format(e.startedAt)}
                  {e.endedAt !== null && <> · {formatDuration(e.endedAt - e.startedAt)}</>}
                </div>
                <div class="how">
                  {e.site && <span>{new URL(e.site).host} · </span>}
                  {t(e.controlGranted ? 'historyControlYes' : 'historyControlNo')} ·{' '}
                  <span class="ended">{e.endedReason ? t(`ended_${e.endedReason.replace(/-/g, '_')}`) : t('historyRunning')}</span>
                </div>
                {e.control && e.control.length > 0 && (
                  <details class="control-log">
                    <summary>{t('historyControlDetails', [String(e.control.length)])}</summary>
                    <ul>
                      {e.control.map((c, i) => (
                        <li key={i}>
                          {clock.format(c.at)} · {t(`controlEvent_${c.kind.replace(/-/g, '_')}`)}
                          {c.detail && <span class="detail"> · {detailText(uiLocale(), AUDIT_KIND_OF[c.kind], c.detail, 'customer')}</span>}
                        </li>
                      ))}
                    </ul>
                  </details>
                )}
              </li>
            ))}
          </ol>
          <button type="button" class="link" disabled={busy} onClick={onClear}>
            {t('historyClear')}
          </button>
        </>
      )}
    </section>
  );
}
