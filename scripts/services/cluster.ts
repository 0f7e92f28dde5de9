/**
 * The scaled deployment of docs/deploy.md, on loopback: a throwaway PostgreSQL and Redis, two instances
 * started as deploy/meekijk@.service starts them, and HAProxy with deploy/haproxy.cfg in front. Used by
 * tests/e2e/scaled.test.ts and `npm run load`; everything is stopped and deleted by `stop()`.
 */
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
    // Both at once: the first migrates, the other waits on Kysely's migration lock in PostgreSQL.
    const instances = await Promise.all([startInstance(portA, shared), startInstance(portB, shared)]);
    started.push(...instances);
    const balancer = await startHaproxy([`127.0.0.1:${portA}`, `127.0.0.1:${portB}`], lbPort);
    started.push(balancer);
    return { url: balancer.url, databaseUrl, redisUrl: redis.url, instances, balancer, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
