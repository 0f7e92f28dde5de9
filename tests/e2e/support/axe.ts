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
