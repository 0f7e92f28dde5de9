/**
 * rrweb's recorder with the untainted-check patch (scripts/rrweb-untainted-check.ts), in real Chromium:
 * starting to record no longer loads a hidden iframe into the page, and a page that really has patched
 * the DOM methods is still read through untainted ones.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type Plugin, type Rollup } from 'vite';
import type { Browser } from 'puppeteer-core';
import { rrwebUntaintedCheck } from '@/scripts/rrweb-untainted-check';
import { launchPlain } from './support/browser';

let browser: Browser;
const bundles: { stock?: string; patched?: string } = {};

/** rrweb's `record` as a script that sets `window.rrwebRecord`, built with the given plugins. */
async function bundleRecord(plugins: Plugin[]): Promise<string> {
  const dir = mkdtempSync(join(process.cwd(), 'node_modules', '.meekijk-untainted-'));
  try {
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, `import { record } from 'rrweb';\n(window as any).rrwebRecord = record;\n`);
    const result = (await build({
      configFile: false,
      logLevel: 'silent',
      root: process.cwd(),
      plugins,
      build: { write: false, minify: false, lib: { entry, formats: ['iife'], name: 'untaintedHarness', fileName: 'harness' } },
    })) as Rollup.RollupOutput[] | Rollup.RollupOutput;
    const output = Array.isArray(result) ? result[0]! : result;
    return output.output.map((chunk) => ('code' in chunk ? chunk.code : '')).join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  bundles.stock = await bundleRecord([]);
  bundles.patched = await bundleRecord([rrwebUntaintedCheck()]);
  browser = await launchPlain();
});

afterAll(async () => {
  await browser?.close();
});

const PAGE = `<!doctype html><html><head><title>untainted</title></head><body>
  <div id="host"></div><ul>${Array.from({ length: 20 }, (_, i) => `<li>item ${i}</li>`).join('')}</ul>
  <script>document.getElementById('host').attachShadow({ mode: 'open' }).innerHTML = '<p>shadow</p>';</script>
</body></html>`;

/**
 * Records the page for a moment with the given rrweb build; counts the iframes that were added to the
 * document meanwhile, and returns the text of the shadow root's paragraph as recorded.
 */
async function recordOnce(code: string, { patchPage = false } = {}): Promise<{ iframes: number; shadowText: string | undefined }> {
  const page = await browser.newPage();
  try {
    await page.setContent(PAGE, { waitUntil: 'load' });
    if (patchPage) {
      // What a page library might do: wrap querySelector. rrweb must then read through a clean copy.
      await page.evaluate(() => {
        const original = Element.prototype.querySelector;
        Element.prototype.querySelector = function (this: Element, selector: string) {
          return original.call(this, selector);
        };
      });
    }
    await page.addScriptTag({ content: code });
    return (await page.evaluate(async () => {
      let iframes = 0;
      new MutationObserver((records) => {
        for (const r of records) for (const n of r.addedNodes) if (n.nodeName === 'IFRAME') iframes++;
      }).observe(document, { childList: true, subtree: true });
      const events: Array<{ type: number; data: unknown }> = [];
      const stop = (window as unknown as { rrwebRecord: (o: object) => () => void }).rrwebRecord({ emit: (e: { type: number; data: unknown }) => events.push(e) });
      await new Promise((resolve) => setTimeout(resolve, 50));
      stop();
      const snapshot = JSON.stringify(events.find((e) => e.type === 2)?.data ?? null);
      return { iframes, shadowText: /"textContent":"(shadow)"/.exec(snapshot)?.[1] };
    })) as { iframes: number; shadowText: string | undefined };
  } finally {
    await page.close();
  }
}

describe('rrweb with the untainted-check patch', () => {
  it('loads no iframe into the page when recording starts (stock rrweb does)', async () => {
    const stock = await recordOnce(bundles.stock!);
    expect(stock.iframes).toBeGreaterThan(0);
    const patched = await recordOnce(bundles.patched!);
    expect(patched.iframes).toBe(0);
    // The snapshot is the same: the shadow root's content is still recorded.
    expect(stock.shadowText).toBe('shadow');
    expect(patched.shadowText).toBe('shadow');
  });

  it('still reads through a clean copy when the page has patched querySelector', async () => {
    const patched = await recordOnce(bundles.patched!, { patchPage: true });
    expect(patched.iframes).toBeGreaterThan(0);
    expect(patched.shadowText).toBe('shadow');
  });
});
