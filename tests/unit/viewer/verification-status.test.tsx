// @vitest-environment happy-dom
/**
 * What the technician sees of the verification code (art. 1.3; issue 19, finding 7): the code with what
 * to do when it differs, or, when the customer's end broke the commit-reveal exchange, no code at all but
 * an alert to end the session, in Dutch and in English.
 */
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { StatusBar } from '@/viewer/components/StatusBar';
import { MESSAGES } from '@/viewer/lib/messages';
import { setLocale } from '@/viewer/lib/i18n';

const view = { link: 'connected', tab: 'sharing' } as const;
let host: HTMLElement;

function show(verificationCode: string | false | undefined, tab: 'sharing' | 'ended' = 'sharing') {
  host = document.createElement('div');
  document.body.append(host);
  render(<StatusBar ticket="INC-1" view={{ ...view, tab }} verificationCode={verificationCode} />, host);
  return host;
}

afterEach(() => {
  render(null, host);
  host.remove();
});

describe.each(['nl', 'en'] as const)('the verification code in the viewer (%s)', (lang) => {
  it('shows the code and what to do when it differs', () => {
    setLocale(lang);
    const bar = show('193 506');
    expect(bar.querySelector('[data-testid=verification-code]')?.textContent).toBe('193 506');
    expect(bar.textContent).toContain(MESSAGES[lang].verificationExplain);
    expect(bar.querySelector('[data-testid=verification-failed]')).toBeNull();
  });

  it('shows no code but an alert to end the session when the exchange failed', () => {
    setLocale(lang);
    const bar = show(false);
    expect(bar.querySelector('[data-testid=verification-code]')).toBeNull();
    const alert = bar.querySelector('[data-testid=verification-failed]');
    expect(alert?.getAttribute('role')).toBe('alert');
    expect(alert?.textContent).toBe(MESSAGES[lang].verificationFailed);
  });

  it('shows neither once the session has ended', () => {
    setLocale(lang);
    const bar = show(false, 'ended');
    expect(bar.querySelector('[data-testid=verification-failed]')).toBeNull();
  });
});
