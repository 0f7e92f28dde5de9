/**
 * The build patch that fixes rrweb's untainted-prototype check for Element (scripts/rrweb-untainted-check.ts),
 * against the rrweb actually installed. What it changes in a page is tested in real Chromium
 * (tests/e2e/untainted-check.test.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { transform } from 'esbuild';
import { fixUntaintedCheck } from '@/scripts/rrweb-untainted-check';
import { RrwebPatchError } from '@/scripts/rrweb-bundle';

const rrwebSource = readFileSync(new URL('../../../node_modules/rrweb/dist/rrweb.js', import.meta.url), 'utf8');

/** Each copy's accessor and method lists for Element, as written in the (patched) bundle. */
function elementLists(code: string): Array<{ accessors: string; methods: string }> {
  const tables = [...code.matchAll(/var testableAccessors(\$\d+)? = \{([^;]*?)\};\s*var testableMethods\1 = \{([^;]*?)\};/g)];
  return tables.map(([, , accessors, methods]) => ({
    accessors: /Element: (\[[^\]]*\])/.exec(accessors!)![1]!.replace(/\s+/g, ''),
    methods: /Element: (\[[^\]]*\])/.exec(methods!)![1]!.replace(/\s+/g, ''),
  }));
}

describe('fixUntaintedCheck', () => {
  it('moves querySelector and querySelectorAll to the method checks in every copy of the installed rrweb', async () => {
    const before = elementLists(rrwebSource);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((t) => t.accessors.includes('"querySelector"'))).toBe(true);

    const { code, fixed } = fixUntaintedCheck(rrwebSource);
    expect(fixed).toBe(before.length);
    expect(elementLists(code)).toEqual(before.map(() => ({ accessors: '["shadowRoot"]', methods: '["querySelector","querySelectorAll"]' })));
    await expect(transform(code, { format: 'esm', loader: 'js' })).resolves.toBeTruthy();
  });

  it('changes nothing in a bundle that no longer has the mistake', () => {
    const { code } = fixUntaintedCheck(rrwebSource);
    expect(fixUntaintedCheck(code)).toEqual({ code, fixed: 0 });
  });

  it('refuses a bundle whose tables changed shape but still list a method as an accessor', () => {
    const reordered = rrwebSource.replace(/"shadowRoot",(\s*)"querySelector",/, '"querySelector",$1"shadowRoot",');
    expect(() => fixUntaintedCheck(reordered)).toThrow(RrwebPatchError);
    expect(() => fixUntaintedCheck(reordered)).toThrow(/scripts\/rrweb-untainted-check\.ts must be updated/);
  });
});
