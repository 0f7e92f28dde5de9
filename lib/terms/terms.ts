/** The terms the customer consents to (Voorwaarden Meekijksessie), bundled with the extension. */
import nl from '@/terms/voorwaarden-meekijksessie.nl.md?raw';

export const TERMS_NL: string = nl;

/** sha-256 (hex) of the text shown: recorded with the consent, so it is known which version was agreed to. */
export async function termsHash(text: string = TERMS_NL): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
