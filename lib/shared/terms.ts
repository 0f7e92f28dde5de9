/** The terms the customer consents to (Voorwaarden Meekijksessie), bundled with the extension. */
import nl from '@/terms/voorwaarden-meekijksessie.nl.md?raw';
import en from '@/terms/voorwaarden-meekijksessie.en.md?raw';

export type TermsLocale = 'nl' | 'en';

export const TERMS: Record<TermsLocale, string> = { nl, en };
export const TERMS_NL: string = nl;

/**
 * sha-256 (hex) of the exact text shown: recorded with the consent, so it is known which version was
 * agreed to. The server publishes the same files and refuses a consent whose hash it does not know.
 */
export async function termsHash(text: string = TERMS_NL): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export type TermsBlock = { kind: 'h2' | 'h3' | 'p'; text: string };

/** The terms' small markdown (headings and paragraphs) as blocks, rendered as text (never as HTML). */
export function termsBlocks(markdown: string): TermsBlock[] {
  return markdown
    .split(/\n\s*\n/)
    .map((chunk) => chunk.trim().replace(/\s*\n\s*/g, ' '))
    .filter((chunk) => chunk.length > 0)
    .map((chunk): TermsBlock => {
      if (chunk.startsWith('### ')) return { kind: 'h3', text: chunk.slice(4) };
      if (chunk.startsWith('## ')) return { kind: 'h2', text: chunk.slice(3) };
      return { kind: 'p', text: chunk };
    });
}
