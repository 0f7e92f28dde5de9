/**
 * A throwaway PostgreSQL cluster (Debian's postgresql package): initdb in a temp folder, the server on a
 * free port on 127.0.0.1, trust auth for the one local user, stopped and deleted after. As root (CI
 * containers) it runs as the `postgres` system user the package creates: PostgreSQL refuses to run as root.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { createDatabase } from './postgres-database';
import { startDaemon, waitForPort } from './process';

export interface ThrowawayPostgres {
  /** postgres://meekijk@127.0.0.1:<port>/postgres */
  url: string;
  /** A fresh, empty database on this cluster; its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const dir = versions.map((v) => join(root, v, 'bin')).find((d) => existsSync(join(d, 'initdb')));
  if (dir === undefined) throw new Error('PostgreSQL not found (/usr/lib/postgresql/*/bin/initdb); run: sudo apt-get install -y postgresql');
  return dir;
}

/** As root: the `postgres` user's ids, which the cluster's processes run as; otherwise ourselves. */
function owner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export async function startPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'meekijk-pg-'));
  const ids = owner();
  if (ids) chownSync(dir, ids.uid, ids.gid);
  const data = join(dir, 'data');
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'meekijk', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C'], { stdio: 'pipe', cwd: dir, ...ids });
  const port = await freePort();
  // Durability off: a test cluster lives for minutes and is deleted after.
  const daemon = startDaemon(join(bin, 'postgres'), [
    '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1',
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=400',
  ], { cwd: dir, ...ids });
  try {
    await waitForPort(daemon, port, 'postgres');
  } catch (error) {
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const url = `postgres://meekijk@127.0.0.1:${port}/postgres`;
  return {
    url,
    createDatabase: () => createDatabase(url),
    async stop() {
      // SIGINT: PostgreSQL's "fast" shutdown (disconnect clients, stop now).
      await daemon.stop('SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
