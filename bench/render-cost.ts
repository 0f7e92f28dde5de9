/**
 * `npm run bench:render-cost -- [--pages=/nodes.html?n=5000,/nodes.html?n=50000] [--rounds=5]`: what the
 * browser itself spends rendering a page the first time, with nothing recording it.
 *
 * The viewer's first frame ends with a rebuild of the whole page and its first style, layout and paint in
 * the replay iframe; the customer's own browser did the same rendering work when it loaded the page. This
 * prints that work for each bench page, from a trace of its load in a plain Chromium at the bench's
 * viewport: style (UpdateLayoutTree), layout, pre-paint and paint, summed over the load, medians of the
 * rounds. It is a floor for the viewer's "paint" stage, which no change in Meekijk can go below.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchPlain } from '@/tests/e2e/support/browser';
import { startPageServer } from './pages';
import { flag, wholeFlag } from './args';
import { percentile } from './probes';

const pagePaths = (flag('pages') ?? '/nodes.html?n=5000,/nodes.html?n=50000').split(',');
const rounds = wholeFlag('rounds', 5, 1, 50);
const PHASES = { style: 'UpdateLayoutTree', layout: 'Layout', prePaint: 'PrePaint', paint: 'Paint' } as const;
type Phase = keyof typeof PHASES;

interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
}

const traceFile = path.join(tmpdir(), `meekijk-render-cost-${process.pid}.json`);
const pages = await startPageServer();
const browser = await launchPlain();
try {
  const tab = await browser.newPage();
  await tab.setViewport({ width: 1280, height: 720 });
  console.log(`first render of each page, ${rounds} loads: style / layout / pre-paint / paint / total (ms, medians; total fastest-slowest)`);
  for (const pagePath of pagePaths) {
    const samples: Record<Phase | 'total', number[]> = { style: [], layout: [], prePaint: [], paint: [], total: [] };
    for (let round = 0; round < rounds; round++) {
      await tab.goto('about:blank');
      await tab.tracing.start({ path: traceFile, categories: ['devtools.timeline'] });
      await tab.goto(`${pages.url}${pagePath}`, { waitUntil: 'load', timeout: 60_000 });
      // The first frame after load: everything the page needs to be on screen has been rendered.
      await tab.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
      await tab.tracing.stop();
      const events = (JSON.parse(readFileSync(traceFile, 'utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
      let total = 0;
      for (const phase of Object.keys(PHASES) as Phase[]) {
        const ms = events.filter((e) => e.ph === 'X' && e.name === PHASES[phase]).reduce((sum, e) => sum + (e.dur ?? 0) / 1000, 0);
        samples[phase].push(ms);
        total += ms;
      }
      samples.total.push(total);
    }
    const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50).toFixed(0);
    const range = `${Math.min(...samples.total).toFixed(0)}-${Math.max(...samples.total).toFixed(0)}`;
    console.log(`  ${pagePath}: ${median(samples.style)} / ${median(samples.layout)} / ${median(samples.prePaint)} / ${median(samples.paint)} / ${median(samples.total)} (${range})`);
  }
} finally {
  rmSync(traceFile, { force: true });
  await browser.close();
  await pages.close();
}
process.exit(process.exitCode ?? 0);
