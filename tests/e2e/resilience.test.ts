/**
 * Issue 17: a session survives what goes wrong in the field, and never tells anyone something untrue.
 * Faults made on purpose against the real stack (server, Chromium with the extension, real WebRTC on
 * loopback); in the e2e-firefox project with the customer in Firefox ESR (the viewer in Chromium). Each test asserts either that the session continues (a change made in the page after the
 * fault reaches the viewer, no new consent, the recovery time printed) or that it ends cleanly with the
 * same true reason on the customer's side, the viewer and the audit trail; and the truth probe
 * (support/truth-probe.ts) samples indicator, badge, popup, viewer and server throughout.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { useStack } from './support/suite';
import { poll } from './support/stack';
import { AGREE_WITHIN_MS, startTruthProbe, type TruthProbe } from './support/truth-probe';
import { browserCgroup, closeExtensionTargets, faultsAvailable, stopServiceWorker, workerAttached } from './support/faults';
import type { Customer } from './support/customer';
import { chromiumPath, FIREFOX_CUSTOMER, firefoxPath } from './support/browser';
import { ViewerPage } from './support/viewer-page';

// The customer's browser (and its child processes) in a cgroup of its own: Chromium, or Firefox in the
// e2e-firefox project.
const cgroup = faultsAvailable() ? browserCgroup(FIREFOX_CUSTOMER ? firefoxPath() : undefined) : undefined;
// Registered before the stack's own, so it runs after the browser has closed (after-hooks run in reverse).
afterAll(() => cgroup?.remove());
// With the customer in Firefox the viewer's Chromium joins the same cgroup: a drop cuts both ends, as the
// one shared Chromium's does in the e2e project.
const suite = useStack({}, [], { executablePath: cgroup?.executable, viewerExecutablePath: FIREFOX_CUSTOMER ? cgroup?.wrap(chromiumPath()) : undefined });

interface Running {
  viewer: ViewerPage;
  customer: Customer;
  sessionId: string;
  probe: TruthProbe;
}

async function live(): Promise<Running> {
  const { viewer, customer, code, sessionId } = await suite.invite('/shop.html');
  await customer.joinWithCode(code);
  await viewer.waitForTab('sharing');
  await viewer.waitForReplayText('#title', (t) => t === 'Uw bestelling');
  // The server says "being viewed" too (the customer's link report), within the invariant's 2 s.
  await poll('server says up', async () => ((await serverLink(sessionId)) === 'up' ? true : undefined), AGREE_WITHIN_MS);
  const probe = startTruthProbe(suite.stack, customer, viewer, sessionId);
  return { viewer, customer, sessionId, probe };
}

/** A change made in the page now reaches the viewer: returns how long it took from `since`. */
async function continues(run: Running, since: number, timeoutMs = 30_000): Promise<number> {
  const marker = `after-fault-${Math.random().toString(36).slice(2)}`;
  await run.customer.tab.evaluate((text) => {
    document.querySelector('#status')!.textContent = text;
  }, marker);
  await run.viewer.waitForReplayText('#status', (t) => t === marker, timeoutMs);
  return Date.now() - since;
}

/** What the server keeps of the customer's link (issue 17): 'up', 'down', or '' before the first report. */
async function serverLink(sessionId: string): Promise<string> {
  const row = await suite.stack.server.db.selectFrom('sessions').select('link_state').where('id', '=', sessionId).executeTakeFirst();
  return row?.link_state ?? '';
}

/** The technician opens the session's page again in a new window: the probe follows the new viewer. */
async function reopenViewer(run: Running, url: string, connectedWithinMs: number): Promise<Running> {
  const page = await suite.stack.viewerBrowser.newPage({ type: 'window' });
  suite.opened.push(page);
  await page.goto(url);
  const viewer = ViewerPage.attach(page);
  run.probe.setViewer(viewer);
  await viewer.waitForLink('connected', connectedWithinMs);
  return { ...run, viewer };
}

async function consents(sessionId: string): Promise<number> {
  const rows = await suite.stack.server.db.selectFrom('audit_events').select('kind').where('session_id', '=', sessionId).execute();
  return rows.filter((r) => r.kind === 'consent').length;
}

async function endedEverywhere(run: Running, reason: string, customerPhase = true) {
  if (customerPhase) {
    const state = await run.customer.waitForPhase('ended', 20_000);
    expect(state.endedReason).toBe(reason);
  }
  await run.viewer.waitForTab('ended', 20_000);
  const row = await poll('server ended', async () => {
    const r = await suite.stack.server.db.selectFrom('sessions').select(['status', 'end_reason']).where('id', '=', run.sessionId).executeTakeFirst();
    return r?.status === 'ended' ? r : undefined;
  });
  expect(row.end_reason).toBe(reason);
  const audit = await suite.stack.server.db.selectFrom('audit_events').select(['kind', 'detail']).where('session_id', '=', run.sessionId).execute();
  expect(audit.filter((a) => a.kind === 'ended').map((a) => a.detail)).toEqual([reason]);
  const shown = await run.viewer.page.$eval('main.session', (el) => el.textContent ?? '');
  return shown;
}

async function finish(run: Running) {
  await new Promise((r) => setTimeout(r, 2_500));
  await run.probe.stop();
  expect(run.probe.samples.length).toBeGreaterThan(5);
  expect(run.probe.violations()).toEqual([]);
}

describe('the technician comes back within the grace period', () => {
  it('F5 in the viewer: the customer shows reconnecting, then live again with a fresh snapshot, no new consent', async () => {
    const run = await live();
    const since = Date.now();
    await run.viewer.page.reload();
    const seen = await poll('customer reconnecting', async () => ((await run.customer.sessionState())?.phase === 'reconnecting' ? true : undefined), 15_000).catch(() => false);
    await run.viewer.waitForLink('connected', 30_000);
    const took = await continues(run, since);
    console.log(`issue 17: viewer reload recovered in ${took} ms (customer showed reconnecting: ${seen})`);
    expect((await run.customer.sessionState())?.phase).toBe('live');
    expect(await consents(run.sessionId)).toBe(1);
    await finish(run);
    // Back: the server says up again (after the "down" it said while the customer reconnected, if it did).
    expect(await serverLink(run.sessionId)).toBe('up');
    if (seen) expect(run.probe.samples.some((s) => s.serverLink === 'down')).toBe(true);
  });

  it('the viewer closed and opened again: the same session, without a new consent', async () => {
    const run = await live();
    const url = run.viewer.page.url();
    const since = Date.now();
    // The probe goes on while no viewer is open: a closed viewer views nothing, and every side must say so.
    await run.viewer.page.close();
    await run.customer.waitForPhase('reconnecting', 15_000);
    console.log(`issue 17: the customer said reconnecting ${Date.now() - since} ms after the viewer closed`);
    expect(await run.customer.badgeText()).toBe('…');
    await poll('server says reconnecting', async () => ((await serverLink(run.sessionId)) === 'down' ? true : undefined), AGREE_WITHIN_MS + 1_000);
    const again = await reopenViewer(run, url, 30_000);
    const took = await continues(again, since);
    console.log(`issue 17: viewer closed and reopened, recovered in ${took} ms`);
    expect(await consents(run.sessionId)).toBe(1);
    await finish(again);
    expect(await serverLink(run.sessionId)).toBe('up');
  });

  it('the viewer crashes (no pagehide, no goodbye): every side says reconnecting within 2 s; reopened, it goes on', async () => {
    const run = await live();
    const url = run.viewer.page.url();
    const cdp = await run.viewer.page.createCDPSession();
    const since = Date.now();
    // The renderer dies at once: nothing of the viewer's page runs, and nothing is said to the customer.
    // (The command is never answered: the page that would answer is gone.)
    void cdp.send('Page.crash').catch(() => undefined);
    await run.customer.waitForPhase('reconnecting', 15_000);
    const noticed = Date.now() - since;
    console.log(`issue 17: the customer said reconnecting ${noticed} ms after the viewer crashed`);
    expect(noticed).toBeLessThan(AGREE_WITHIN_MS + 1_000);
    await poll('server says reconnecting', async () => ((await serverLink(run.sessionId)) === 'down' ? true : undefined), AGREE_WITHIN_MS + 1_000);
    // The crashed tab is closed through the browser (the page cannot answer), so no dead window is left
    // for the next test's popup to open in. The viewer's browser: the customer's own unless that is Firefox.
    const browserCdp = await suite.stack.viewerBrowser.target().createCDPSession();
    await browserCdp.send('Target.closeTarget', { targetId: (run.viewer.page.target() as unknown as { _targetId: string })._targetId });
    await browserCdp.detach();
    await poll('crashed viewer closed', async () => (run.viewer.page.isClosed() ? true : undefined), 10_000);
    const again = await reopenViewer(run, url, 40_000);
    const took = await continues(again, since);
    console.log(`issue 17: viewer crashed and reopened, recovered in ${took} ms`);
    expect(await consents(run.sessionId)).toBe(1);
    await finish(again);
  }, 120_000);
});

// Firefox has neither: the customer's peer lives in the add-on's background page (an MV3 event page).
describe.skipIf(FIREFOX_CUSTOMER)('the customer extension loses a part', () => {
  it('the offscreen document (the peer) is closed: ended at once as extension-stopped, on every side', async () => {
    const run = await live();
    const closed = await closeExtensionTargets(suite.stack.launched.browser, suite.stack.launched.extension.id, (_t, url) => url.includes('/offscreen.html'));
    expect(closed).toBe(1);
    await endedEverywhere(run, 'extension-stopped');
    expect(await run.customer.badgeText()).toBe('');
    await finish(run);
  });

  it('the service worker is stopped: ended at once as extension-stopped; badge and tooltip cleared', async () => {
    const run = await live();
    const { browser, extension } = suite.stack.launched;
    await run.customer.sessionState();
    // Puppeteer's own session on the worker (from the set-up) would keep it alive: detach it first.
    const worker = await run.customer.worker();
    await worker.client.detach().catch(() => undefined);
    expect(await workerAttached(browser, extension.id)).toBe(false);
    const since = Date.now();
    const probePage = (await browser.pages()).find((p) => p.url().includes('#state-probe'))!;
    const stopped = await stopServiceWorker(probePage, extension.id);
    expect(stopped).toBe(1);
    // The new worker finds the session it was running and ends it: the customer's record says why.
    const entry = await poll('history entry ended', async () => {
      const history = (await run.customer.history()).find((e) => e.sessionId === run.sessionId);
      return history?.endedReason ? history : undefined;
    }, 20_000);
    expect(entry.endedReason).toBe('extension-stopped');
    console.log(`issue 17: service worker stopped; recorded as extension-stopped ${Date.now() - since} ms later`);
    expect((await run.customer.sessionState())?.phase).not.toMatch(/live|paused|reconnecting|connecting/);
    await endedEverywhere(run, 'extension-stopped', false);
    expect(await run.customer.badgeText()).toBe('');
    expect(await run.customer.toolbarTitle()).toBe('Meekijk');
    expect(await workerAttached(browser, extension.id)).toBe(false);
    await finish(run);
  });
});

describe.runIf(cgroup)('the peers cannot reach each other (UDP dropped on loopback for this browser only)', () => {
  it.each([10, 40])('for %i s: reconnected within the grace period, the change made during the drop arrives', async (seconds) => {
    const run = await live();
    const before = cgroup!.dropped();
    const undo = cgroup!.dropPeers([suite.stack.serverUrl, suite.stack.fixtures.url].map((u) => Number(new URL(u).port)), driverPorts());
    // The drop begins once the rules are in place.
    const dropStart = Date.now();
    let changedDuring = '';
    let dropped = 0;
    let dropEnd = 0;
    try {
      await new Promise((r) => setTimeout(r, 2_000));
      changedDuring = `during-drop-${Math.random().toString(36).slice(2)}`;
      await run.customer.tab.evaluate((text) => {
        document.querySelector('#title')!.textContent = text;
      }, changedDuring);
      await new Promise((r) => setTimeout(r, seconds * 1000 - 2_000));
    } finally {
      // The rule bit: the session's packets were dropped (read before the rules go).
      dropped = cgroup!.dropped() - before;
      dropEnd = Date.now();
      undo();
    }
    // The session saw the drop: nothing reached the technician, so from 2 s in until it ended no side said
    // "being viewed": indicator, badge, popup, viewer and server (the customer's link report reached it: its
    // TCP was not dropped). The heartbeat notices within 1.5 s, where ICE alone took about 10 s.
    const sawDrop = run.probe.samples.some((s) => s.popup === 'reconnecting' && s.indicator === 'reconnecting');
    const noticed = run.probe.samples.find((s) => s.at >= dropStart && s.popup === 'reconnecting' && s.viewer === 'reconnecting' && s.serverLink === 'down');
    console.log(`issue 17: ${dropped} packets of the peers dropped in ${seconds} s; every side said reconnecting ${noticed ? noticed.at - dropStart : '(never)'} ms into the drop`);
    expect(dropped).toBeGreaterThan(0);
    expect(sawDrop).toBe(true);
    expect(run.probe.viewingDuring(dropStart, dropEnd)).toEqual([]);
    const since = Date.now();
    await run.viewer.waitForLink('connected', 40_000);
    await run.viewer.waitForReplayText('#title', (t) => t === changedDuring, 30_000);
    const took = await continues(run, since);
    console.log(`issue 17: ${seconds} s UDP drop, recovered ${took} ms after the drop ended`);
    expect(await consents(run.sessionId)).toBe(1);
    await finish(run);
  }, 180_000);
});

/** Firefox's WebDriver BiDi server (it drives the test, and runs in the customer's cgroup): its replies pass. */
function driverPorts(): number[] {
  return FIREFOX_CUSTOMER ? [Number(new URL(suite.stack.launched.browser.wsEndpoint()).port)] : [];
}

/** A change made now reaches the viewer although the server is away: it is not on the data path. */
async function changeArrives(run: Running) {
  const marker = `server-away-${Math.random().toString(36).slice(2)}`;
  await run.customer.tab.evaluate((text) => {
    document.querySelector('#title')!.textContent = text;
  }, marker);
  await run.viewer.waitForReplayText('#title', (t) => t === marker, 10_000);
}

/** The customer stops; the end report reaches the (restarted) server with its reason, and the viewer shows it. */
async function stopsCleanly(run: Running) {
  const since = Date.now();
  await run.customer.stopFromPopup();
  const stopped = Date.now() - since;
  await run.viewer.waitForTab('ended', 20_000);
  const row = await poll('server ended', async () => {
    const r = await suite.stack.server.db.selectFrom('sessions').select(['status', 'end_reason']).where('id', '=', run.sessionId).executeTakeFirst();
    return r?.status === 'ended' ? r : undefined;
  }, 20_000);
  console.log(`issue 17: the customer's Stop took ${stopped} ms (popup opened, clicked, ended); the viewer and the server said ended ${Date.now() - since} ms after it began`);
  expect(row.end_reason).toBe('customer-stopped');
}

describe('the signalling server goes away while the channel is up (it is not on the data path)', () => {
  it.each([2, 20])('restarted after %i s down: the session goes on, the end report reaches the server after it', async (seconds) => {
    const run = await live();
    const since = Date.now();
    await suite.stack.restartServer(seconds * 1000, () => changeArrives(run));
    expect((await run.customer.sessionState())?.phase).toBe('live');
    const took = await continues(run, since);
    console.log(`issue 17: server down ${seconds} s; a change made after the restart reached the viewer ${took} ms after the stop began`);
    // Its view of the session survived the restart (its database).
    const row = await suite.stack.server.db.selectFrom('sessions').select('status').where('id', '=', run.sessionId).executeTakeFirstOrThrow();
    expect(row.status).toBe('active');
    await finish(run);
    await stopsCleanly(run);
  }, 120_000);

  it('a change while the server is down reaches it soon after it is back (the peer registering again sends what waits)', async () => {
    const run = await live();
    await suite.stack.restartServer(20_000, async () => {
      // The technician closes the viewer while the server is away: the customer's "down" cannot be told yet.
      await run.viewer.page.close();
      await run.customer.waitForPhase('reconnecting', 15_000);
    });
    const back = Date.now();
    await poll('server says down', async () => ((await serverLink(run.sessionId)) === 'down' ? true : undefined), 20_000);
    const lag = Date.now() - back;
    console.log(`issue 17: the customer's "down" from while the server was away reached it ${lag} ms after it was back`);
    // The peer registers again about 2 s after the server returns (lib/peer/signalling-loss.ts), and sends
    // then; the outbox's own backoff would have waited up to 15 s.
    expect(lag).toBeLessThan(5_000);
    await run.probe.stop();
    await run.customer.stopFromPopup();
    const row = await poll('server ended', async () => {
      const r = await suite.stack.server.db.selectFrom('sessions').select(['status', 'end_reason']).where('id', '=', run.sessionId).executeTakeFirst();
      return r?.status === 'ended' ? r : undefined;
    }, 20_000);
    expect(row.end_reason).toBe('customer-stopped');
  }, 120_000);

  it.runIf(cgroup)('the connection to the server reset (RST): the session goes on', async () => {
    const run = await live();
    const before = cgroup!.dropped();
    const undo = cgroup!.resetTcpTo(Number(new URL(suite.stack.serverUrl).port));
    let reset = 0;
    try {
      await new Promise((r) => setTimeout(r, 8_000));
      await changeArrives(run);
      reset = cgroup!.dropped() - before;
    } finally {
      undo();
    }
    // The rule bit: the browser's packets to the server were answered with a reset.
    expect(reset).toBeGreaterThan(0);
    const took = await continues(run, Date.now());
    console.log(`issue 17: server connection reset for 8 s; the session went on (change after it arrived in ${took} ms)`);
    expect((await run.customer.sessionState())?.phase).toBe('live');
    await finish(run);
    await stopsCleanly(run);
  }, 120_000);
});
