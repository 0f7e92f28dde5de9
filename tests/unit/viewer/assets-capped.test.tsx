// @vitest-environment happy-dom
/** The status bar tells the technician, in their language, when the replay's assets passed the viewer's memory cap (issue 20). */
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { StatusBar } from '@/viewer/components/StatusBar';
import { MESSAGES } from '@/viewer/lib/messages';
import { setLocale } from '@/viewer/lib/i18n';

let host: HTMLElement | undefined;
afterEach(() => {
  if (host) render(null, host);
  host?.remove();
});

describe.each(['nl', 'en'] as const)('assets over the cap (%s)', (lang) => {
  it('says so in the status bar, and says nothing before', () => {
    setLocale(lang);
    host = document.createElement('div');
    document.body.append(host);
    render(<StatusBar ticket="INC-2" view={{ link: 'connected', tab: 'sharing' }} />, host);
    expect(host.querySelector('[data-testid=assets-capped]')).toBeNull();
    render(<StatusBar ticket="INC-2" view={{ link: 'connected', tab: 'sharing', assetsCapped: true }} />, host);
    expect(host.querySelector('[data-testid=assets-capped]')?.textContent).toBe(MESSAGES[lang].assetsCapped);
  });
});
