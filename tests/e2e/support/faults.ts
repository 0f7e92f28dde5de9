/**
 * Faults made on purpose (issue 17), scoped to one test's own browser so the other WebRTC runs on this
 * loopback are untouched: the browser (the customer's: Chromium, or Firefox with its child processes) is
 * started through a wrapper that moves it into a fresh cgroup (v2), and the UDP drop matches that cgroup
 * only, for IPv4 and IPv6 (Chromium here pairs `fd00::` candidates).
 * Rules are always removed (`restore()` in a finally). The service worker and the offscreen document are
 * stopped by closing their DevTools targets from a browser-level session that is detached afterwards.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { chromiumPath } from './browser';

const CGROUP_ROOT = '/sys/fs/cgroup/unified';

export interface BrowserCgroup {
  /** The executable to launch the browser with: it joins the cgroup, then execs the browser. */
  executable: string;
  /** Another wrapper into the same cgroup (the viewer's own Chromium, when the customer is in Firefox). */
  wrap(browserPath: string): string;
  /**
   * Drops every UDP packet the browser sends (both families; on this machine all of it is loopback, the
   * `fd00::` pair included), and its TCP too except to `keepPorts` (the server's signalling and the
   * fixture pages) and from `keepSourcePorts` (Firefox's WebDriver BiDi server, which drives the test):
   * the browsers also gather ICE-TCP candidates, which could carry the channel on. Returns the undo.
   */
  dropPeers(keepPorts: number[], keepSourcePorts?: number[]): () => void;
  /** Resets the browser's TCP connections to `port` (IPv4) while on: every packet it sends there gets an RST. Returns the undo. */
  resetTcpTo(port: number): () => void;
  /** Packets the drop rules have matched so far (proof that the rule bites). */
  dropped(): number;
  /** Removes the rules, the wrapper and the cgroup (call it after the browser closed). */
  remove(): Promise<void>;
}

const ruleSets = (cgroup: string, keepPorts: number[], keepSourcePorts: number[]) => [
  ['OUTPUT', '-p', 'udp', '-m', 'cgroup', '--path', cgroup, '-j', 'DROP'],
  [
    'OUTPUT', '-p', 'tcp', '-m', 'cgroup', '--path', cgroup, '-m', 'multiport', '!', '--dports', keepPorts.join(','),
    ...(keepSourcePorts.length > 0 ? ['-m', 'multiport', '!', '--sports', keepSourcePorts.join(',')] : []),
    '-j', 'DROP',
  ],
];
const TOOLS = ['iptables', 'ip6tables'] as const;

export function faultsAvailable(): boolean {
  return process.getuid?.() === 0 && existsSync(`${CGROUP_ROOT}/cgroup.procs`) && TOOLS.every((t) => existsSync(`/usr/sbin/${t}`));
}

/** `browserPath`: what the wrapper execs (Chromium unless the customer is in Firefox). */
export function browserCgroup(browserPath = chromiumPath()): BrowserCgroup {
  const name = `meekijk-e2e-${process.pid}-${Date.now().toString(36)}`;
  const dir = path.join(CGROUP_ROOT, name);
  mkdirSync(dir);
  const wrappers: string[] = [];
  const wrap = (browserPath: string) => {
    const file = path.join(tmpdir(), `${name}-${wrappers.length}.sh`);
    writeFileSync(file, `#!/bin/sh\necho $$ > ${dir}/cgroup.procs\nexec ${browserPath} "$@"\n`);
    chmodSync(file, 0o755);
    wrappers.push(file);
    return file;
  };
  const executable = wrap(browserPath);
  let active: string[][] = [];
  const undo = () => {
    for (const tool of TOOLS) {
      for (const rule of active) {
        try {
          execFileSync(tool, ['-D', ...rule], { stdio: 'ignore' });
        } catch {
          // already gone
        }
      }
    }
    active = [];
  };
  return {
    executable,
    wrap,
    dropPeers(keepPorts, keepSourcePorts = []) {
      active = ruleSets(name, keepPorts, keepSourcePorts);
      for (const tool of TOOLS) for (const rule of active) execFileSync(tool, ['-A', ...rule]);
      return undo;
    },
    resetTcpTo(port) {
      const rule = ['OUTPUT', '-p', 'tcp', '-m', 'cgroup', '--path', name, '--dport', String(port), '-j', 'REJECT', '--reject-with', 'tcp-reset'];
      execFileSync('iptables', ['-A', ...rule]);
      return () => {
        try {
          execFileSync('iptables', ['-D', ...rule], { stdio: 'ignore' });
        } catch {
          // already gone
        }
      };
    },
    dropped() {
      let total = 0;
      for (const tool of TOOLS) {
        const out = execFileSync(tool, ['-L', 'OUTPUT', '-v', '-x', '-n'], { encoding: 'utf8' });
        for (const line of out.split('\n')) if (line.includes(name)) total += Number(line.trim().split(/\s+/)[0]) || 0;
      }
      return total;
    },
    async remove() {
      undo();
      for (const file of wrappers) rmSync(file, { force: true });
      // The browser's last processes may still be exiting: the cgroup can go once they have.
      for (let i = 0; i < 50; i++) {
        try {
          rmdirSync(dir);
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    },
  };
}

/** Closes the extension's targets of `type` whose URL matches, from a browser-level session detached after. */
export async function closeExtensionTargets(browser: Browser, extensionId: string, match: (type: string, url: string) => boolean): Promise<number> {
  const session = await browser.target().createCDPSession();
  try {
    const { targetInfos } = await session.send('Target.getTargets');
    const targets = targetInfos.filter((t) => t.url.startsWith(`chrome-extension://${extensionId}/`) && match(t.type, t.url));
    for (const t of targets) await session.send('Target.closeTarget', { targetId: t.targetId });
    return targets.length;
  } finally {
    await session.detach();
  }
}

/** How many DevTools sessions are attached to the extension's service worker (none may be, or it stays alive). */
export async function workerAttached(browser: Browser, extensionId: string): Promise<boolean> {
  const session = await browser.target().createCDPSession();
  try {
    const { targetInfos } = await session.send('Target.getTargets');
    return targetInfos.some((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`) && t.attached);
  } finally {
    await session.detach();
  }
}

/**
 * Stops the extension's service worker the way chrome://serviceworker-internals does (DevTools protocol,
 * ServiceWorker.stopWorker), from a session on an extension page that is detached after: closing the
 * worker's target leaves it running while puppeteer's own session stays attached to it.
 */
export async function stopServiceWorker(page: import('puppeteer-core').Page, extensionId: string): Promise<number> {
  const session = await page.createCDPSession();
  try {
    const versions = new Promise<Array<{ versionId: string; scriptURL: string; runningStatus: string }>>((resolve) => {
      session.on('ServiceWorker.workerVersionUpdated', (event: { versions: Array<{ versionId: string; scriptURL: string; runningStatus: string }> }) => resolve(event.versions));
    });
    await session.send('ServiceWorker.enable');
    const ours = (await Promise.race([versions, new Promise<[]>((r) => setTimeout(() => r([]), 3_000))])).filter(
      (v) => v.scriptURL.startsWith(`chrome-extension://${extensionId}/`) && v.runningStatus === 'running',
    );
    for (const v of ours) await session.send('ServiceWorker.stopWorker', { versionId: v.versionId });
    return ours.length;
  } finally {
    await session.detach();
  }
}
