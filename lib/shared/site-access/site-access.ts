/**
 * Access to the consented site for the length of a session, where activeTab alone does not last.
 *
 * Chrome keeps the activeTab grant while the shared tab stays on the same site, so the recorder is
 * injected again after each page load. Firefox drops it at every new document, even on the same site:
 * without more, the session would pause at the customer's first click on a link. The Firefox build
 * therefore declares optional host access (`optional_host_permissions`, none granted at install) and the
 * popup asks for the one consented site, `<scheme>://<host>/*`, with the consent click; the background
 * gives it back when the session ends (terms art. 1.2: access granted for the session is dropped).
 * Whether to ask is read from the manifest, not from the browser's name.
 */

/** The permissions API calls used here (webextension-polyfill's `browser.permissions`). */
export interface PermissionsApi {
  request(permissions: { origins: string[] }): Promise<boolean>;
  getAll(): Promise<{ origins?: string[] }>;
  remove(permissions: { origins: string[] }): Promise<boolean>;
}

export interface ManifestAccess {
  optional_host_permissions?: string[];
  host_permissions?: string[];
  content_scripts?: Array<{ matches?: string[] }>;
}

/** The match pattern for a page's site (scheme and host, any port, any path), or null for other pages. */
export function sitePattern(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const page = new URL(url);
    if (page.protocol !== 'http:' && page.protocol !== 'https:') return null;
    return `${page.protocol}//${page.hostname}/*`;
  } catch {
    return null;
  }
}

/** True when this build asks for site access at consent (it declares optional host access). */
export function asksSiteAccess(manifest: ManifestAccess): boolean {
  return (manifest.optional_host_permissions?.length ?? 0) > 0;
}

/**
 * Asks for the site of `url`. Must be called synchronously inside the customer's click (Firefox grants
 * only while it handles user input). Resolves false when refused or not applicable; never rejects.
 */
export function askSiteAccess(url: string | undefined, manifest: ManifestAccess, permissions: PermissionsApi): Promise<boolean> {
  const pattern = sitePattern(url);
  if (!pattern || !asksSiteAccess(manifest)) return Promise.resolve(false);
  return permissions.request({ origins: [pattern] }).catch(() => false);
}

/**
 * Gives back every host access granted during sessions. The access granted at install (the server's join
 * pages: host_permissions and the declared content script) is not ours to drop. Firefox reports a granted
 * host permission by origin (`http://host/*`), not by the declared path (`http://host/join/*`), so
 * anything on a declared host is kept: dropping it would stop the join page from working after a session
 * on that host. Returns what it removed.
 */
export async function dropSiteAccess(manifest: ManifestAccess, permissions: PermissionsApi): Promise<string[]> {
  if (!asksSiteAccess(manifest)) return [];
  const declared = [...(manifest.host_permissions ?? []), ...(manifest.content_scripts ?? []).flatMap((script) => script.matches ?? [])];
  const declaredSites = new Set(declared.map(siteOfPattern));
  const { origins = [] } = await permissions.getAll();
  const drop = origins.filter((origin) => !declaredSites.has(siteOfPattern(origin)));
  if (drop.length > 0) await permissions.remove({ origins: drop });
  return drop;
}

/** `scheme://host` of a match pattern (its path and any port left out). */
function siteOfPattern(pattern: string): string {
  const match = /^([a-z*]+:\/\/[^/:]*)/.exec(pattern);
  return match?.[1] ?? pattern;
}
