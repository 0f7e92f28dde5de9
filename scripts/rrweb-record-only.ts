/**
 * A build plugin for the extension: keeps PostCSS out of the page-world recorder.
 *
 * rrweb's ES bundle carries two copies of PostCSS, which only the replayer uses (to adapt :hover and media
 * rules for replay). Its re-exports read every PostCSS member in bare statements
 * (`import_postcss.default.stringify;`); a bundler must keep a property read it cannot prove harmless, so
 * both copies were parsed and run in the customer's page at every injection, before the first snapshot.
 * Three rewrites make them removable where nothing uses them, and change nothing where something does:
 * - the bare reads go;
 * - the call that runs the PostCSS module (`__toESM((__commonJSMin(...))(), 1)`, whose inner call carries
 *   no purity mark) is marked pure;
 * - the replayer's own `var postcss_default = import_postcss.default` becomes a pure call, so an unused
 *   one is dropped instead of being kept as a bare read.
 * The replayer still gets PostCSS wherever it replays (the viewer is built by its own Vite config anyway).
 *
 * Measured: `npm run bench:first-frame` (docs/performance.md, "PostCSS out of the recorder").
 */
import { rrwebBundlePlugin } from './rrweb-bundle';

/** `import_postcss.default;` and `import_postcss$1.default.Rule;`, each a statement on its own line. */
const BARE_POSTCSS_READ = /^[ \t]*import_postcss(?:\$\d+)?\.default(?:\.[A-Za-z_$][\w$]*)?;[ \t]*$/gm;

/** rrweb's and rrdom's ES bundles, wherever the package manager put them. */
const RRWEB_OR_RRDOM_BUNDLE = /[\\/]node_modules[\\/](?:rrweb|rrdom)[\\/]dist[\\/](?:rrweb|rrdom)\.js$/;

/** `var import_postcss = /* @__PURE__ *\/ __toESM((/* @__PURE__ *\/ __commonJSMin(((exports, module) => {` */
const POSTCSS_MODULE_START =
  /^var (import_postcss(?:\$\d+)?) = \/\* @__PURE__ \*\/ (__toESM(?:\$\d+)?)\(\(\/\* @__PURE__ \*\/ (__commonJSMin(?:\$\d+)?)\(\(\(exports, module\) => \{$/;
/** The line that closes it and runs the module: `})))(), 1);` */
const POSTCSS_MODULE_END = '})))(), 1);';
/** `var postcss_default = import_postcss$1.default;` */
const POSTCSS_DEFAULT = /^var ([A-Za-z_$][\w$]*) = (import_postcss(?:\$\d+)?)\.default;[ \t]*$/gm;

/**
 * The PostCSS module runs through an unmarked call: `__toESM((__commonJSMin(factory))(), 1)`. Split it
 * into a lazy module and a marked call, `var require_x = __commonJSMin(factory); var import_x =
 * __toESM(require_x(), 1)`, the shape every other module in the bundle has.
 */
function markModuleCall(lines: string[]): number {
  let rewritten = 0;
  for (let i = 0; i < lines.length; i++) {
    const start = POSTCSS_MODULE_START.exec(lines[i]!);
    if (!start) continue;
    const end = lines.indexOf(POSTCSS_MODULE_END, i + 1);
    if (end === -1) continue;
    const [, name, toEsm, commonJs] = start;
    const lazy = `require_meekijk_${name!.replace('$', '_')}`;
    lines[i] = `var ${lazy} = /* @__PURE__ */ ${commonJs}(((exports, module) => {`;
    lines[end] = `}));\nvar ${name} = /* @__PURE__ */ ${toEsm}(/* @__PURE__ */ ${lazy}(), 1);`;
    rewritten++;
    i = end;
  }
  return rewritten;
}

/** The source with PostCSS removable where unused, and how many places were rewritten. */
export function makePostcssRemovable(source: string): { code: string; rewritten: number } {
  let rewritten = 0;
  const lines = source
    .replace(BARE_POSTCSS_READ, () => {
      rewritten++;
      return '';
    })
    .replace(POSTCSS_DEFAULT, (_match, name: string, module: string) => {
      rewritten++;
      return `var ${name} = /* @__PURE__ */ (() => ${module}.default)();`;
    })
    .split('\n');
  rewritten += markModuleCall(lines);
  return { code: lines.join('\n'), rewritten };
}

export function rrwebRecordOnly() {
  return rrwebBundlePlugin(
    'meekijk:rrweb-record-only',
    (source, warn) => {
      const { code, rewritten } = makePostcssRemovable(source);
      // A new rrweb that no longer needs this gets nothing from us; say so, so this plugin can go.
      if (rewritten === 0) warn('rrweb no longer carries PostCSS this way: scripts/rrweb-record-only.ts can be removed');
      return code;
    },
    RRWEB_OR_RRDOM_BUNDLE,
  );
}
