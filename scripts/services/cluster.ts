/**
 * The scaled deployment of docs/deploy.md, on loopback: a throwaway PostgreSQL and Redis, two instances
 * started as deploy/meekijk@.service starts them, and HAProxy with deploy/haproxy.cfg in front. Used by
 * tests/e2e/scaled.test.ts and `npm run load`; everything is stopped and deleted by `stop()`.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { startHaproxy, type Balancer } from './haproxy';
import { startInstance, type Instance } from './instance';
import { startPostgres, type ThrowawayPostgres } from './postgres';
import { startRedis, type ThrowawayRedis } from './redis';

export interface Cluster {
  /** The load balancer: the public URL every client uses. */
  url: string;
  databaseUrl: string;
  redisUrl: string;
  instances: Instance[];
  balancer: Balancer;
  /** Starts again (same port, same environment) every instance that is no longer running, and waits until
   * HAProxy's health checks have put it back in both backends: a retried test starts from two instances. */
  revive(): Promise<void>;
  stop(): Promise<void>;
}

/** `keyFile`: the key file the instances start from (the one the extension under test pins); else the first writes one. */
export async function startCluster(env: Record<string, string> = {}, { keyFile }: { keyFile?: string } = {}): Promise<Cluster> {
  const started: Array<{ stop(): Promise<void> }> = [];
  const instances: Instance[] = [];
  const stopAll = async () => {
    for (const instance of instances) await instance.stop().catch(() => undefined);
    for (const part of started.reverse()) await part.stop().catch(() => undefined);
  };
  try {
    const keys = mkdtempSync(join(tmpdir(), 'meekijk-keys-'));
    started.push({ stop: async () => rmSync(keys, { recursive: true, force: true }) });
    const [postgres, redis]: [ThrowawayPostgres, ThrowawayRedis] = await Promise.all([startPostgres(), startRedis()]);
    started.push(postgres, redis);
    const databaseUrl = await postgres.createDatabase();
    const [lbPort, portA, portB] = [await freePort(), await freePort(), await freePort()];
    const shared = {
      MEEKIJK_DATABASE_URL: databaseUrl,
      MEEKIJK_REDIS_URL: redis.url,
      MEEKIJK_PUBLIC_URL: `http://127.0.0.1:${lbPort}`,
      ...env,
    };
    // As docs/deploy.md says: the first instance migrates the database and writes the key file; every other
    // one gets a copy of that file (instances sharing a database must share the keys: server/key-file.ts).
    if (keyFile) copyFileSync(keyFile, join(keys, 'one.keys.json'));
    // The names are deploy/haproxy.cfg's server names.
    const slots = [
      { name: 'one', port: portA, env: { ...shared, MEEKIJK_KEY_FILE: join(keys, 'one.keys.json') } },
      { name: 'two', port: portB, env: { ...shared, MEEKIJK_KEY_FILE: join(keys, 'two.keys.json') } },
    ];
    for (const [index, slot] of slots.entries()) {
      if (index > 0) copyFileSync(join(keys, 'one.keys.json'), slot.env.MEEKIJK_KEY_FILE);
      instances.push(await startInstance(slot.port, slot.env));
    }
    const balancer = await startHaproxy([`127.0.0.1:${portA}`, `127.0.0.1:${portB}`], lbPort);
    started.push(balancer);
    const revive = async () => {
      for (const [index, slot] of slots.entries()) {
        const instance = instances[index];
        if (instance && instance.child.exitCode === null && instance.child.signalCode === null) continue;
        // Both backends (api, signalling) log the server coming back up.
        const upLines = () => balancer.output().split('\n').filter((line) => new RegExp(`Server \\w+/${slot.name} is UP`).test(line)).length;
        const before = upLines();
        instances[index] = await startInstance(slot.port, slot.env);
        await waitFor(() => upLines() >= before + 2, 30_000, `haproxy to put instance ${slot.name} back`);
      }
    };
    return { url: balancer.url, databaseUrl, redisUrl: redis.url, instances, balancer, revive, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function waitFor(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
