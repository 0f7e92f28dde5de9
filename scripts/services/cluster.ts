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
  stop(): Promise<void>;
}

export async function startCluster(env: Record<string, string> = {}): Promise<Cluster> {
  const started: Array<{ stop(): Promise<void> }> = [];
  const stopAll = async () => {
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
    const first = await startInstance(portA, { ...shared, MEEKIJK_KEY_FILE: join(keys, 'one.keys.json') });
    started.push(first);
    copyFileSync(join(keys, 'one.keys.json'), join(keys, 'two.keys.json'));
    const second = await startInstance(portB, { ...shared, MEEKIJK_KEY_FILE: join(keys, 'two.keys.json') });
    started.push(second);
    const instances = [first, second];
    const balancer = await startHaproxy([`127.0.0.1:${portA}`, `127.0.0.1:${portB}`], lbPort);
    started.push(balancer);
    return { url: balancer.url, databaseUrl, redisUrl: redis.url, instances, balancer, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
