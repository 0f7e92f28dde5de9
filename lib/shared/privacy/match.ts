/**
 * Finds remembered values in text however the page reshaped them (fold.ts), as whole words only.
 *
 * The rule (docs/site-owners.md, "Which echoes are masked"): a value is masked where its folded form
 * appears and neither runs on into more of the same kind of character: the character before the match is
 * not of the class (letter, digit) of the value's first character, the one after not of the class of its
 * last. So "Amsterdam" typed masks "AMSTERDAM", "amsterdam," and "Amster-dam", but not "Amstelveen"; the
 * live echo "Amste" of a value still being typed masks the echo "Amste", but not "Amstelveen" either.
 */
import { charClass, fold, type Folded } from './fold';

export interface Range {
  start: number;
  end: number;
}

export interface Matcher {
  /** Source ranges where one of the forms stands as a whole word. */
  find(source: string, folded?: Folded): Range[];
}

export function createMatcher(forms: Iterable<string>): Matcher | null {
  const sorted = [...new Set(forms)].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
  if (!sorted.length) return null;
  // Folded forms hold only letters and digits: nothing to escape.
  const pattern = new RegExp(sorted.join('|'), 'gu');
  const standsAlone = (source: string, folded: Folded, at: number, length: number) => {
    const first = charClass(folded.text[at]);
    const last = charClass(folded.text[at + length - 1]);
    const start = folded.from[at]!;
    const end = folded.to[at + length - 1]!;
    return charClass(charBefore(source, start)) !== first && charClass(charAt(source, end)) !== last;
  };
  return {
    find(source, folded = fold(source)) {
      const ranges: Range[] = [];
      pattern.lastIndex = 0;
      let match: RegExpExecArray | null;
      while ((match = pattern.exec(folded.text))) {
        const at = match.index;
        // The longest form found here may run on into a word; a shorter one may still stand alone.
        const length = standsAlone(source, folded, at, match[0].length)
          ? match[0].length
          : (sorted.find((form) => form.length < match![0].length && folded.text.startsWith(form, at) && standsAlone(source, folded, at, form.length))?.length ?? 0);
        if (length) {
          ranges.push({ start: folded.from[at]!, end: folded.to[at + length - 1]! });
          pattern.lastIndex = at + length;
        } else {
          pattern.lastIndex = at + 1;
        }
      }
      return ranges;
    },
  };
}

function charBefore(source: string, index: number): string | undefined {
  if (index <= 0) return undefined;
  const low = source.charCodeAt(index - 1);
  return low >= 0xdc00 && low <= 0xdfff && index >= 2 ? source.slice(index - 2, index) : source[index - 1];
}

function charAt(source: string, index: number): string | undefined {
  if (index >= source.length) return undefined;
  const point = source.codePointAt(index)!;
  return String.fromCodePoint(point);
}

/** Replaces each range (merged where they touch) with the mask. */
export function maskRanges(source: string, ranges: Range[], mask: string): string {
  if (!ranges.length) return source;
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  let open: Range | null = null;
  for (const range of sorted) {
    if (open && range.start <= open.end) {
      open.end = Math.max(open.end, range.end);
      continue;
    }
    if (open) {
      out += source.slice(at, open.start) + mask;
      at = open.end;
    }
    open = { ...range };
  }
  if (open) out += source.slice(at, open.start) + mask + source.slice(open.end);
  else out += source.slice(at);
  return out;
}
