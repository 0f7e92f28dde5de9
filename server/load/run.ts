/**
 * npm run load: SESSIONS (default 2,000) concurrent sessions, first against one instance with SQLite, then
 * across two instances (scripts/services/cluster.ts: PostgreSQL, Redis, two instances) with each session's
 * technician on one instance and its customer on the other. Every instance is its own process, started as
 * deploy/meekijk@.service starts it (scripts/services/instance.ts), so both runs measure the same way and
 * the load client does not share a CPU thread with a server. Prints both runs side by side (signalling
 * p50/p99, API p50/p99); exits non-zero on any error. Loopback only. MEEKIJK_LOAD_ONLY=single|cluster runs
 * one of the two.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster } from '../../scripts/services/cluster';
import { freePort } from '../../scripts/services/free-port';
import { startInstance } from '../../scripts/services/instance';
import { hashPassword } from '../auth/passwords';
import { openDatabase } from '../db/open';
import { insertTechnician } from '../db/technicians';
import { runScenario, type LoadResult } from './scenario';
import { percentile, summary } from './stats';

// Bounded: 1..5000 sessions (default 2000), whatever the environment says.
const SESSIONS = Math.min(5000, Math.max(1, Math.floor(Number(process.env.MEEKIJK_LOAD_SESSIONS ?? 2000)) || 2000));
const ONLY = process.env.MEEKIJK_LOAD_ONLY;
const TOTAL_TIMEOUT_MS = 600_000;
const LOGIN = { email: 'load@meekijk.local', password: 'load-test-password-123' };
const technician = async () => ({ name: 'Load', email: LOGIN.email, organisation: 'Reconi', passwordHash: await hashPassword(LOGIN.password, { memoryKib: 19_456, timeCost: 2 }), now: Date.now() });

// One technician runs every session: the per-technician cap on live sessions (default 5) is lifted.
const LOAD_ENV = { MEEKIJK_MAX_LIVE_SESSIONS: '10000' };

async function single(): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'meekijk-load-'));
  const dbPath = join(dir, 'load.sqlite');
  try {
    const db = await openDatabase({ dbPath, databaseUrl: null });
    try {
      await insertTechnician(db, await technician());
    } finally {
      await db.destroy();
    }
    const instance = await startInstance(await freePort(), { ...LOAD_ENV, MEEKIJK_DB: dbPath });
    try {
      return await runScenario([instance.url], SESSIONS, LOGIN);
    } finally {
      await instance.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function cluster(): Promise<LoadResult> {
  const running = await startCluster(LOAD_ENV);
  try {
    const db = await openDatabase({ dbPath: '', databaseUrl: running.databaseUrl });
    try {
      await insertTechnician(db, await technician());
    } finally {
      await db.destroy();
    }
    return await runScenario(running.instances.map((instance) => instance.url), SESSIONS, LOGIN);
  } finally {
    await running.stop();
  }
}

function report(label: string, result: LoadResult): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`\n${label}`);
  out(`  sessions:            ${result.sessions} (all ${result.concurrent} connected at once before ending)`);
  out(`  signalling one-way:  ${summary(result.offerMs)}  (customer OFFER -> viewer)`);
  out(`  signalling RTT:      ${summary(result.roundTripMs)}  (OFFER -> ANSWER back at customer)`);
  out(`  API requests:        ${summary(result.apiMs)}`);
  for (const [endpoint, samples] of result.perEndpoint) if (samples.length > 1) out(`    ${endpoint.padEnd(32)} ${summary(samples)}`);
  out(`  established in:      ${(result.establishedMs / 1000).toFixed(2)} s; total ${(result.totalMs / 1000).toFixed(2)} s`);
  out(`  errors:              ${result.errors.length}`);
  for (const error of result.errors.slice(0, 10)) out(`    ${error}`);
}

async function main(): Promise<number> {
  const deadline = setTimeout(() => {
    process.stderr.write(`load: gave up after ${TOTAL_TIMEOUT_MS / 1000} s\n`);
    process.exit(3);
  }, TOTAL_TIMEOUT_MS);
  const runs: Array<[string, LoadResult]> = [];
  if (ONLY !== 'cluster') runs.push(['one instance, SQLite', await single()]);
  if (ONLY !== 'single') runs.push(['two instances, PostgreSQL + Redis (technician and customer on different instances)', await cluster()]);
  clearTimeout(deadline);
  for (const [label, result] of runs) report(label, result);
  const f = (n: number) => `${n.toFixed(1)} ms`.padStart(10);
  process.stdout.write(`\n${'p99'.padEnd(24)}${runs.map(([label]) => label.split(',')[0]?.padStart(16)).join('')}\n`);
  for (const [name, pick] of [['signalling RTT', (r: LoadResult) => r.roundTripMs], ['API request', (r: LoadResult) => r.apiMs]] as const) {
    process.stdout.write(`${name.padEnd(24)}${runs.map(([, r]) => f(percentile(pick(r), 99)).padStart(16)).join('')}\n`);
  }
  return runs.every(([, r]) => r.errors.length === 0 && r.concurrent === r.sessions) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`load: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
