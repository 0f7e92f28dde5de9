/**
 * axe-core (the library, not a hand-written checker) run inside a page: every rule axe ships for WCAG
 * 2.x A and AA and its best practices, every impact. A screen passes when axe finds no violation at all.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'puppeteer-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** The violations axe finds in the page (or frame), each with the selectors of the nodes it names. */
export async function axeViolations(target: Page | Frame, context = 'document'): Promise<AxeViolation[]> {
  // Injected by the DevTools protocol, so an extension page's CSP does not stop it.
  if (!(await target.evaluate('typeof window.axe === "object"'))) await target.evaluate(AXE_SOURCE);
  return (await target.evaluate(`(async () => {
    const result = await window.axe.run(${context}, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  })()`)) as AxeViolation[];
}

/** Readable in a failed expectation: "color-contrast (serious): ... at .a, .b". */
export function describeViolations(violations: AxeViolation[]): string[] {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 5).join(', ')}`);
}

export interface UiRootCopy {
  /** The `lang` the host carries (the extension's language). */
  lang: string | null;
  /** The closed shadow root's children as HTML: our stylesheet first, then the UI as it is on screen. */
  html: string;
}

/**
 * axe on a copy of our in-page UI, read from its CLOSED shadow roots over the DevTools protocol
 * (ClosedUi.roots in ./control.ts: no script in the page, axe included, can reach them): each root rebuilt as an OPEN shadow root of a `<meekijk-ui>` host
 * with its lang, in a page of the same size and language as the customer's page, and axe run over the
 * whole of it (axe enters open shadow roots). The copy has the same elements, attributes, text and
 * stylesheet, so names, roles, ARIA and contrast are those the customer's screen shows.
 */
export async function axeOnUiCopy(copy: Page, roots: UiRootCopy[], pageLang: string): Promise<AxeViolation[]> {
  // The customer's page stands around our UI as a main landmark with its heading (axe's page-level rules
  // are about the page, not us); our hosts go after it in <body>, outside any landmark, as in the real page.
  await copy.setContent(`<!doctype html><html lang="${pageLang}"><head><title>Page</title></head><body><main><h1>Page</h1></main></body></html>`);
  await copy.evaluate((list: UiRootCopy[]) => {
    for (const r of list) {
      const host = document.createElement('meekijk-ui');
      if (r.lang) host.lang = r.lang;
      host.attachShadow({ mode: 'open' }).innerHTML = r.html;
      document.body.append(host);
    }
  }, roots);
  return axeViolations(copy);
}
