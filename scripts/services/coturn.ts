/** coturn (Debian's package) in the foreground with deploy/turnserver.conf on a free port on 127.0.0.1. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './free-port';
import { startDaemon, waitForPort, type Daemon } from './process';

export const TURN_CONFIG = resolve('deploy/turnserver.conf');

export interface Turn extends Daemon {
  /** For MEEKIJK_TURN_URLS. */
  url: string;
  secret: string;
}

export async function startCoturn(secret: string): Promise<Turn> {
  const dir = mkdtempSync(join(tmpdir(), 'meekijk-turn-'));
  const port = await freePort();
  const daemon = startDaemon('turnserver', [
    '-c', TURN_CONFIG,
    '--listening-ip', '127.0.0.1', '--relay-ip', '127.0.0.1', '--listening-port', String(port),
    '--static-auth-secret', secret,
    '--allow-loopback-peers',
    '--pidfile', join(dir, 'turnserver.pid'), '--userdb', join(dir, 'turndb'), '--log-file', 'stdout', '--verbose',
  ]);
  try {
    await waitForPort(daemon, port, 'turnserver');
  } catch (error) {
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...daemon,
    url: `turn:127.0.0.1:${port}?transport=udp`,
    secret,
    stop: async (signal) => {
      await daemon.stop(signal);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
