/**
 * The published terms (art. 6.1): read from terms/*.md at start. The sha-256 of the exact file text is what
 * a customer's consent refers to (recorded at join), so the server and the extension hash the same bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface TermsText {
  text: string;
  hash: string;
}

export interface Terms {
  nl: TermsText;
  en: TermsText | null;
}

const termsDir = fileURLToPath(new URL('../terms/', import.meta.url));

function read(file: string): TermsText | null {
  const path = `${termsDir}${file}`;
  if (!existsSync(path)) return null;
  const text = readFileSync(path, 'utf8');
  return { text, hash: createHash('sha256').update(text, 'utf8').digest('hex') };
}

export function loadTerms(): Terms {
  const nl = read('voorwaarden-meekijksessie.nl.md');
  if (nl === null) throw new Error(`terms missing: ${termsDir}voorwaarden-meekijksessie.nl.md`);
  return { nl, en: read('voorwaarden-meekijksessie.en.md') };
}
