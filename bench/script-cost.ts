/**
 * `npm run bench:script-cost -- [--rounds=15]`: what the built content scripts cost the customer's page to
 * compile and run, the part of the injection at consent that happens on the page's own main thread.
 * Each script runs as an inline script in a fresh page of a plain Chromium (no extension), timed around
 * its insertion, rounds alternating between the scripts so drift hits all alike; prints size and the
 * median, fastest and slowest run. Compare two builds by running it on each.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { EXTENSION_DIR, launchPlain } from '@/tests/e2e/support/browser';
import { wholeFlag } from './args';
import { percentile } from './probes';

const rounds = wholeFlag('rounds', 15, 1, 200);

const SCRIPTS = ['content-scripts/tab.js', 'content-scripts/recorder.js'];
const sources = SCRIPTS.map((file) => {
  try {
    return { file, source: readFileSync(path.join(EXTENSION_DIR, file), 'utf8') };
  } catch {
    console.error(`${file} is not built: run \`npm run build\` first`);
    process.exit(2);
  }
});

// A page on 127.0.0.1, a secure context as the customer's https page is (the tab script needs crypto.randomUUID).
const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<title>script cost</title><p>page</p>'));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

const browser = await launchPlain();
try {
  const errors = new Set<string>();
  const times = new Map<string, number[]>(SCRIPTS.map((file) => [file, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [...sources].reverse() : sources;
    for (const { file, source } of order) {
      const page = await browser.newPage();
      page.on('pageerror', (error) => errors.add(`${file}: ${error instanceof Error ? error.message : String(error)}`));
      await page.goto(pageUrl);
      // The isolated script expects the extension API; a stand-in lets its top level run to the end.
      // (A string, not a function: tsx would add helpers to a function that the page does not have.)
      const ms = (await page.evaluate(`(() => {
        const listeners = { addListener() {}, removeListener() {}, hasListener: () => false };
        const port = { name: 'stand-in', onMessage: listeners, onDisconnect: listeners, postMessage() {}, disconnect() {} };
        globalThis.chrome = {
          runtime: { id: 'bench', connect: () => port, sendMessage: () => undefined, onMessage: listeners, onConnect: listeners, getURL: (p) => p },
          i18n: { getMessage: () => '', getUILanguage: () => 'nl' },
          storage: { local: { get: () => undefined, set: () => undefined }, session: { get: () => undefined, set: () => undefined } },
        };
        const script = document.createElement('script');
        script.textContent = ${JSON.stringify(source)};
        const start = performance.now();
        document.head.append(script);
        return performance.now() - start;
      })()`)) as number;
      times.get(file)!.push(ms);
      await page.close();
    }
  }
  console.log(`compile and run in a fresh page, ${rounds} rounds: size / median / fastest / slowest`);
  for (const { file, source } of sources) {
    const sorted = times.get(file)!.sort((a, b) => a - b);
    const kb = (Buffer.byteLength(source) / 1024).toFixed(0);
    console.log(`  ${file.padEnd(28)} ${kb.padStart(4)} kB  ${percentile(sorted, 50).toFixed(1)} / ${sorted[0]!.toFixed(1)} / ${sorted.at(-1)!.toFixed(1)} ms`);
  }
  // A script that threw stopped early, and its time says little.
  for (const error of errors) console.log(`  error (that run is cut short): ${error.slice(0, 200)}`);
} finally {
  await browser.close();
  server.close();
}
