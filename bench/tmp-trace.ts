/**
 * `npm run bench:first-frame -- [--page=/nodes.html?n=5000] [--rounds=9]`: consent to first frame, many
 * times over, with its stages per session and their medians. The full bench (`npm run bench`) measures
 * one first frame per scenario; on two shared cores one session varies by ±100 ms, so comparing two
 * builds needs the median of several (docs/performance.md, "Spread").
 *
 * Stages, from the consent click: the recorder announces itself in the page (ready), is told to start,
 * hands its full snapshot over (snapshot), the viewer has rebuilt it (rebuilt) and painted it (painted);
 * and the longest task the customer's page ran meanwhile.
 */
import { Customer } from '@/tests/e2e/support/customer';
import { poll, startStack } from '@/tests/e2e/support/stack';
import { startPageServer } from './pages';
import { percentile, sleep } from './probes';
import { consent, openTab, openWatchedViewer } from './runs';

const args = process.argv.slice(2);
const pagePath = args.find((a) => a.startsWith('--page='))?.slice(7) ?? '/nodes.html?n=5000';
const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 9);
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 100) {
  console.error('--rounds must be a whole number from 1 to 100');
  process.exit(2);
}

const COLUMNS = ['ready', 'start', 'snapshot', 'rebuilt', 'painted', 'longest task'] as const;
const rows: number[][] = [];
const stack = await startStack({}, []);
const pages = await startPageServer();
try {
  const { browser, extension } = stack.launched;
  console.log(`${pagePath}, ${rounds} sessions; ms from the consent click: ${COLUMNS.join(' / ')}`);
  for (let round = 0; round < rounds; round++) {
    const { viewer, code } = await openWatchedViewer(stack, 'FIRSTFRAME');
    const tab = await openTab(browser, `${pages.url}${pagePath}`);
    const customer = new Customer(browser, extension, tab);
    await sleep(300);
    const swTarget = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extension.id}/`));
    const sw = await swTarget.worker();
    const marks: Array<[string, number]> = [];
    const onConsole = (m: { text(): string }) => { const parts = m.text().split(' '); if (parts[0] === '[t]') marks.push([parts[1]!, Number(parts[2])]); };
    sw!.on('console', onConsole);
    const consentAt = await consent(customer, code);
    await viewer.page.bringToFront();
    const painted = await poll('first frame in the viewer', async () => (await viewer.page.evaluate('window.__watch.firstFrame')) as number | null, 60_000, 10);
    const rebuilt = (await viewer.page.evaluate('window.__watch.endArrived')) as number;
    const page = (await tab.evaluate(
      '({ ready: window.__bench.recorderReadyAt, start: window.__bench.recorderStartAt, snapshot: window.__bench.snapshotCalledAt, tasks: window.__bench.longTasks.map((t) => t.duration) })',
    )) as { ready: number; start: number; snapshot: number; tasks: number[] };
    const row = [page.ready - consentAt, page.start - consentAt, page.snapshot - consentAt, rebuilt - consentAt, painted - consentAt, Math.max(0, ...page.tasks)];
    rows.push(row);
    console.log('   sw:', marks.map(([l, t]) => `${l} ${Math.round(t - consentAt)}`).join(', '));
    sw!.off('console', onConsole);
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
