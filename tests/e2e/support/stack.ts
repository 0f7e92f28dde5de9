/**
 * Everything an end-to-end test needs: the real Meekijk server (in-process, port 0, temp SQLite), a
 * separate origin with the customer's pages, the customer's browser with the built extension pointed at the
 * server, and the technician's browser. Both are Chromium unless MEEKIJK_E2E_CUSTOMER / MEEKIJK_E2E_VIEWER
 * say firefox; with both in Chromium one browser plays both parts (as the suite always did).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { startServer } from '@/server/app';
import { loadConfig } from '@/server/config';
import { insertTechnician } from '@/server/db/technicians';
import { hashPassword } from '@/server/auth/passwords';
import type { Engine } from './extension';
import { engineFromEnv, launchFirefoxWithExtension, launchViewerBrowser, launchWithExtension, type LaunchedBrowser } from './browser';
import { startFixtureServer, type FixtureServer } from './fixture-server';
import { copyPinnedKeyFile } from './pinned-key';

export const TECHNICIAN = { name: 'Sanne de Vries', email: 'sanne@reconi.nl', password: 'correct horse battery staple', organisation: 'Reconi' };

export interface Stack {
  serverUrl: string;
  fixtures: FixtureServer;
  /** The customer's browser, with the extension. */
  launched: LaunchedBrowser;
  /** The technician's browser (the customer's own when both are Chromium). */
  viewerBrowser: Browser;
  server: Awaited<ReturnType<typeof startServer>>;
  /** Stops the server, runs `whileDown`, waits out `downMs`, and starts it again on the same port and database (a deploy). */
  restartServer(downMs: number, whileDown?: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export async function startStack(
  env: Record<string, string> = {},
  browserArgs: string[] = [],
  engines: { customer?: Engine; viewer?: Engine; serverByPolicy?: boolean; executablePath?: string; viewerExecutablePath?: string } = {},
): Promise<Stack> {
  const dir = await mkdtemp(path.join(tmpdir(), 'meekijk-e2e-'));
  // The server signs invites with the key the extension was built with (unless a test brings its own key file).
  if (!env['MEEKIJK_KEY_FILE']) copyPinnedKeyFile(path.join(dir, 'meekijk.keys.json'));
  // One technician runs every session of a suite, some left waiting: the per-technician cap is raised.
  const config = loadConfig({ MEEKIJK_HOST: '127.0.0.1', MEEKIJK_PORT: '0', MEEKIJK_DB: path.join(dir, 'meekijk.sqlite'), MEEKIJK_MAX_LIVE_SESSIONS: '1000', ...env });
  const server = await startServer(config);
  const passwordHash = await hashPassword(TECHNICIAN.password, config.passwordHash);
  await insertTechnician(server.db, { ...TECHNICIAN, passwordHash, now: Date.now() });
  const fixtures = await startFixtureServer();
  const customerEngine = engines.customer ?? engineFromEnv('MEEKIJK_E2E_CUSTOMER');
  const viewerEngine = engines.viewer ?? engineFromEnv('MEEKIJK_E2E_VIEWER');
  // serverByPolicy (Firefox): the server comes from an enterprise policy instead of the tests' local setting.
  const managed = engines.serverByPolicy ? { managed: { serverUrl: server.url } } : {};
  const launched = customerEngine === 'firefox' ? await launchFirefoxWithExtension({ ...managed, executablePath: engines.executablePath }) : await launchWithExtension(browserArgs, undefined, engines.executablePath);
  const ownViewer = customerEngine === 'firefox' || viewerEngine === 'firefox';
  const viewerBrowser = ownViewer ? await launchViewerBrowser(viewerEngine, engines.viewerExecutablePath) : launched.browser;
  if (!engines.serverByPolicy) await pointExtensionAt(launched, server.url);
  const stack: Stack = {
    serverUrl: server.url,
    fixtures,
    launched,
    viewerBrowser,
    server,
    async restartServer(downMs, whileDown) {
      await stack.server.close();
      const back = Date.now() + downMs;
      await whileDown?.();
      await new Promise((r) => setTimeout(r, Math.max(0, back - Date.now())));
      stack.server = await startServer({ ...config, port: Number(new URL(stack.serverUrl).port) });
    },
    async close() {
      if (ownViewer) await viewerBrowser.close().catch(() => undefined);
      await launched.close();
      await fixtures.close();
      await stack.server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** Test set-up only: point this copy of the extension at the test server (as a self-hoster would). */
export async function pointExtensionAt(launched: LaunchedBrowser, url: string) {
  await poll('extension storage', async () => {
    await launched.extension.evaluate(`chrome.storage.local.set({ serverUrl: ${JSON.stringify(url)} })`);
    return true;
  });
}

export async function poll<T>(what: string, fn: () => Promise<T | undefined | false | null>, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value !== undefined && value !== false && value !== null) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export type { Page };
