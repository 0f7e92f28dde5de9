/**
 * Redis for several instances (MEEKIJK_REDIS_URL): one connection for commands, one for subscriptions
 * (a subscribed Redis connection can do nothing else). `ioredis` is loaded only when Redis is configured.
 */
import type { Redis } from 'ioredis';

export interface RedisLink {
  commands: Redis;
  subscriber: Redis;
  /** Prefix of every key and channel (MEEKIJK_REDIS_PREFIX). */
  prefix: string;
  close(): Promise<void>;
}

export async function connectRedis(url: string, prefix: string): Promise<RedisLink> {
  const { Redis: Client } = await import('ioredis');
  // Commands issued while Redis is briefly away are queued and retried by ioredis; a request that cannot
  // reach it fails after its retries instead of hanging (maxRetriesPerRequest).
  const open = async () => {
    const client = new Client(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    await client.connect();
    return client;
  };
  const commands = await open();
  try {
    const subscriber = await open();
    return {
      commands,
      subscriber,
      prefix,
      async close() {
        await Promise.allSettled([commands.quit(), subscriber.quit()]);
      },
    };
  } catch (error) {
    commands.disconnect();
    throw error;
  }
}
