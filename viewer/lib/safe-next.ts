/**
 * Where the viewer may go after sign-in (`#/login?next=...`): only a path on its own origin. Browsers drop
 * tabs and line breaks from URLs and read `\` as `/`, so `/\t/evil.example` (sent as `/%09/evil.example`)
 * would become `//evil.example`, another site: any control character, space or backslash is refused, and
 * what is left must still resolve to this origin.
 */
export function safeNext(next: string | null, origin: string = location.origin): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//')) return null;
  if (/[\u0000-\u0020\u007f\\]/.test(next)) return null;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return null;
  }
  if (url.origin !== new URL(origin).origin) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}
