// @vitest-environment happy-dom
/**
 * The viewer tells the ends apart in words (issue 23): the customer stopped, the technician ended, the
 * session expired (idle or at its maximum), the connection was lost, the tab or browser was closed, the
 * extension refused; each in its own sentence in Dutch and in English, never a raw code, and no
 * "connection failed" beside a normal end.
 */
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { EndedPanel, StatusBar } from '@/viewer/components/StatusBar';
import { MESSAGES } from '@/viewer/lib/messages';
import { setLocale } from '@/viewer/lib/i18n';
import type { EndReason } from '@/lib/protocol/wire';

const REASONS: EndReason[] = ['customer-stopped', 'technician-ended', 'tab-closed', 'browser-closed', 'idle-timeout', 'max-duration', 'connection-lost', 'refused'];
let host: HTMLElement;

afterEach(() => {
  render(null, host);
  host.remove();
});

function show(reason: EndReason, link: 'failed' | 'closed') {
  host = document.createElement('div');
  document.body.append(host);
  render(
    <>
      <StatusBar ticket="INC-1" view={{ link, tab: 'ended', endReason: reason }} />
      <EndedPanel reason={reason} />
    </>,
    host,
  );
  return host;
}

describe.each(['nl', 'en'] as const)('how a session ended, in the viewer (%s)', (lang) => {
  it.each(REASONS)('%s: in its own words, no raw code, no link failure beside it', (reason) => {
    setLocale(lang);
    const el = show(reason, reason === 'connection-lost' ? 'failed' : 'closed');
    expect(el.querySelector('[data-testid=end-reason]')?.textContent).toBe(MESSAGES[lang].endedBecause[reason]);
    expect(el.querySelector('[data-testid=link-state]')).toBeNull();
    const text = el.textContent ?? '';
    if (reason.includes('-')) expect(text).not.toContain(reason); // ('refused' is also an English word)
    expect(text).not.toContain(MESSAGES[lang].link.failed);
    expect(text).not.toMatch(/connection failed|verbinding mislukt/i);
  });

  it('every end has a sentence of its own', () => {
    const sentences = REASONS.map((r) => MESSAGES[lang].endedBecause[r]);
    expect(new Set(sentences).size).toBe(REASONS.length);
  });
});
