// @vitest-environment happy-dom
/**
 * Issue 17: the viewer shows what the server says of the customer's link (the customer's extension reports
 * it: up while page data reaches the technician, down while reconnecting), in Dutch and in English.
 */
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { StatusBar } from '@/viewer/components/StatusBar';
import { MESSAGES } from '@/viewer/lib/messages';
import { setLocale } from '@/viewer/lib/i18n';

let host: HTMLElement;

function show(serverLink: 'up' | 'down' | null) {
  host = document.createElement('div');
  document.body.append(host);
  render(<StatusBar ticket="INC-17" view={{ link: 'reconnecting', tab: 'waiting' }} serverLink={serverLink} />, host);
  return host.querySelector('[data-testid=server-link]');
}

afterEach(() => {
  render(null, host);
  host.remove();
});

describe.each(['nl', 'en'] as const)('the server’s word on the customer’s link (%s)', (lang) => {
  it('says the customer is reconnecting, or sharing, in the reader’s language; nothing before the first report', () => {
    setLocale(lang);
    const down = show('down');
    expect(down?.getAttribute('data-state')).toBe('down');
    expect(down?.textContent).toBe(MESSAGES[lang].serverLink.down);
    render(null, host);
    host.remove();
    expect(show('up')?.textContent).toBe(MESSAGES[lang].serverLink.up);
    render(null, host);
    host.remove();
    expect(show(null)).toBeNull();
  });
});

describe('a quiet link (nothing heard from the customer for a moment)', () => {
  it('shows reconnecting and not "Live", though the tab was sharing; back connected, "Live" again', () => {
    setLocale('en');
    host = document.createElement('div');
    document.body.append(host);
    render(<StatusBar ticket="INC-17" view={{ link: 'reconnecting', tab: 'sharing' }} serverLink="up" />, host);
    expect(host.querySelector('[data-testid=link-state]')?.textContent).toBe(MESSAGES.en.link.reconnecting);
    expect(host.querySelector('[data-testid=tab-state]')).toBeNull();
    render(<StatusBar ticket="INC-17" view={{ link: 'connected', tab: 'sharing' }} serverLink="up" />, host);
    expect(host.querySelector('[data-testid=tab-state]')?.textContent).toBe(MESSAGES.en.live);
  });
});
