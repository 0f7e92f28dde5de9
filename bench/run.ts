/**
 * `npm run bench`: Meekijk's DOM stream against a video of the same tab, in real Chromium on 127.0.0.1
 * (issue 7). Prints the tables and writes bench/results/latest.json.
 *
 *   node --import tsx bench/run.ts [--only=nodes-5k,session] [--no-video] [--no-baseline] [--dump]
 *
 * `--only=session-pointer-jumps` runs the support session with the pointer jumping instead of gliding:
 * the byte ratio without a moving cursor.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startStack } from '@/tests/e2e/support/stack';
import { startPageServer } from './pages';
import { SCENARIOS } from './scenarios';
import { baselineRun, recordedRun, videoRun } from './runs';
import { checkTargets, summarise, tables, type ScenarioSummary } from './report';
import { flag } from './args';

const args = process.argv.slice(2);
const only = flag('only')?.split(',');
const withVideo = !args.includes('--no-video');
/** Skip the run without recording (quicker; the recorder's cost columns are then not meaningful). */
const withBaseline = !args.includes('--no-baseline');
/** Also write what the viewer received (decoded messages) per scenario, for looking into the stream. */
const dump = args.includes('--dump');
const scenarios = SCENARIOS.filter((s) => (only ? only.includes(s.id) : !s.optional));

const began = Date.now();
const log = (message: string) => console.error(`[bench +${Math.round((Date.now() - began) / 1000)}s] ${message}`);

const stack = await startStack({}, []);
const pages = await startPageServer();
const summaries: ScenarioSummary[] = [];
try {
  for (const scenario of scenarios) {
    const url = `${pages.url}${scenario.path}`;
    log(`${scenario.id}: without recording`);
    const baseline = withBaseline
      ? await baselineRun(stack.launched.browser, url, scenario)
      : { elements: NaN, windowMs: 0, scriptMs: 0, taskMs: 0, heapBytes: 0, longTasks: [] };
    log(`${scenario.id}: through Meekijk`);
    const recorded = await recordedRun(stack, url, scenario);
    let video = null;
    if (withVideo) {
      log(`${scenario.id}: as a VP8 video of the tab`);
      video = await videoRun(url, scenario);
    }
    if (dump) {
      await mkdir(path.resolve('bench/results'), { recursive: true });
      await writeFile(path.resolve(`bench/results/${scenario.id}-messages.json`), JSON.stringify(recorded.messages));
    }
    const summary = summarise(scenario.id, scenario.title, baseline.elements, baseline, recorded, video);
    summaries.push(summary);
    log(`${scenario.id}: ${JSON.stringify({ latency: summary.latencyMs, behind: summary.behindCustomerMs, own: summary.customerPaintMs, stages: summary.stagesP50Ms, fps: summary.viewerFps, firstFrameMs: summary.firstFrameMs, firstFrameStages: summary.firstFrameStagesMs, bytes: summary.bytes.total, video: summary.video?.total })}`);
  }
} finally {
  await pages.close();
  await stack.close();
}

const checks = checkTargets(summaries);
console.log(`\n${tables(summaries, checks)}\n`);
const out = path.resolve('bench/results/latest.json');
await mkdir(path.dirname(out), { recursive: true });
await writeFile(
  out,
  `${JSON.stringify(
    {
      at: new Date().toISOString(),
      durationS: Math.round((Date.now() - began) / 1000),
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      scenarios: summaries,
      targets: checks,
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${path.relative(process.cwd(), out)}; ${checks.filter((c) => c.pass).length}/${checks.length} targets met`);
// Something in the stack (a socket, a timer) can outlive the browser; the run is over, so say so.
process.exit(process.exitCode ?? 0);
