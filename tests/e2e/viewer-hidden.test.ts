/**
 * Issue 17's heartbeat (lib/peer/liveness.ts) against the browser's own timer throttling: a technician who
 * switches to their helpdesk tab leaves the viewer hidden for minutes, and Chromium then runs a hidden page's
 * repeating timers at most once a minute ("intensive wake-up throttling"). Headless Chromium throttles no
 * hidden page (measured: a 100 ms timer in a minimised window still runs 10 times a second), so the test
 * slows the viewer page's repeating timers to once a minute itself. The customer's side must not take such a
 * viewer for gone: the viewer answers each beat as it arrives (message events are not throttled).
 */
import { describe, expect, it } from 'vitest';
import { useStack } from './support/suite';

const suite = useStack();

describe('a viewer whose timers the browser slows to once a minute (a hidden tab)', () => {
  it('is not taken for gone: the customer stays live, and the viewer follows changes', async () => {
    const { viewer, customer, code } = await suite.invite('/shop.html');
    await customer.joinWithCode(code);
    await viewer.waitForTab('sharing');
    // From the next load on, every setInterval of the viewer page fires at most once a minute.
    await viewer.page.evaluateOnNewDocument(() => {
      const every = window.setInterval.bind(window);
      window.setInterval = ((fn: TimerHandler, ms?: number, ...args: unknown[]) => every(fn, Math.max(ms ?? 0, 60_000), ...args)) as typeof window.setInterval;
    });
    await viewer.page.reload();
    await viewer.waitForLink('connected', 30_000);
    await customer.waitForPhase('live', 15_000);
    const phases = new Set<string>();
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      phases.add((await customer.sessionState())?.phase ?? '?');
      await new Promise((r) => setTimeout(r, 250));
    }
    console.log(`issue 17: viewer with once-a-minute timers for 20 s; the customer's phases meanwhile: ${[...phases].join(', ')}`);
    expect([...phases]).toEqual(['live']);
    const marker = `throttled-${Math.random().toString(36).slice(2)}`;
    await customer.tab.evaluate((text) => {
      document.querySelector('#status')!.textContent = text;
    }, marker);
    await viewer.waitForReplayText('#status', (t) => t === marker);
  }, 120_000);
});
