/**
 * `npm run bench:profile -- [--page=/nodes.html?n=5000] [--top=25] [--save=DIR]`: where the time of a session's start
 * goes. Starts the real stack, opens the page, starts the V8 sampling profiler in the customer's tab and
 * in the viewer, consents, waits for the first frame in the viewer, and prints the functions with the
 * most self time on each side (the recorder's full snapshot on one, the replayer's rebuild on the other).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, CDPSession, Page, Target } from 'puppeteer-core';
import { Customer } from '@/tests/e2e/support/customer';
import { poll, startStack } from '@/tests/e2e/support/stack';
import { startPageServer } from './pages';
import { flag, wholeFlag } from './args';
import { openTab, openWatchedViewer } from './runs';

const pagePath = flag('page') ?? '/nodes.html?n=5000';
const top = wholeFlag('top', 25, 1, 500);
/** --save=DIR writes each raw profile as DIR/<side>.cpuprofile, which Chrome DevTools' Performance panel opens. */
const saveDir = flag('save');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

async function startProfiler(target: Page | Target): Promise<CDPSession> {
  const cdp = await target.createCDPSession();
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  return cdp;
}

/** Self time per function (ms), heaviest first. */
function selfTimes(profile: Profile): Array<{ name: string; ms: number }> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') return;
    const file = url.split('/').pop() ?? '';
    const key = `${functionName || '(anonymous)'}  ${file}:${lineNumber + 1}`;
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...totals.entries()].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
}

/**
 * Busy stretches: runs of samples with no idle sample between them, roughly the tasks the thread ran. The
 * longest are printed with their heaviest functions: what makes a long task.
 */
function busyStretches(profile: Profile): Array<{ ms: number; top: string[] }> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const stretches: Array<{ ms: number; self: Map<string, number> }> = [];
  let current: { ms: number; self: Map<string, number> } | undefined;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (!frame || frame.functionName === '(idle)') {
      current = undefined;
      return;
    }
    if (!current) stretches.push((current = { ms: 0, self: new Map() }));
    current.ms += dt;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop() ?? ''}:${frame.lineNumber + 1}`;
    current.self.set(key, (current.self.get(key) ?? 0) + dt);
  });
  return stretches
    .sort((a, b) => b.ms - a.ms)
    .map((s) => ({ ms: s.ms, top: [...s.self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${v.toFixed(1)}`) }));
}

function print(side: string, profile: Profile) {
  if (saveDir) {
    mkdirSync(saveDir, { recursive: true });
    writeFileSync(join(saveDir, `${side.split(' (')[0]!.replace(/\W+/g, '-')}.cpuprofile`), JSON.stringify(profile));
  }
  for (const stretch of busyStretches(profile).slice(0, 4)) {
    console.log(`\n${side}: busy stretch of ${stretch.ms.toFixed(1)} ms:\n    ${stretch.top.join('\n    ')}`);
  }
  const rows = selfTimes(profile);
  const total = rows.reduce((n, r) => n + r.ms, 0);
  console.log(`\n${side}: ${total.toFixed(1)} ms of script (self time, top ${top})`);
  for (const row of rows.slice(0, top)) console.log(`${row.ms.toFixed(1).padStart(8)} ms  ${row.name}`);
}

/**
 * The extension's own contexts: its service worker (already running) and the offscreen document that holds
 * the peer (created at consent; profiled from the moment its target appears). Between them they do the
 * first frame's "forward" stage: the hop from the tab, the check of the events and the compression.
 */
function profileExtension(browser: Browser, extensionId: string): { stop(): Promise<Array<[string, Profile]>> } {
  const origin = `chrome-extension://${extensionId}/`;
  const sessions = new Map<Target, { name: string; session: Promise<CDPSession> }>();
  const attach = (target: Target) => {
    const name = target.type() === 'service_worker' ? 'service worker' : target.url().includes('offscreen.html') ? 'offscreen document' : null;
    if (!name || !target.url().startsWith(origin) || sessions.has(target)) return;
    const session = startProfiler(target);
    session.catch(() => {}); // a target that closes at once is skipped by stop()
    sessions.set(target, { name, session });
  };
  browser.on('targetcreated', attach);
  browser.on('targetchanged', attach);
  browser.targets().forEach(attach);
  return {
    async stop() {
      browser.off('targetcreated', attach);
      browser.off('targetchanged', attach);
      const out: Array<[string, Profile]> = [];
      for (const { name, session } of sessions.values()) {
        try {
          out.push([name, (await (await session).send('Profiler.stop')).profile as unknown as Profile]);
        } catch {
          // closed before we asked
        }
      }
      return out;
    },
  };
}

const stack = await startStack({}, []);
const pages = await startPageServer();
try {
  const { browser, extension } = stack.launched;
  const { viewer, code } = await openWatchedViewer(stack, 'PROFILE');
  const tab = await openTab(browser, `${pages.url}${pagePath}`);
  const customer = new Customer(browser, extension, tab);
  const [tabCdp, viewerCdp] = [await startProfiler(tab), await startProfiler(viewer.page)];
  const extensionProfiles = profileExtension(browser, extension.id);
  await customer.joinWithCode(code);
  await viewer.page.bringToFront();
  await poll('first frame in the viewer', async () => (await viewer.page.evaluate('window.__watch.firstFrame')) as number | null, 60_000, 20);
  await new Promise((r) => setTimeout(r, 500));
  const [tabProfile, viewerProfile] = [
    (await tabCdp.send('Profiler.stop')).profile as unknown as Profile,
    (await viewerCdp.send('Profiler.stop')).profile as unknown as Profile,
  ];
  print(`customer tab (${pagePath})`, tabProfile);
  for (const [name, profile] of await extensionProfiles.stop()) print(name, profile);
  print('viewer', viewerProfile);
  await viewer.endSession();
} finally {
  await pages.close();
  await stack.close();
}
// Everything is closed, but a handle from the CDP sessions keeps Node's event loop alive (it hung for
// minutes after the last line); this is a one-shot command, so it ends here.
process.exit(process.exitCode ?? 0);
