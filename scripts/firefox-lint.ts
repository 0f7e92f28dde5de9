/**
 * `web-ext lint` (Mozilla's addons-linter, what addons.mozilla.org runs on an upload) on the Firefox
 * package, held to: no errors, and no warning that store-assets/firefox-lint.md does not explain. A
 * warning is explained by a row of that file's table naming its code and the file it is in.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

export interface LintMessage {
  code: string;
  file?: string;
  message: string;
}

export interface LintReport {
  errors: LintMessage[];
  warnings: LintMessage[];
  notices: LintMessage[];
}

export const EXPLAINED = path.resolve('store-assets/firefox-lint.md');

/** Rows `| \`CODE\` | \`file pattern\` | why |` of the explanations file. */
export function parseExplained(markdown: string): Array<{ code: string; file: RegExp }> {
  const rows: Array<{ code: string; file: RegExp }> = [];
  for (const line of markdown.split('\n')) {
    const match = /^\|\s*`([A-Z_]+)`\s*\|\s*`([^`]+)`\s*\|/.exec(line);
    if (!match) continue;
    const glob = match[2]!.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*');
    rows.push({ code: match[1]!, file: new RegExp(`^${glob}$`) });
  }
  return rows;
}

export function unexplained(report: LintReport, explained: Array<{ code: string; file: RegExp }>): LintMessage[] {
  return report.warnings.filter((w) => !explained.some((e) => e.code === w.code && e.file.test(w.file ?? '')));
}

export async function lintFirefox(sourceDir = path.resolve('.output/firefox-mv3')): Promise<LintReport> {
  const bin = path.resolve('node_modules/.bin/web-ext');
  const run = promisify(execFile);
  // web-ext exits non-zero when there are errors; the JSON on stdout says which.
  const { stdout } = await run(bin, ['lint', '--source-dir', sourceDir, '--output', 'json', '--no-config-discovery'], { maxBuffer: 16 << 20 }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  const report = JSON.parse(stdout) as LintReport;
  return report;
}

export async function checkFirefoxLint(sourceDir?: string): Promise<{ report: LintReport; unexplained: LintMessage[] }> {
  const report = await lintFirefox(sourceDir);
  return { report, unexplained: unexplained(report, parseExplained(await readFile(EXPLAINED, 'utf8'))) };
}
