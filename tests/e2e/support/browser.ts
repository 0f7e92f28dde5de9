/**
 * Launches Debian's Chromium with the built extension loaded, the way the e2e suite and the benchmark
 * need it: headless, over a pipe, fresh profile, and WebRTC allowed on loopback (the only network here).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Extension } from 'puppeteer-core';

export const EXTENSION_DIR = path.resolve('.output/chrome-mv3');

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('Chromium not found: run `apt-get install -y chromium` or set CHROMIUM_PATH');
  return found;
}

/** The flags every launch here uses: no sandbox (root), and nothing the browser would fetch on its own. */
const QUIET_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Debian's Chromium without the extension, for tests and benches that load their own scripts into a page. */
export function launchPlain(options: { defaultViewport?: { width: number; height: number } } = {}): Promise<Browser> {
  return puppeteer.launch({ executablePath: chromiumPath(), headless: true, pipe: true, args: QUIET_ARGS, ...options });
}

export interface LaunchedBrowser {
  browser: Browser;
  extension: Extension;
  close(): Promise<void>;
}

/** `profile`: a user data dir to reuse (and keep) across launches, as a browser restart does. */
export async function launchWithExtension(extraArgs: string[] = [], profile?: string, executablePath = chromiumPath()): Promise<LaunchedBrowser> {
  if (!existsSync(path.join(EXTENSION_DIR, 'manifest.json'))) throw new Error('Extension not built: run `npm run build` first');
  const userDataDir = profile ?? (await mkdtemp(path.join(tmpdir(), 'meekijk-chromium-')));
  // On Linux, Chromium takes its UI language (and so the extension's locale) from LANGUAGE, not from
  // --lang, and only for languages whose pack is installed (Debian: chromium-l10n, scripts/ensure-chromium.mjs).
  const lang = extraArgs.find((a) => a.startsWith('--lang='))?.slice('--lang='.length);
  const browser = await puppeteer.launch({
    ...(lang ? { env: { ...process.env, LANGUAGE: lang } } : {}),
    executablePath,
    headless: true,
    pipe: true,
    enableExtensions: [EXTENSION_DIR],
    userDataDir,
    defaultViewport: { width: 1280, height: 800 },
    args: [
      ...QUIET_ARGS,
      '--allow-loopback-in-peer-connection',
      '--use-fake-ui-for-media-stream',
      ...extraArgs,
    ],
  });
  const extension = await findExtension(browser);
  return {
    browser,
    extension,
    async close() {
      await browser.close().catch(() => undefined);
      if (!profile) await rm(userDataDir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

async function findExtension(browser: Browser): Promise<Extension> {
  for (let i = 0; i < 100; i++) {
    const extensions = await browser.extensions();
    const meekijk = [...extensions.values()].find((e) => e.name === 'Meekijk');
    if (meekijk) return meekijk;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the Meekijk extension did not load');
}

/**
 * A fresh profile in which Chromium has the Meekijk button pinned to the toolbar, as a customer who pinned
 * it has (the `extensions.pinned_extensions` preference, which the toolbar reads at start). An unpacked
 * extension's id is the sha-256 of its directory's path, first 32 hex digits written as a-p.
 */
export async function profileWithMeekijkPinned(): Promise<string> {
  const { createHash } = await import('node:crypto');
  const { mkdir, writeFile } = await import('node:fs/promises');
  const id = [...createHash('sha256').update(EXTENSION_DIR).digest('hex').slice(0, 32)].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
  const dir = await mkdtemp(path.join(tmpdir(), 'meekijk-chromium-pinned-'));
  await mkdir(path.join(dir, 'Default'), { recursive: true });
  await writeFile(path.join(dir, 'Default', 'Preferences'), JSON.stringify({ extensions: { pinned_extensions: [id] } }));
  return dir;
}
