/**
 * `npm run bench:snapshot-cost -- [--page=/nodes.html?n=5000] [--rounds=7]`: how long recording takes to
 * start on a page, as one synchronous task, for rrweb alone and for Meekijk's recorder.
 * - rrweb alone: `record()` from the same rrweb, default options, timed around the call (it takes the full
 *   snapshot synchronously);
 * - Meekijk: the built page-world recorder (`recorder.js`) told to start over its bridge, timed until the
 *   `start` event returns: rrweb with our masking options plus our checks of every event.
 * Each round loads the page fresh in a plain Chromium (no extension), alternating the two. The difference is
 * what Meekijk adds to the long task on the customer's page; the rest is rrweb's serialiser.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build, type Rollup } from 'vite';
import puppeteer from 'puppeteer-core';
import { chromiumPath, EXTENSION_DIR } from '@/tests/e2e/support/browser';
import { EVENTS_EVENT, PAGE_CHANNEL, TO_PAGE_EVENT } from '@/lib/bridge/page-messages';
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
const browser = await puppeteer.launch({
  executablePath: chromiumPath(),
  headless: true,
  pipe: true,
  defaultViewport: { width: 1280, height: 800 },
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const start = JSON.stringify(JSON.stringify({ channel: PAGE_CHANNEL, type: 'start', token: 'bench' }));
try {
  const times = { 'rrweb record()': [] as number[], 'Meekijk recorder start': [] as number[] };
  for (let round = 0; round < rounds; round++) {
    for (const variant of round % 2 ? (['Meekijk recorder start', 'rrweb record()'] as const) : (['rrweb record()', 'Meekijk recorder start'] as const)) {
      const page = await browser.newPage();
      await page.goto(`${pages.url}${pagePath}`, { waitUntil: 'load' });
      await new Promise((r) => setTimeout(r, 300));
      let ms: number;
      if (variant === 'rrweb record()') {
        await page.addScriptTag({ content: rrwebAlone });
        ms = (await page.evaluate('window.__rrwebAlone()')) as number;
      } else {
        await page.addScriptTag({ content: recorder });
        // Timed until the start returns; then, to be sure it recorded, wait for the full snapshot it hands over.
        ms = (await page.evaluate(`new Promise((resolve, reject) => {
          let took;
          addEventListener(${JSON.stringify(EVENTS_EVENT)}, (e) => { if (String(e.detail).includes('{"type":2,')) resolve(took); });
          setTimeout(() => reject(new Error('the recorder handed over no full snapshot')), 10000);
          const t = performance.now();
          dispatchEvent(new CustomEvent(${JSON.stringify(TO_PAGE_EVENT)}, { detail: ${start} }));
          took = performance.now() - t;
        })`)) as number;
      }
      times[variant].push(ms);
      await page.close();
    }
  }
  console.log(`${pagePath}, ${rounds} rounds, one synchronous task each: median / fastest / slowest`);
  for (const [name, list] of Object.entries(times)) {
    const sorted = list.sort((a, b) => a - b);
    console.log(`  ${name.padEnd(24)} ${percentile(sorted, 50).toFixed(1)} / ${sorted[0]!.toFixed(1)} / ${sorted.at(-1)!.toFixed(1)} ms`);
  }
} finally {
  await browser.close();
  await pages.close();
}
