/**
 * `npm run bench:first-frame -- [--page=/nodes.html?n=5000] [--rounds=9] [--tasks]`: consent to first frame, many
 * times over, with its stages per session and their medians. The full bench (`npm run bench`) measures
 * one first frame per scenario; on two shared cores one session varies by ±100 ms, so comparing two
 * builds needs the median of several (docs/performance.md, "Spread").
 *
 * Stages, from the consent click: the recorder announces itself in the page (ready), is told to start,
 * hands its full snapshot over (snapshot), the snapshot's first frame reaches the viewer (arriving: the
 * peer host has parsed, checked and packed it and the channel carried that frame), the viewer has rebuilt it (rebuilt) and painted it (painted); the longest task the customer's page
 * ran meanwhile (from the consent click on, so not the page's own load; the browser reports tasks over
 * 50 ms only, so 0 means none that long); and the viewer's own part, from the snapshot's last frame
 * arriving to rebuilt (viewer: decode, the wait for the replayer's next frame, rebuild).
 */
import { Customer } from '@/tests/e2e/support/customer';
import { poll, startStack } from '@/tests/e2e/support/stack';
import { startPageServer } from './pages';
import { flag, wholeFlag } from './args';
import { percentile, sleep, viewerFrames } from './probes';
import { consent, openTab, openWatchedViewer } from './runs';

const pagePath = flag('page') ?? '/nodes.html?n=5000';
const rounds = wholeFlag('rounds', 9, 1, 100);
/** --tasks lists every task over 50 ms in the customer's page after consent, with when it started. */
const showTasks = process.argv.includes('--tasks');

const COLUMNS = ['ready', 'start', 'snapshot', 'arriving', 'rebuilt', 'painted', 'longest task', 'viewer'] as const;

const rows: number[][] = [];
const stack = await startStack({}, []);
const pages = await startPageServer();
try {
  const { browser, extension } = stack.launched;
  console.log(`${pagePath}, ${rounds} sessions; ms from the consent click: ${COLUMNS.join(' / ')}`);
  for (let round = 0; round < rounds; round++) {
    const { viewer, code } = await openWatchedViewer(stack, 'FIRSTFRAME', { spyOnConnections: true });
    const tab = await openTab(browser, `${pages.url}${pagePath}`);
    const customer = new Customer(browser, extension, tab);
    await sleep(300);
    const consentAt = await consent(customer, code);
    await viewer.page.bringToFront();
    const painted = await poll('first frame in the viewer', async () => (await viewer.page.evaluate('window.__watch.firstFrame')) as number | null, 60_000, 10);
    const rebuilt = (await viewer.page.evaluate('window.__watch.endArrived')) as number;
    const page = (await tab.evaluate(
      '({ ready: window.__bench.recorderReadyAt, start: window.__bench.recorderStartAt, snapshot: window.__bench.snapshotCalledAt, tasks: window.__bench.longTasks })',
    )) as { ready: number; start: number; snapshot: number; tasks: Array<{ at: number; duration: number }> };
    const arriving = (await viewerFrames(viewer.page)).firstSnapshot?.firstFrameAt ?? NaN;
    const tasks = page.tasks.filter((t) => t.at >= consentAt);
    const frameTimes = (await viewer.page.evaluate('window.__frameTimes')) as number[];
    const lastFrame = Math.max(...frameTimes.filter((t) => t <= rebuilt));
    const row = [page.ready - consentAt, page.start - consentAt, page.snapshot - consentAt, arriving - consentAt, rebuilt - consentAt, painted - consentAt, Math.max(0, ...tasks.map((t) => t.duration)), rebuilt - lastFrame];
    rows.push(row);
    if (showTasks) console.log('    long tasks (ms after consent + duration):', tasks.map((t) => `${Math.round(t.at - consentAt)}+${Math.round(t.duration)}`).join(', '));
    console.log(`  session ${round + 1}: ${row.map((v) => Math.round(v)).join(' / ')}`);
    await viewer.endSession();
    await customer.waitForPhase('ended').catch(() => undefined);
    await tab.close();
    await viewer.page.close();
  }
  console.log(`median: ${COLUMNS.map((_, i) => Math.round(percentile(rows.map((r) => r[i]!).sort((a, b) => a - b), 50))).join(' / ')}`);
} finally {
  await pages.close();
  await stack.close();
}
process.exit(process.exitCode ?? 0);
