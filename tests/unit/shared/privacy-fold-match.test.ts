import { describe, expect, it } from 'vitest';
import { compact, digitsOnly, fold, formsOf, lettersOnly } from '@/lib/shared/privacy/fold';
import { createMatcher, maskRanges } from '@/lib/shared/privacy/match';

const M = '•';
const scrub = (forms: string[], text: string) => {
  const matcher = createMatcher(forms);
  return matcher ? maskRanges(text, matcher.find(text), M) : text;
};

describe('fold: case, whitespace, punctuation, grouping, accents and percent-encoding are one value', () => {
  it.each([
    ['4177 1230 5577 1234', '4177123055771234'],
    ['4177-1230-5577-1234', '4177123055771234'],
    ['41771230.5577.1234', '4177123055771234'],
    ['  Jan   de VRIES! ', 'jandevries'],
    ['Crème Brûlée', 'cremebrulee'],
    ['jan%40example.nl', 'janexamplenl'],
    ['caf%C3%A9+au+lait', 'cafeaulait'],
    ['ＡＢＣ１２３', 'abc123'],
  ])('%s -> %s', (source, folded) => expect(compact(source)).toBe(folded));

  it('maps each folded character back to its place in the source', () => {
    const f = fold('a-B%43');
    expect(f.text).toBe('abc');
    expect(f.from).toEqual([0, 2, 3]);
    expect(f.to).toEqual([1, 3, 6]);
  });

  it('a bad percent escape is punctuation, not a crash', () => expect(compact('100%zz %E0%A4%A')).toBe('100zza'));

  it('digit-only and letter-only forms', () => {
    expect(digitsOnly('Tel. 06-1234 5678')).toBe('0612345678');
    expect(lettersOnly('Jan de Vries 12')).toBe('jandevries');
    expect(formsOf('Tel. 06-1234 5678', 5)).toEqual(['tel0612345678', '0612345678']);
    expect(formsOf('Jan de Vries 12', 5)).toEqual(['jandevries12', 'jandevries']);
    expect(formsOf('ab 1', 5)).toEqual([]);
    // Short parts are not looked for on their own: "12" and "ab" are everywhere.
    expect(formsOf('Postbus 12', 5)).toEqual(['postbus12', 'postbus']);
  });
});

describe('match: whole values, however reshaped, never a word that only shares a prefix', () => {
  it('finds the value in capitals, grouped, split by punctuation and percent-encoded', () => {
    const forms = formsOf('4177 1230 5577 1234', 5);
    expect(scrub(forms, 'Kaart 4177-1230-5577-1234 ok')).toBe(`Kaart ${M} ok`);
    expect(scrub(forms, 'Kaart 41771230 55771234.')).toBe(`Kaart ${M}.`);
    expect(scrub(formsOf('Jan de Vries', 5), 'Welkom JAN  DE vries!')).toBe(`Welkom ${M}!`);
    expect(scrub(formsOf('jan@example.nl', 5), '/zoek?q=jan%40example.nl&x=1')).toBe(`/zoek?q=${M}&x=1`);
    expect(scrub(formsOf('Crème', 5), 'CREME brulee')).toBe(`${M} brulee`);
  });

  it('"Amsterdam" typed leaves "Amstelveen" and "Amsterdammer" readable', () => {
    const forms = formsOf('Amsterdam', 5);
    expect(scrub(forms, 'Vestiging Amstelveen')).toBe('Vestiging Amstelveen');
    expect(scrub(forms, 'een Amsterdammer')).toBe('een Amsterdammer');
    expect(scrub(forms, 'Naar amsterdam, snel')).toBe(`Naar ${M}, snel`);
  });

  it('a value being typed ("Amste") masks its echo, not words it is the start of', () => {
    const forms = formsOf('Amste', 3);
    expect(scrub(forms, 'Zoeken naar "Amste"')).toBe(`Zoeken naar "${M}"`);
    expect(scrub(forms, 'Vestiging Amstelveen')).toBe('Vestiging Amstelveen');
  });

  it('words of a typed value alone stay readable', () => {
    const forms = formsOf('Jan de Vries', 5);
    expect(scrub(forms, 'Vries is een achternaam; Jan ook')).toBe('Vries is een achternaam; Jan ook');
  });

  it('a digit value glued to letters still counts (the classes differ); glued to digits it does not', () => {
    const forms = formsOf('0612345678', 5);
    expect(scrub(forms, 'tel0612345678')).toBe(`tel${M}`);
    expect(scrub(forms, '90612345678')).toBe('90612345678');
  });

  it('a shorter value stands alone where the longer one runs on', () => {
    expect(scrub(['abcdef', 'abcdefgh'], 'x abcdefghij abcdef')).toBe(`x abcdefghij ${M}`);
  });

  it('no forms, no matcher', () => expect(createMatcher([])).toBeNull());

  it('maskRanges merges overlapping and touching ranges', () => {
    expect(maskRanges('0123456789', [{ start: 2, end: 4 }, { start: 3, end: 6 }, { start: 8, end: 9 }], M)).toBe(`01${M}67${M}9`);
  });
});
