/**
 * globalSetup of the `server-scaled` test project: the server suite again, on a throwaway PostgreSQL and
 * Redis (Debian's packages) started here on free ports and stopped after. Each test server gets its own
 * database and its own Redis key prefix (tests/server/helpers.ts).
 */
import type { TestProject } from 'vitest/node';
import { startPostgres } from '../../scripts/services/postgres';
import { startRedis } from '../../scripts/services/redis';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  project.provide('postgresUrl', postgres.url);
  project.provide('redisUrl', redis.url);
  return async () => {
    await Promise.all([postgres.stop(), redis.stop()]);
  };
}
