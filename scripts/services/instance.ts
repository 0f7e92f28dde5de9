/**
 * A Meekijk instance as a child process, started the way deploy/meekijk@.service starts it: that unit's
 * ExecStart and Environment lines, read from the file, so the unit the docs show is the one tested. The
 * EnvironmentFile values are passed in by the caller (database, Redis, port, ...).
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { startDaemon, waitForPort, type Daemon } from './process';

export const UNIT_FILE = resolve('deploy/meekijk@.service');

export interface ServiceUnit {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export function readUnit(path = UNIT_FILE): ServiceUnit {
  const lines = readFileSync(path, 'utf8').split('\n').map((line) => line.trim());
  const exec = lines.find((line) => line.startsWith('ExecStart='))?.slice('ExecStart='.length).split(/\s+/) ?? [];
  const [program, ...args] = exec;
  if (program === undefined) throw new Error(`${path}: no ExecStart`);
  const env: Record<string, string> = {};
  for (const line of lines) {
    const match = /^Environment=([A-Z_]+)=(.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) env[match[1]] = match[2];
  }
  // The unit names /usr/bin/node; run the node that runs us (same version, wherever it is installed).
  return { command: basename(program) === 'node' ? process.execPath : program, args, env };
}

export interface Instance extends Daemon {
  url: string;
  port: number;
}

/** Starts one instance on `port` (127.0.0.1) with the unit's environment plus `env`; resolves when it listens. */
export async function startInstance(port: number, env: Record<string, string>): Promise<Instance> {
  const unit = readUnit();
  const daemon = startDaemon(unit.command, unit.args, {
    cwd: resolve('.'),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...unit.env, ...env, MEEKIJK_PORT: String(port) },
  });
  await waitForPort(daemon, port, `meekijk instance on ${port}`, 60_000);
  return { ...daemon, url: `http://127.0.0.1:${port}`, port };
}
