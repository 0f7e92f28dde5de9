/** HAProxy (Debian's package) in the foreground with deploy/haproxy.cfg, in front of the given instances. */
import { resolve } from 'node:path';
import { freePort } from './free-port';
import { startDaemon, waitForPort, type Daemon } from './process';

export const HAPROXY_CONFIG = resolve('deploy/haproxy.cfg');

export interface Balancer extends Daemon {
  url: string;
  port: number;
}

/** `instances`: host:port of the two instances (the config names two). */
export async function startHaproxy(instances: [string, string], port?: number): Promise<Balancer> {
  const bindPort = port ?? (await freePort());
  const daemon = startDaemon('haproxy', ['-f', HAPROXY_CONFIG, '-db'], {
    env: {
      PATH: process.env.PATH ?? '',
      MEEKIJK_LB_BIND: `127.0.0.1:${bindPort}`,
      MEEKIJK_INSTANCE_1: instances[0],
      MEEKIJK_INSTANCE_2: instances[1],
    },
  });
  await waitForPort(daemon, bindPort, 'haproxy');
  return { ...daemon, url: `http://127.0.0.1:${bindPort}`, port: bindPort };
}
