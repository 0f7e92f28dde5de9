/**
 * `npm run serve`: load config, start, and tell the operator where everything is. Errors an operator can
 * fix (bad config value, port in use) are one line and exit code 2, never a stack trace.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PortInUseError, startServer } from './app';
import { ensureFirstTechnician, writeFirstPassword } from './cli/first-technician';
import { ConfigError, loadConfig } from './config';
import { KeyFileError } from './key-file';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const server = await startServer(config);
  const created = await ensureFirstTechnician(server.db, config);
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(`Meekijk server running.`);
  out(`  Viewer:    ${server.publicUrl}/`);
  out(`  Sign in with a technician account (add one: npm run technician:add -- --name "..." --email ...).`);
  if (created) {
    // On PostgreSQL there is no database file: the password goes beside the key file (the state folder).
    const file = writeFirstPassword(config.databaseUrl === null ? config.dbPath : config.keyFile, created.email, created.password);
    out();
    out(`  First start: created technician ${created.email}.`);
    out(`  Its password is in ${file} (readable by this user only): sign in, then delete the file.`);
  }
  out();
  for (const [browser, folder] of [['Chrome', '.output/chrome-mv3'], ['Firefox', '.output/firefox-mv3']] as const) {
    const path = resolve(folder);
    out(`  Extension (${browser}): ${path}${existsSync(path) ? '' : '  [missing: run npm run build]'}`);
  }
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof PortInUseError || error instanceof KeyFileError) {
    process.stderr.write(`meekijk: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`meekijk: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
