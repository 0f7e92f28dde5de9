/**
 * The snapshot in slices (lib/page/record/sliced-snapshot.ts with the rrweb patch of
 * scripts/rrweb-sliced-snapshot.ts), in real Chromium with the installed rrweb: the page changes between
 * any two slices, and what the viewer ends up with must still be the page.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type Rollup } from 'vite';
import type { Browser, Page } from 'puppeteer-core';
import { rrwebSlicedSnapshot } from '@/scripts/rrweb-sliced-snapshot';
import { launchPlain } from './support/browser';
import type { Change } from './support/slice-harness';

let browser: Browser;
let harnessCode: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(process.cwd(), 'node_modules', '.meekijk-slices-'));
  try {
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, `import '${join(process.cwd(), 'tests/e2e/support/slice-harness.ts')}';\n`);
    const result = (await build({
      configFile: false,
      logLevel: 'silent',
      root: process.cwd(),
      resolve: { alias: { '@': process.cwd() } },
      plugins: [rrwebSlicedSnapshot()],
      build: { write: false, minify: false, lib: { entry, formats: ['iife'], name: 'sliceHarness', fileName: 'harness' } },
    })) as Rollup.RollupOutput[] | Rollup.RollupOutput;
    const output = Array.isArray(result) ? result[0]! : result;
    harnessCode = output.output.map((chunk) => ('code' in chunk ? chunk.code : '')).join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  browser = await launchPlain();
});

afterAll(async () => {
  await browser?.close();
});

const EVERY_CHANGE: Change[] = ['add', 'remove', 'move', 'shadow', 'text', 'attribute', 'rule', 'ui'];

const PAGE = `<!doctype html><html><head>
  <title>slices</title>
  <style>p { color: #123 }</style>
</head><body>
  <div id="root">
    <h1>Title <small>sub</small></h1>
    <!-- a comment -->
    <ul>${Array.from({ length: 6 }, (_, i) => `<li>item ${i} <a href="/x${i}">link</a></li>`).join('\n    ')}</ul>
    <div class="cards">${Array.from({ length: 4 }, (_, i) => `<article><h2>card ${i}</h2><p>text ${i} <b>bold</b></p></article>`).join('')}</div>
    <table><tbody>${Array.from({ length: 3 }, (_, r) => `<tr>${Array.from({ length: 3 }, (_, c) => `<td>${r}.${c}</td>`).join('')}</tr>`).join('')}</tbody></table>
    <textarea>typed</textarea>
  </div>
  <div id="host"></div>
  <script>document.getElementById('host').attachShadow({ mode: 'open' }).innerHTML = '<p>in the shadow <i>root</i></p><span>two</span>';</script>
</body></html>`;

async function freshPage(): Promise<Page> {
  const page = await browser.newPage();
  await page.setContent(PAGE, { waitUntil: 'load' });
  await page.addScriptTag({ content: harnessCode });
  return page;
}

type Harness = {
  harness: {
    seed(seed: number): void;
    change(kinds: Change[]): void;
    start(): boolean;
    step(): boolean;
    finish(): string;
    walkedTree(): boolean;
    snapshotAtOnce(): string;
    replay(): Promise<string>;
  };
};

/** Starts recording, then one node per step with `changesPerStep` random changes after each. */
async function slicedWithChanges(page: Page, seed: number, kinds: Change[], changesPerStep: number): Promise<{ sliced: string; steps: number }> {
  return page.evaluate(
    async (seed, kinds, changesPerStep) => {
      const { harness } = window as unknown as Harness;
      // Each slice is a task of its own, as in the recorder: rrweb's mutation observer reports in between.
      const nextTask = () =>
        new Promise<void>((resolve) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve();
          channel.port2.postMessage(null);
        });
      harness.seed(seed);
      if (!harness.start()) throw new Error('nothing was deferred: is the rrweb patch applied?');
      let steps = 0;
      while (!harness.step()) {
        steps++;
        for (let i = 0; i < changesPerStep; i++) harness.change(kinds);
        await nextTask();
      }
      await nextTask();
      return { sliced: harness.finish(), steps };
    },
    seed,
    kinds,
    changesPerStep,
  );
}

describe('snapshot in slices', () => {
  it('gives the same tree as rrweb in one go when nothing changes', async () => {
    const page = await freshPage();
    const { sliced, steps } = await slicedWithChanges(page, 1, [], 0);
    expect(steps).toBeGreaterThan(50);
    const atOnce = await page.evaluate(() => (window as unknown as Harness).harness.snapshotAtOnce());
    expect(JSON.parse(sliced)).toEqual(JSON.parse(atOnce));
    // The shadow root's children and the style's rules are in it.
    expect(sliced).toContain('in the shadow');
    expect(sliced).toContain('color: rgb(17, 34, 51)');
    await page.close();
  });

  it('matches the page as it is at the end when it changes between slices', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const page = await freshPage();
      const { sliced } = await slicedWithChanges(page, seed, EVERY_CHANGE, 2);
      const atOnce = await page.evaluate(() => (window as unknown as Harness).harness.snapshotAtOnce());
      expect(JSON.parse(sliced), `seed ${seed}`).toEqual(JSON.parse(atOnce));
      await page.close();
    }
  });

  it('puts our own UI hosts in place without comparing every parent with the page', async () => {
    for (let seed = 201; seed <= 210; seed++) {
      const page = await freshPage();
      const { sliced } = await slicedWithChanges(page, seed, ['ui', 'text', 'attribute'], 1);
      const walked = await page.evaluate(() => (window as unknown as Harness).harness.walkedTree());
      const atOnce = await page.evaluate(() => (window as unknown as Harness).harness.snapshotAtOnce());
      expect(JSON.parse(sliced), `seed ${seed}`).toEqual(JSON.parse(atOnce));
      expect(sliced).toContain('"tagName":"meekijk-ui"');
      expect(walked, `seed ${seed}`).toBe(false);
      await page.close();
    }
    // Any other change to the tree meanwhile: every parent is compared, as before.
    const page = await freshPage();
    const { sliced } = await slicedWithChanges(page, 211, ['ui', 'add'], 1);
    expect(await page.evaluate(() => (window as unknown as Harness).harness.walkedTree())).toBe(true);
    expect(JSON.parse(sliced)).toEqual(JSON.parse(await page.evaluate(() => (window as unknown as Harness).harness.snapshotAtOnce())));
    await page.close();
  });

  it('marks elements that got a shadow root between slices as hosts, empty or not (their adopted stylesheets need it)', async () => {
    let attached = 0;
    for (let seed = 301; seed <= 312; seed++) {
      const page = await freshPage();
      // Only attachments and text: the tree's lists of children may not need a walk at all.
      const { sliced } = await slicedWithChanges(page, seed, seed % 2 ? ['attach', 'text'] : ['attach', 'add', 'text'], 1);
      const atOnce = await page.evaluate(() => (window as unknown as Harness).harness.snapshotAtOnce());
      expect(JSON.parse(sliced), `seed ${seed}`).toEqual(JSON.parse(atOnce));
      attached += (sliced.match(/"isShadowHost":true/g) ?? []).length - 1;
      await page.close();
    }
    // The test attached shadow roots to elements the slices had already serialised (beyond #host's).
    expect(attached).toBeGreaterThan(20);
  });

  it('replays to the page as it is, with every kind of change between slices and after', async () => {
    for (let seed = 101; seed <= 115; seed++) {
      const page = await freshPage();
      const kinds: Change[] = ['add', 'remove', 'move', 'text', 'attribute', 'rule', 'ui'];
      await slicedWithChanges(page, seed, kinds, 2);
      // rrweb's mutation observer reports in a microtask: let it, then change some more after the snapshot.
      await page.evaluate(async (kinds, after) => {
        const { harness } = window as unknown as Harness;
        // One change a task: rrweb's own replay of many moves within one mutation batch is not exact.
        for (let i = 0; i < after; i++) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          harness.change(kinds);
        }
      }, kinds, 20);
      const live = await page.evaluate(async () => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        return document.body.innerHTML;
      });
      const replayed = await page.evaluate(() => (window as unknown as Harness).harness.replay());
      expect(normalise(replayed), `seed ${seed}`).toBe(normalise(live));
      await page.close();
    }
  });
});

/** The replay leaves scripts out and turns autocomplete off in its form fields: compare the rest. */
function normalise(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<noscript[\s\S]*?<\/noscript>/g, '')
    .replace(/ autocomplete="off"/g, '');
}
