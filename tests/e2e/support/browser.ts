/**
 * Launches the customer's browser with the built extension loaded, the way the e2e suite and the benchmark
 * need it: headless, fresh profile, and WebRTC allowed on loopback (the only network here). Debian's
 * Chromium over the DevTools protocol, or Debian's Firefox ESR over WebDriver BiDi with the Firefox build
 * installed as a temporary add-on.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Extension } from 'puppeteer-core';
import { chromiumExtension, firefoxExtension, type CustomerExtension, type Engine } from './extension';
import { grantInstallHostPermissions } from './gecko';

export const EXTENSION_DIR = path.resolve('.output/chrome-mv3');
export const FIREFOX_EXTENSION_DIR = path.resolve('.output/firefox-mv3');
/** The add-on id of the Firefox build (wxt.config.ts), and the internal UUID the tests pin for it. */
export const FIREFOX_ADDON_ID = 'meekijk@reconi.nl';
export const FIREFOX_UUID = '6d9c3a2e-5b1f-4e8a-9c7d-0e4f2a1b3c5d';

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('Chromium not found: run `apt-get install -y chromium` or set CHROMIUM_PATH');
  return found;
}

export function firefoxPath(): string {
  const candidates = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'].filter(Boolean) as string[];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('Firefox not found: run `apt-get install -y firefox-esr` or set FIREFOX_PATH');
  return found;
}

/**
 * The customer is in Firefox in this run. Tests that do not pass there yet are skipped with
 * `it.skipIf(FIREFOX_CUSTOMER)` and a comment saying why; each one is an open item (issue 21).
 */
export const FIREFOX_CUSTOMER = process.env['MEEKIJK_E2E_CUSTOMER'] === 'firefox';

/** Which browser the customer (and the technician) use in this run: MEEKIJK_E2E_CUSTOMER / _VIEWER. */
export function engineFromEnv(name: 'MEEKIJK_E2E_CUSTOMER' | 'MEEKIJK_E2E_VIEWER'): Engine {
  const value = process.env[name] ?? 'chromium';
  if (value !== 'chromium' && value !== 'firefox') throw new Error(`${name} must be chromium or firefox, not ${value}`);
  return value;
}

/** The flags every launch here uses: no sandbox (root), and nothing the browser would fetch on its own. */
const QUIET_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Debian's Chromium without the extension, for tests and benches that load their own scripts into a page. */
export function launchPlain(options: { defaultViewport?: { width: number; height: number } } = {}): Promise<Browser> {
  return puppeteer.launch({ executablePath: chromiumPath(), headless: true, pipe: true, args: QUIET_ARGS, ...options });
}

export interface LaunchedBrowser {
  browser: Browser;
  extension: CustomerExtension;
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
  const extension = chromiumExtension(browser, await findExtension(browser));
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

/** Firefox preferences for the tests: the add-on's UUID pinned, WebRTC on loopback without prompts. */
const FIREFOX_PREFS = {
  'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ADDON_ID]: FIREFOX_UUID }),
  // No ICE candidates are gathered on loopback alone unless Firefox may use it.
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.no_host': false,
  // Plain host candidates, not mDNS names: the other end (Chromium) cannot resolve .local names here.
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'media.navigator.permission.disabled': true,
  'media.navigator.streams.fake': true,
};

/**
 * Debian's Firefox ESR over WebDriver BiDi with the Firefox build as a temporary add-on. System access
 * lets the test run chrome-privileged script (support/gecko.ts) where a Chromium test uses CDP.
 */
export async function launchFirefoxWithExtension(options: { managed?: Record<string, unknown>; executablePath?: string } = {}): Promise<LaunchedBrowser> {
  if (!existsSync(path.join(FIREFOX_EXTENSION_DIR, 'manifest.json'))) throw new Error('Firefox extension not built: run `npm run build` first');
  // An enterprise policy for the add-on (storage.managed), as IT would set it: Firefox also reads managed
  // storage from ~/.mozilla/managed-storage/<add-on id>.json, so a throwaway HOME holds one per test.
  let home: string | undefined;
  if (options.managed) {
    home = await mkdtemp(path.join(tmpdir(), 'meekijk-firefox-home-'));
    await mkdir(path.join(home, '.mozilla/managed-storage'), { recursive: true });
    const manifest = { name: FIREFOX_ADDON_ID, description: 'Meekijk policy (test)', type: 'storage', data: options.managed };
    await writeFile(path.join(home, '.mozilla/managed-storage', `${FIREFOX_ADDON_ID}.json`), JSON.stringify(manifest));
  }
  const browser = await launchFirefox(home, options.executablePath);
  const installed = await browser.installExtension(FIREFOX_EXTENSION_DIR);
  if (installed !== FIREFOX_ADDON_ID) throw new Error(`the add-on installed as ${installed}, not ${FIREFOX_ADDON_ID}`);
  await grantInstallHostPermissions(browser, FIREFOX_ADDON_ID);
  return {
    browser,
    extension: firefoxExtension(browser, FIREFOX_ADDON_ID, FIREFOX_UUID),
    async close() {
      await browser.close().catch(() => undefined);
      if (home) await rm(home, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

/**
 * Plain Firefox (for the technician's viewer when it runs in Firefox), with the same preferences.
 * `executablePath`: a wrapper that execs Firefox (the fault tests' cgroup, support/faults.ts).
 */
export function launchFirefox(home?: string, executablePath = firefoxPath()): Promise<Browser> {
  return puppeteer.launch({
    ...(home ? { env: { ...process.env, HOME: home } } : {}),
    browser: 'firefox',
    executablePath,
    headless: true,
    defaultViewport: { width: 1280, height: 800 },
    args: ['--remote-allow-system-access'],
    // MEEKIJK_E2E_DUMPIO=1: Firefox's console (the add-on's background page too) on the test's stderr.
    dumpio: Boolean(process.env['MEEKIJK_E2E_DUMPIO']),
    extraPrefsFirefox: {
      ...FIREFOX_PREFS,
      ...(process.env['MEEKIJK_E2E_DUMPIO'] ? { 'devtools.console.stdout.chrome': true, 'devtools.console.stdout.content': true } : {}),
    },
  });
}

/** The technician's browser: no extension, WebRTC on loopback. `executablePath`: a wrapper (support/faults.ts). */
export function launchViewerBrowser(engine: Engine, executablePath?: string): Promise<Browser> {
  if (engine === 'firefox') return launchFirefox(undefined, executablePath);
  return puppeteer.launch({
    executablePath: executablePath ?? chromiumPath(),
    headless: true,
    pipe: true,
    defaultViewport: { width: 1280, height: 800 },
    args: [...QUIET_ARGS, '--allow-loopback-in-peer-connection', '--use-fake-ui-for-media-stream'],
  });
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
