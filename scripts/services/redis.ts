/** A throwaway Redis (Debian's redis-server) on a free port on 127.0.0.1, no persistence, stopped after. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { startDaemon, waitForPort } from './process';

export interface ThrowawayRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<ThrowawayRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'meekijk-redis-'));
  const port = await freePort();
  const daemon = startDaemon('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes',
  ]);
  try {
    await waitForPort(daemon, port, 'redis-server');
  } catch (error) {
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await daemon.stop('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
