/**
 * The normaliser behind every "is this the customer's value?" question (terms art. 2.1). A page can show
 * a typed value reshaped: in capitals, with its spaces collapsed, grouped ("4177 1230 ..."), with dashes
 * or dots, percent-encoded in a link, or with accents dropped. Folding keeps only letters and digits, in
 * lower case and without accents, so all of those are one string; each folded character remembers where
 * it came from, so a match can be masked in the original text.
 */

export interface Folded {
  /** Letters and digits only, lower case, accents removed. */
  text: string;
  /** For each folded character: the index in the source where it starts and where it ends (exclusive). */
  from: number[];
  to: number[];
}

export type CharClass = 'letter' | 'digit' | 'other';

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const LETTER = /\p{L}/u;
const DIGIT = /\p{N}/u;
const MARKS = /\p{M}/gu;

export function charClass(char: string | undefined): CharClass {
  if (!char) return 'other';
  const code = char.charCodeAt(0);
  if (code < 128) {
    if (code >= 48 && code <= 57) return 'digit';
    return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) ? 'letter' : 'other';
  }
  if (LETTER.test(char)) return 'letter';
  return DIGIT.test(char) ? 'digit' : 'other';
}

/** A non-ASCII character's folded form: compatibility-decomposed, marks dropped, lower case. */
function foldWide(char: string): string {
  let out = '';
  for (const part of char.normalize('NFKD').replace(MARKS, '').toLowerCase()) if (LETTER_OR_DIGIT.test(part)) out += part;
  return out;
}

const isHex = (code: number) => (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);

/** A run of %XX escapes starting at `at`: its end, or `at` when there is none. */
function percentRunEnd(source: string, at: number): number {
  let end = at;
  while (source.charCodeAt(end) === 37 && isHex(source.charCodeAt(end + 1)) && isHex(source.charCodeAt(end + 2))) end += 3;
  return end;
}

export function fold(source: string): Folded {
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  const push = (chars: string, start: number, end: number) => {
    for (const c of chars) {
      text += c;
      from.push(start);
      to.push(end);
    }
  };
  for (let i = 0; i < source.length; ) {
    const code = source.charCodeAt(i);
    if (code < 128) {
      if ((code >= 48 && code <= 57) || (code >= 97 && code <= 122)) push(source[i]!, i, i + 1);
      else if (code >= 65 && code <= 90) push(String.fromCharCode(code + 32), i, i + 1);
      else if (code === 37) {
        // A value in a link or URL is percent-encoded ("jan%40example.nl", "caf%C3%A9").
        const end = percentRunEnd(source, i);
        if (end > i) {
          let decoded = '';
          try {
            decoded = decodeURIComponent(source.slice(i, end));
          } catch {
            decoded = '';
          }
          for (const char of decoded) push(char.charCodeAt(0) < 128 ? char.toLowerCase().replace(/[^a-z0-9]/, '') : foldWide(char), i, end);
          i = end;
          continue;
        }
      }
      i++;
      continue;
    }
    const point = source.codePointAt(i)!;
    const width = point > 0xffff ? 2 : 1;
    push(foldWide(source.slice(i, i + width)), i, i + width);
    i += width;
  }
  return { text, from, to };
}

/** Only the folded letters and digits, without the map: how a value is remembered. */
export function compact(value: string): string {
  return fold(value).text;
}

export function digitsOnly(value: string): string {
  return compact(value).replace(/\D/g, '');
}

export function lettersOnly(value: string): string {
  return compact(value).replace(/\d/g, '');
}

/**
 * The forms a value is looked for in: the whole of it folded, and, when it mixes letters and digits,
 * its digits alone ("Tel. 06-1234 5678" is echoed as "0612345678") and its letters alone ("Jan de
 * Vries 12" as "Jan de Vries"), each only when long enough to mean something on its own.
 */
export function formsOf(value: string, minLength: number): string[] {
  const whole = compact(value);
  if (whole.length < minLength) return [];
  const forms = [whole];
  const digits = digitsOnly(whole);
  const letters = lettersOnly(whole);
  if (digits.length && letters.length) {
    if (digits.length >= Math.max(minLength, MIN_DIGIT_FORM)) forms.push(digits);
    if (letters.length >= Math.max(minLength, MIN_LETTER_FORM)) forms.push(letters);
  }
  return forms;
}

/** Shorter digit runs (house numbers, years) and letter runs (short words) are everywhere on a page. */
const MIN_DIGIT_FORM = 6;
const MIN_LETTER_FORM = 5;
