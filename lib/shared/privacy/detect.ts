/**
 * Personal numbers and contact details in any text the page shows (terms art. 2.1), found by shape and
 * checksum rather than by where they stand: card numbers (Luhn), IBANs (mod 97) and Dutch BSNs
 * (11-proef) by default; e-mail addresses and phone numbers when a site rule asks for them
 * (docs/site-owners.md), since a support page is full of the company's own.
 */
import { ibanLength, isBsn, isCardNumber, isIban } from './checksums';
import type { Range } from './match';

export type Detector = 'email' | 'phone';

/**
 * Runs of digits joined by single spaces, dots or dashes ("4177 1230 5577 1234", "123.456.782"), not
 * glued to letters or other digits (so not inside a hash, an id or a base64 image).
 */
const DIGIT_RUN = /(?<![\p{L}\p{N}])\d+(?:[ \u00a0.-]\d+)*(?![\p{L}\p{N}])/gu;
/** A quick test before the full scan: nine digits with at most single separators between them. */
const NINE_DIGITS = /\d(?:[ \u00a0.-]?\d){8}/;

/** Two letters, two check digits, then letters and digits grouped by single spaces. */
const IBAN_CANDIDATE = /(?<![\p{L}\p{N}])[A-Za-z]{2}\d{2}(?:[ \u00a0]?[A-Za-z0-9]){11,30}/gu;

const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(?![\p{L}\p{N}])/gu;
/**
 * International (+31, 0031: 9 to 15 digits) or national numbers (a 0 and nine more digits, as Dutch
 * numbers are), with the usual separators; a date ("03-12-2026") has too few digits to be one.
 */
const PHONE = /(?<![\p{L}\p{N}+])(?:(?:\+|00)\d{1,3}[ \u00a0.-]?(?:\(0\)[ \u00a0.-]?)?\d(?:[ \u00a0.-]?\d){6,13}|\(?0\d{1,3}\)?[ \u00a0.-]?\d(?:[ \u00a0.-]?\d){4,7})(?![\p{L}\p{N}])/gu;
const isPhone = (found: string) => {
  const digits = found.replace(/\D/g, '').length;
  return /^[(0]/.test(found) ? digits === 10 : digits >= 9 && digits <= 15;
};

/** Card numbers and BSNs in `text`: each digit run whole, and each of its space-separated parts. */
function numberRanges(text: string, ranges: Range[]): void {
  if (!NINE_DIGITS.test(text)) return;
  for (const run of text.matchAll(DIGIT_RUN)) {
    const start = run.index;
    const candidates: Range[] = [{ start, end: start + run[0].length }];
    // A list ("123456782 111222333") is several numbers; a grouped card ("4177 1230 ...") is one.
    const parts = run[0].split(/[ \u00a0]/);
    if (parts.length > 1) {
      let at = start;
      for (const part of parts) {
        candidates.push({ start: at, end: at + part.length });
        at += part.length + 1;
      }
    }
    for (const candidate of candidates) {
      const digits = text.slice(candidate.start, candidate.end).replace(/\D/g, '');
      if (isCardNumber(digits) || isBsn(digits)) {
        ranges.push(candidate);
        if (candidate === candidates[0]) break; // the whole run is one number
      }
    }
  }
}

function ibanRanges(text: string, ranges: Range[]): void {
  for (const found of text.matchAll(IBAN_CANDIDATE)) {
    const length = ibanLength(found[0].slice(0, 2));
    if (!length) continue;
    // The candidate may run on into the next words ("NL91 ABNA 0417 1643 00 te Amsterdam"): take the
    // country's length of letters and digits, and only when the IBAN ends there.
    let taken = 0;
    let end = found.index;
    let compactValue = '';
    for (let i = found.index; i < text.length && taken < length; i++) {
      const char = text[i]!;
      end = i + 1;
      if (char === ' ' || char === '\u00a0') continue;
      compactValue += char;
      taken++;
    }
    if (taken !== length || /[\p{L}\p{N}]/u.test(text[end] ?? '')) continue;
    if (isIban(compactValue)) ranges.push({ start: found.index, end });
  }
}

function patternRanges(text: string, pattern: RegExp, ranges: Range[], keep: (found: string) => boolean = () => true): void {
  for (const found of text.matchAll(pattern)) if (keep(found[0])) ranges.push({ start: found.index, end: found.index + found[0].length });
}

/** Where `text` holds a personal number (always) or an e-mail address or phone number (when asked). */
export function findPersonalData(text: string, detectors: readonly Detector[] = []): Range[] {
  const ranges: Range[] = [];
  if (text.length < 9) return ranges;
  numberRanges(text, ranges);
  if (/[A-Za-z]{2}\d\d/.test(text)) ibanRanges(text, ranges);
  if (detectors.includes('email') && text.includes('@')) patternRanges(text, EMAIL, ranges);
  if (detectors.includes('phone')) patternRanges(text, PHONE, ranges, isPhone);
  return ranges;
}
