/**
 * The Firefox store package passes Mozilla's linter (web-ext lint, what addons.mozilla.org runs on an
 * upload): no errors, and every warning explained in store-assets/firefox-lint.md. On the built
 * extension, like the other files here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFirefoxLint, parseExplained, unexplained } from '@/scripts/firefox-lint';

describe('Firefox store package', () => {
  it('web-ext lint: no errors, no unexplained warnings', async () => {
    const { report, unexplained: left } = await checkFirefoxLint();
    expect(report.errors).toEqual([]);
    expect(left).toEqual([]);
  }, 120_000);

  it('a warning is explained only by its code and its file', () => {
    const explained = parseExplained('| `UNSAFE_VAR_ASSIGNMENT` | `chunks/popup-*.js` | Preact |\n| not a row |');
    const warning = (code: string, file: string) => ({ code, file, message: '' });
    const report = { errors: [], notices: [], warnings: [warning('UNSAFE_VAR_ASSIGNMENT', 'chunks/popup-ABC.js'), warning('UNSAFE_VAR_ASSIGNMENT', 'background.js'), warning('OTHER', 'chunks/popup-ABC.js')] };
    expect(unexplained(report, explained).map((w) => `${w.code} ${w.file}`)).toEqual(['UNSAFE_VAR_ASSIGNMENT background.js', 'OTHER chunks/popup-ABC.js']);
    // The real table parses to at least the one row it holds.
    expect(parseExplained(readFileSync('store-assets/firefox-lint.md', 'utf8')).length).toBeGreaterThan(0);
  });
});
