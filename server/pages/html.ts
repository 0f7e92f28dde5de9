/** Server-rendered pages: escaped text, one inline stylesheet allowed by its hash, no scripts at all. */
import { createHash } from 'node:crypto';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const css = `body{font:1rem/1.6 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;background:#fff}
h1,h2,h3{line-height:1.25}a{color:#0a4fa8}.lang{margin-top:2.5rem;padding-top:1rem;border-top:1px solid #ccc}
.note{background:#f3f6fa;border-left:4px solid #0a4fa8;padding:.5rem 1rem}code{font-size:1.1em}
@media (prefers-color-scheme:dark){body{background:#141414;color:#eee}a{color:#8cb8ff}.note{background:#1e2733}}`;

export const PAGE_STYLE_HASH = `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;

/** CSP for server-rendered pages: nothing runs, nothing loads except the page itself. */
export const PAGE_CSP = `default-src 'none'; style-src ${PAGE_STYLE_HASH}; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

export interface PageOptions {
  lang: 'nl' | 'en';
  title: string;
  /** Already-escaped HTML. */
  body: string;
  /** Already-escaped extra <head> content. */
  head?: string;
}

export function page({ lang, title, body, head = '' }: PageOptions): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
${head}<style>${css}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
