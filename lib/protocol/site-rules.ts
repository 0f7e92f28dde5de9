/**
 * Per-site masking rules a server operator configures (MEEKIJK_SITE_RULES), delivered to the customer's
 * extension in the join response and applied inside the shared page, before anything is sent (terms art.
 * 2.1: the technician sees as little private information as the help needs). They can only add masking
 * and blocking; `unmask` can reveal an ordinary field, never a password or a field with a sensitive
 * autocomplete hint (see lib/shared/mask.ts). Documented for site owners in docs/site-owners.md.
 */
// zod/mini: the content scripts in the customer's tab load this module (lib/protocol/tab-port.ts says why).
import * as z from 'zod/mini';

/** "shop.example.nl", or "*.example.nl" for example.nl and every subdomain of it. */
const hostPattern = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(253),
    z.regex(/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/i, 'expected a host name such as shop.example.nl or *.example.nl'),
  );

/** A CSS selector; its syntax is checked where it is used (the page), invalid ones are skipped there. */
const selector = z
  .string()
  .check(
    z.trim(),
    z.minLength(1),
    z.maxLength(500),
    z.refine((value) => !/[{}]/.test(value), 'a selector, not a style rule'),
  );
const selectors = (max: number) => z.array(selector).check(z.maxLength(max));
const detector = z.enum(['email', 'phone']);

export const siteRuleSchema = z.object({
  sites: z.array(hostPattern).check(z.minLength(1), z.maxLength(100)),
  /** Text inside these elements is masked (like data-meekijk-mask). */
  mask: z._default(selectors(200), []),
  /** These elements are replaced by a same-size placeholder (like data-meekijk-block). */
  block: z._default(selectors(200), []),
  /** Ordinary fields whose value the technician may see (like data-meekijk-unmask); never passwords. */
  unmask: z._default(selectors(200), []),
  /**
   * Also mask these wherever they appear in the page's text (card numbers, IBANs and BSNs always are):
   * "email" addresses, "phone" numbers. Off by default: a support page is full of the company's own.
   */
  detect: z._default(z.array(detector).check(z.maxLength(2)), []),
  /**
   * false: canvas drawings are not sent as pictures (issue 20); they stay blank in the replay. On by
   * default; blocked canvases are never read either way.
   */
  canvas: z.optional(z.boolean()),
});
export type SiteRule = z.infer<typeof siteRuleSchema>;

export const siteRulesSchema = z.array(siteRuleSchema).check(z.maxLength(500));
export type SiteRules = z.infer<typeof siteRulesSchema>;

/** The selectors that apply to one page. */
export const pageRulesSchema = z.object({
  mask: selectors(2000),
  block: selectors(2000),
  unmask: selectors(2000),
  detect: z.optional(z.array(detector).check(z.maxLength(2))),
  /** false: no canvas pictures on this page (one matching rule that says so is enough). */
  canvas: z.optional(z.boolean()),
});
export type PageRules = z.infer<typeof pageRulesSchema>;

export const NO_PAGE_RULES: PageRules = { mask: [], block: [], unmask: [] };

export function hostMatches(pattern: string, hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  const wanted = pattern.toLowerCase();
  if (!wanted.startsWith('*.')) return host === wanted;
  const base = wanted.slice(2);
  return host === base || host.endsWith(`.${base}`);
}

/** Everything the configured rules say about one host name, merged. */
export function rulesForHost(rules: SiteRules, hostname: string): PageRules {
  const result: PageRules = { mask: [], block: [], unmask: [] };
  for (const rule of rules) {
    if (!rule.sites.some((site) => hostMatches(site, hostname))) continue;
    result.mask.push(...rule.mask);
    result.block.push(...rule.block);
    result.unmask.push(...rule.unmask);
    for (const kind of rule.detect ?? []) if (!result.detect?.includes(kind)) (result.detect ??= []).push(kind);
    if (rule.canvas === false) result.canvas = false;
  }
  return result;
}
