/**
 * Random sentinels for the reshaping leak suite (issue 18). Every sentinel is unique in its first four
 * letters or digits, so no sentinel is a prefix of another and a leak of one cannot hide behind another's
 * masking; personal numbers are generated with valid checksums, ordinary ones with failing checksums.
 */
import { randomInt } from 'node:crypto';
import { compact } from '@/lib/shared/privacy/fold';
import { isBsn, luhnValid } from '@/lib/shared/privacy/checksums';

const CONSONANTS = 'bcdfghjklmnpqrstvwxz';
const VOWELS = 'aeiouy';
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

export class Sentinels {
  private readonly heads = new Set<string>();

  /** Calls `make` until its value's folded head is new. */
  unique(make: () => string): string {
    for (let i = 0; i < 1000; i++) {
      const value = make();
      const head = compact(value).slice(0, 4);
      if (!this.heads.has(head)) {
        this.heads.add(head);
        return value;
      }
    }
    throw new Error('no unique sentinel after 1000 tries');
  }

  /** A made-up word, capitalised: "Kovirask". */
  word(length = 8): string {
    return this.unique(() => makeWord(length));
  }

  /** Two or three words with punctuation between them, for the page to reshape. */
  phrase(separator = ' '): string {
    return this.unique(() => [makeWord(7), makeWord(6), makeWord(7)].slice(0, 2 + randomInt(2)).join(separator));
  }

  /** 16 digits that are NOT a valid card number: only the typed-value memory can mask them. */
  typedDigits(): string {
    return this.unique(() => {
      let value = '';
      do value = String(1 + randomInt(9)) + digits(15);
      while (luhnValid(value));
      return value;
    });
  }

  card(): string {
    return this.unique(() => {
      const body = String(4 + randomInt(2)) + digits(14);
      for (let d = 0; d < 10; d++) if (luhnValid(body + d)) return body + d;
      throw new Error('unreachable');
    });
  }

  iban(): string {
    return this.unique(() => {
      const bank = Array.from({ length: 4 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[randomInt(26)]).join('');
      const account = digits(10);
      const numeric = [...`${bank}${account}NL00`].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join('');
      const check = 98 - Number(BigInt(numeric) % 97n);
      return `NL${String(check).padStart(2, '0')}${bank}${account}`;
    });
  }

  bsn(): string {
    return this.unique(() => {
      for (;;) {
        const body = String(1 + randomInt(9)) + digits(7);
        for (let d = 0; d < 10; d++) if (isBsn(body + d)) return body + d;
      }
    });
  }

  email(): string {
    return this.unique(() => `${makeWord(6).toLowerCase()}.${makeWord(5).toLowerCase()}@${makeWord(7).toLowerCase()}.nl`);
  }

  phone(): string {
    return this.unique(() => `0${2 + randomInt(8)}${digits(8)}`);
  }
}

function makeWord(length: number): string {
  let word = '';
  for (let i = 0; i < length; i++) word += i % 2 ? VOWELS[randomInt(VOWELS.length)] : CONSONANTS[randomInt(CONSONANTS.length)];
  return word[0]!.toUpperCase() + word.slice(1);
}

/** Ordinary numbers a page shows that must reach the viewer as they are. */
export function ordinaryNumbers(): string[] {
  let order = '';
  do order = String(1 + randomInt(9)) + digits(8);
  while (isBsn(order));
  let shipment = '';
  do shipment = String(4 + randomInt(2)) + digits(15);
  while (luhnValid(shipment));
  return [
    `Bestelnummer ${order}`,
    `Zending ${shipment}`,
    `Factuur 2026-${digits(7)}`,
    `Prijs € ${1 + randomInt(9)}.${digits(3)},${digits(2)} incl. btw`,
    `Datum ${String(1 + randomInt(28)).padStart(2, '0')}-12-2026 om 10:45`,
    `Klantnummer ${1 + randomInt(9)}${digits(5)}`,
  ];
}
