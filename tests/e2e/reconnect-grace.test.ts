/**
 * Issue 17, after the grace period: a technician who does not come back within it ends the session
 * everywhere, with the true reason (`connection-lost`) on the customer's side, in the viewer and in the
 * audit trail. The grace period is the server's MEEKIJK_RECONNECT_GRACE_SECONDS, shortened here to 8 s.
 * Runs with the customer in Firefox too (the e2e-firefox project).
 */
import { describe, expect, it } from 'vitest';
import { useStack } from './support/suite';
import { poll } from './support/stack';
import { ViewerPage } from './support/viewer-page';
import { AGREE_WITHIN_MS, startTruthProbe } from './support/truth-probe';

const GRACE_S = 8;
const suite = useStack({ MEEKIJK_RECONNECT_GRACE_SECONDS: String(GRACE_S) });

describe('the grace period runs out', () => {
  it('the viewer closed and not reopened in time: connection-lost on every side; reopened later, it shows the end', async () => {
    const { viewer, customer, code, sessionId } = await suite.invite('/shop.html');
    await customer.joinWithCode(code);
    await viewer.waitForTab('sharing');
    await viewer.waitForReplayText('#title', (t) => t === 'Uw bestelling');
    const serverLink = async () => (await suite.stack.server.db.selectFrom('sessions').select('link_state').where('id', '=', sessionId).executeTakeFirst())?.link_state;
    await poll('server says up', async () => ((await serverLink()) === 'up' ? true : undefined), AGREE_WITHIN_MS);
    // The truth probe throughout: viewed, then no one views (reconnecting), then ended, on every side.
    const probe = startTruthProbe(suite.stack, customer, viewer, sessionId);
    const url = viewer.page.url();
    const closedAt = Date.now();
    await viewer.page.close();
    await customer.waitForPhase('reconnecting', 15_000);
    const state = await customer.waitForPhase('ended', (GRACE_S + 20) * 1000);
    const after = Date.now() - closedAt;
    console.log(`issue 17: grace ${GRACE_S} s; the customer's side ended ${after} ms after the viewer closed`);
    expect(state.endedReason).toBe('connection-lost');
    expect(after).toBeGreaterThanOrEqual(GRACE_S * 1000);
    expect(await customer.badgeText()).toBe('');
    const row = await poll('server ended', async () => {
      const r = await suite.stack.server.db.selectFrom('sessions').select(['status', 'end_reason']).where('id', '=', sessionId).executeTakeFirst();
      return r?.status === 'ended' ? r : undefined;
    });
    expect(row.end_reason).toBe('connection-lost');
    const audit = await suite.stack.server.db.selectFrom('audit_events').select(['kind', 'detail']).where('session_id', '=', sessionId).execute();
    expect(audit.filter((a) => a.kind === 'ended').map((a) => a.detail)).toEqual(['connection-lost']);
    // The technician opens the session again: it says ended, and why.
    const page = await suite.stack.viewerBrowser.newPage({ type: 'window' });
    suite.opened.push(page);
    await page.goto(url);
    const again = ViewerPage.attach(page);
    probe.setViewer(again);
    await again.waitForTab('ended');
    await new Promise((r) => setTimeout(r, 2_500));
    await probe.stop();
    expect(probe.violations()).toEqual([]);
    expect(probe.samples.some((s) => s.server === 'active' && s.serverLink === 'down' && s.popup === 'reconnecting')).toBe(true);
    expect(probe.samples.at(-1)).toMatchObject({ server: 'ended', viewer: 'ended', badge: '' });
    expect(await page.$eval('main.session', (el) => el.textContent ?? '')).toMatch(/connection to the customer was lost|verbinding met de klant is verbroken/);
  }, 90_000);
});
