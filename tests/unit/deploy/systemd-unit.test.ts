/**
 * deploy/meekijk@.service as systemd itself reads it (docs/deploy.md): `systemd-analyze verify` on an
 * instance of the template reports nothing (an unknown key, a bad value or a missing program would be a
 * line on stderr). The ExecStart program is the node running this test, as scripts/services/instance.ts
 * runs it: where node lives differs per machine. The e2e tests start the instances with the same lines.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { readUnit, UNIT_FILE } from '@/scripts/services/instance';

const dir = mkdtempSync(join(tmpdir(), 'meekijk-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function verify(text: string): Promise<{ code: number; stderr: string }> {
  const path = join(dir, 'meekijk@1.service');
  writeFileSync(path, text);
  try {
    const { stderr } = await promisify(execFile)('systemd-analyze', ['verify', '--man=no', path], { timeout: 30_000 });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    return { code: failed.code ?? -1, stderr: failed.stderr ?? String(error) };
  }
}

const unit = () => readFileSync(UNIT_FILE, 'utf8').replace(/^ExecStart=\S+/m, `ExecStart=${process.execPath}`);

describe('deploy/meekijk@.service', () => {
  it('passes systemd-analyze verify without a word', async () => {
    expect(await verify(unit())).toEqual({ code: 0, stderr: '' });
  }, 60_000);

  it('the check can fail: an unknown key and a bad value are reported', async () => {
    const broken = unit().replace('Restart=on-failure', 'Restart=sometimes\nRestartHarder=yes');
    const { stderr } = await verify(broken);
    expect(stderr).toContain("Unknown key 'RestartHarder'");
    expect(stderr).toContain('sometimes');
  }, 60_000);

  it('runs the server with tsx from the unit and sets what the instances behind a balancer need', () => {
    const { args, env } = readUnit();
    expect(args).toEqual(['--import', 'tsx', 'server/main.ts']);
    expect(env).toMatchObject({ NODE_ENV: 'production', MEEKIJK_TRUST_PROXY: '1' });
  });
});
