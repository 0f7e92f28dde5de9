/**
 * The build plugin that keeps PostCSS out of the page-world recorder (scripts/rrweb-record-only.ts),
 * checked against the rrweb actually installed and the bundler actually used.
 */
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build, type Rollup } from 'vite';
import { transform } from 'esbuild';
import { makePostcssRemovable, rrwebRecordOnly } from '@/scripts/rrweb-record-only';

const rrwebSource = readFileSync(new URL('../../../node_modules/rrweb/dist/rrweb.js', import.meta.url), 'utf8');
// Inside the project, so the entry resolves `rrweb` from its node_modules.
const dir = mkdtempSync(join(process.cwd(), 'node_modules', '.meekijk-rrweb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One entry bundled for the browser as the extension build does it, with or without the plugin. */
async function bundle(entrySource: string, withPlugin: boolean): Promise<string> {
  const entry = join(dir, `entry-${Math.random().toString(36).slice(2)}.js`);
  writeFileSync(entry, entrySource);
  const result = (await build({
    configFile: false,
    logLevel: 'silent',
    root: process.cwd(),
    plugins: withPlugin ? [rrwebRecordOnly()] : [],
    build: { write: false, minify: false, lib: { entry, formats: ['es'], fileName: 'out' } },
  })) as Rollup.RollupOutput[] | Rollup.RollupOutput;
  const output = Array.isArray(result) ? result[0]! : result;
  return output.output.map((chunk) => ('code' in chunk ? chunk.code : '')).join('\n');
}

describe('makePostcssRemovable', () => {
  it('rewrites the installed rrweb, and the result is still valid JavaScript', async () => {
    const { code, rewritten } = makePostcssRemovable(rrwebSource);
    expect(rewritten).toBeGreaterThan(0);
    expect(code).not.toMatch(/^\s*import_postcss(\$\d+)?\.default(\.\w+)?;\s*$/m);
    await expect(transform(code, { format: 'esm', loader: 'js' })).resolves.toBeTruthy();
  });

  it('leaves code without PostCSS as it was', () => {
    const source = 'var a = 1;\nfoo.default;\nexport { a };\n';
    expect(makePostcssRemovable(source)).toEqual({ code: source, rewritten: 0 });
  });

  it('turns the module call into a lazy module and a marked call', () => {
    const source = [
      'var import_postcss$1 = /* @__PURE__ */ __toESM$1((/* @__PURE__ */ __commonJSMin$1(((exports, module) => {',
      '\tmodule.exports = {};',
      '})))(), 1);',
      'var postcss_default = import_postcss$1.default;',
      'import_postcss$1.default.parse;',
    ].join('\n');
    const { code, rewritten } = makePostcssRemovable(source);
    expect(rewritten).toBe(3);
    expect(code).toContain('var require_meekijk_import_postcss_1 = /* @__PURE__ */ __commonJSMin$1(((exports, module) => {');
    expect(code).toContain('var import_postcss$1 = /* @__PURE__ */ __toESM$1(/* @__PURE__ */ require_meekijk_import_postcss_1(), 1);');
    expect(code).toContain('var postcss_default = /* @__PURE__ */ (() => import_postcss$1.default)();');
    expect(code).not.toContain('import_postcss$1.default.parse;');
  });
});

describe('rrwebRecordOnly in a real build', () => {
  it('bundles the recorder without PostCSS, and a third smaller', async () => {
    const entry = "import { record } from 'rrweb';\nwindow.rec = record;\n";
    const [before, after] = [await bundle(entry, false), await bundle(entry, true)];
    expect(before).toContain('postcss');
    expect(after).not.toContain('postcss');
    expect(after).toContain('takeFullSnapshot');
    expect(after.length).toBeLessThan(before.length * 0.7);
  }, 60_000);

  it('keeps PostCSS where the replayer needs it', async () => {
    const replay = await bundle("import { Replayer } from 'rrweb';\nwindow.R = Replayer;\n", true);
    expect(replay).toContain('postcssPlugin');
    expect(replay).toMatch(/postcss_default\(\[mediaSelectorPlugin, pseudoClassPlugin\]\)/);
  }, 60_000);
});
