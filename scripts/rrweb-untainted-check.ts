/**
 * A build patch for rrweb's recorder: stop it from loading a hidden iframe into the customer's page at
 * every recording start.
 *
 * rrweb reads the DOM through "untainted" prototypes, in case the page has patched `Element.prototype`
 * and the like. Its check for Element lists `querySelector` and `querySelectorAll` among the *accessors*
 * (getters), but they are methods, so the check can never pass: rrweb concludes that Element is always
 * tainted and fetches a fresh prototype from an iframe it appends to the page's `<body>` and removes
 * again, once for each of its bundled copies of the helper. In Chromium with the extension loaded that
 * cost 38 ms of appendChild and remove (a new browsing context each time), a pair of DOM mutations that
 * rrweb then records and discards, and garbage to collect, on the customer's main thread during the first
 * snapshot (`npm run bench:profile`, docs/performance.md). rrweb pull request #1802 (open) makes the same
 * change upstream.
 *
 * The patch moves the two names to the method checks, in every copy of the helper in the bundle. A page
 * that really has patched them still gets the iframe, as before.
 */
import { RrwebPatchError, rrwebBundlePlugin } from './rrweb-bundle';

/**
 * One copy of the helper's two tables: `Element: ["shadowRoot", "querySelector", "querySelectorAll"]`
 * among the accessors, and the `Element: []` of the method table that follows it.
 */
const TABLES =
  /(var testableAccessors(\$\d+)? = \{[^;]*?Element: \[)\s*"shadowRoot",\s*"querySelector",\s*"querySelectorAll"\s*(\][^;]*?\};\s*var testableMethods\2 = \{[^;]*?Element: \[)\]/g;
/** Any accessor table that still lists a method. */
const STILL_BROKEN = /testableAccessors(\$\d+)? = \{[^;]*?"querySelector"/;

/** rrweb's bundle with the Element check fixed, and how many copies of the helper were changed. */
export function fixUntaintedCheck(source: string): { code: string; fixed: number } {
  let fixed = 0;
  const code = source.replace(TABLES, (_match, accessorsHead: string, _suffix: string, between: string) => {
    fixed++;
    return `${accessorsHead}"shadowRoot"${between}"querySelector", "querySelectorAll"]`;
  });
  if (STILL_BROKEN.test(code)) {
    throw new RrwebPatchError(
      "rrweb's untainted-prototype tables changed shape and still list querySelector as an accessor: scripts/rrweb-untainted-check.ts must be updated for this rrweb version",
    );
  }
  return { code, fixed };
}

export function rrwebUntaintedCheck() {
  return rrwebBundlePlugin('meekijk:rrweb-untainted-check', (source, warn) => {
    const { code, fixed } = fixUntaintedCheck(source);
    // A new rrweb that has the fix gets nothing from us; say so, so this plugin can go.
    if (fixed === 0) warn("rrweb's untainted-prototype check no longer needs fixing: scripts/rrweb-untainted-check.ts can be removed");
    return code;
  });
}
