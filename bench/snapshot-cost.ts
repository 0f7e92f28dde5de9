/**
 * `npm run bench:snapshot-cost -- [--page=/nodes.html?n=5000] [--rounds=7]`: what starting to record costs
 * the customer's page, for rrweb alone and for Meekijk's recorder.
 * - rrweb alone: `record()` from the same rrweb, default options, timed around the call (it takes the full
 *   snapshot synchronously, in one task);
 * - Meekijk: the built page-world recorder (`recorder.js`) told to start over its bridge. It takes the
 *   snapshot in slices (lib/page/record/sliced-snapshot.ts), so three numbers: the start call itself, the longest
 *   task in the page until the snapshot is handed over (the browser's long-task entries, so only tasks over
 *   50 ms are seen), and the time until it is handed over.
 * Each round loads the page fresh in a plain Chromium (no extension), alternating the two.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build, type Rollup } from 'vite';
import { EXTENSION_DIR, launchPlain } from '@/tests/e2e/support/browser';
import { EVENTS_EVENT, PAGE_CHANNEL, TO_PAGE_EVENT } from '@/lib/protocol/page-bridge';
import { startPageServer } from './pages';
import { flag, wholeFlag } from './args';
import { percentile } from './probes';

const pagePath = flag('page') ?? '/nodes.html?n=5000';
const rounds = wholeFlag('rounds', 7, 1, 100);

let recorder: string;
try {
  recorder = readFileSync(path.join(EXTENSION_DIR, 'content-scripts/recorder.js'), 'utf8');
} catch {
  console.error('recorder.js is not built: run `npm run build:extension` first');
  process.exit(2);
}
// rrweb alone, bundled for the page: a function that times one record() call and stops it again.
const bundled = (await build({
  configFile: false,
  logLevel: 'silent',
  build: { write: false, minify: true, lib: { entry: path.resolve('bench/rrweb-alone.ts'), formats: ['iife'], name: 'rrwebAlone', fileName: 'rrweb-alone' } },
})) as Rollup.RollupOutput | Rollup.RollupOutput[];
const rrwebAlone = (Array.isArray(bundled) ? bundled[0]! : bundled).output[0].code;

const pages = await startPageServer();
const browser = await launchPlain({ defaultViewport: { width: 1280, height: 800 } });
const start = JSON.stringify(JSON.stringify({ channel: PAGE_CHANNEL, type: 'start', token: 'bench' }));
try {
  const rrwebTimes: number[] = [];
  const meekijk = { start: [] as number[], longest: [] as number[], handedOver: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    for (const variant of round % 2 ? (['meekijk', 'rrweb'] as const) : (['rrweb', 'meekijk'] as const)) {
      const page = await browser.newPage();
      await page.goto(`${pages.url}${pagePath}`, { waitUntil: 'load' });
      await new Promise((r) => setTimeout(r, 300));
      if (variant === 'rrweb') {
        await page.addScriptTag({ content: rrwebAlone });
        rrwebTimes.push((await page.evaluate('window.__rrwebAlone()')) as number);
      } else {
        await page.addScriptTag({ content: recorder });
        // From the start until the full snapshot is handed over to the isolated world; the long-task
        // entries of that stretch (the page does nothing else meanwhile).
        const result = (await page.evaluate(`new Promise((resolve, reject) => {
          const longTasks = [];
          new PerformanceObserver((list) => { for (const entry of list.getEntries()) longTasks.push(entry); }).observe({ type: 'longtask' });
          let start, took;
          addEventListener(${JSON.stringify(EVENTS_EVENT)}, (e) => {
            if (!String(e.detail).includes('{"type":2,')) return;
            const handedOver = performance.now() - start;
            // Long-task entries arrive after their task: give them a moment.
            setTimeout(() => resolve({
              took,
              handedOver,
              longest: Math.max(0, ...longTasks.filter((t) => t.startTime >= start - 1).map((t) => t.duration)),
            }), 100);
          });
          setTimeout(() => reject(new Error('the recorder handed over no full snapshot')), 10000);
          start = performance.now();
          dispatchEvent(new CustomEvent(${JSON.stringify(TO_PAGE_EVENT)}, { detail: ${start} }));
          took = performance.now() - start;
        })`)) as { took: number; longest: number; handedOver: number };
        meekijk.start.push(result.took);
        meekijk.longest.push(result.longest);
        meekijk.handedOver.push(result.handedOver);
      }
      await page.close();
    }
  }
  const row = (name: string, list: number[], zero = '') => {
    const sorted = [...list].sort((a, b) => a - b);
    const show = (ms: number) => (ms === 0 && zero ? zero : `${ms.toFixed(1)}`);
    console.log(`  ${name.padEnd(42)} ${show(percentile(sorted, 50))} / ${show(sorted[0]!)} / ${show(sorted.at(-1)!)} ms`);
  };
  console.log(`${pagePath}, ${rounds} rounds: median / fastest / slowest`);
  row('rrweb record(): one task', rrwebTimes);
  row('Meekijk: start call', meekijk.start);
  row('Meekijk: longest task until handed over', meekijk.longest, '<50');
  row('Meekijk: start to snapshot handed over', meekijk.handedOver);
} finally {
  await browser.close();
  await pages.close();
}
