import { describe, expect, it } from 'vitest';
import { isBsn, isCardNumber, isIban, luhnValid } from '@/lib/shared/privacy/checksums';
import { findPersonalData, type Detector } from '@/lib/shared/privacy/detect';
import { maskRanges } from '@/lib/shared/privacy/match';

const M = '•';
const scrub = (text: string, detectors: Detector[] = []) => maskRanges(text, findPersonalData(text, detectors), M);

describe('checksums: valid numbers and their near misses', () => {
  it('Luhn', () => {
    for (const card of ['4111111111111111', '5500000000000004', '378282246310005', '6011111111111117', '4177123055771231']) {
      expect(luhnValid(card), card).toBe(true);
      expect(isCardNumber(card), card).toBe(true);
    }
    for (const miss of ['4111111111111112', '5500000000000005', '378282246310006', '4177123055771234']) expect(isCardNumber(miss), miss).toBe(false);
    // Luhn-valid but not a card: wrong issuer digit, too short, too long, all one digit.
    expect(luhnValid('0000000000000000')).toBe(true);
    expect(isCardNumber('0000000000000000')).toBe(false);
    expect(isCardNumber('8111111111111113')).toBe(false);
    expect(isCardNumber('411111111113')).toBe(false);
    expect(isCardNumber('41111111111111111114')).toBe(false);
  });

  it('11-proef (BSN)', () => {
    for (const bsn of ['111222333', '123456782', '999999990']) expect(isBsn(bsn), bsn).toBe(true);
    for (const miss of ['123456789', '111222334', '12345678', '1234567820', '000000000', '111111111']) expect(isBsn(miss), miss).toBe(false);
  });

  it('IBAN mod 97', () => {
    for (const iban of ['NL91ABNA0417164300', 'GB82WEST12345698765432', 'DE89370400440532013000', 'be68539007547034', 'FR1420041010050500013M02606']) {
      expect(isIban(iban), iban).toBe(true);
    }
    // One digit off, a transposition, a wrong length for the country, an unknown country.
    for (const miss of ['NL91ABNA0417164301', 'NL91ABNA0417163400', 'NL91ABNA04171643001', 'XX91ABNA0417164300', 'GB82WEST1234569876543']) {
      expect(isIban(miss), miss).toBe(false);
    }
  });
});

describe('findPersonalData: personal numbers anywhere in text, ordinary numbers left alone', () => {
  it('masks card numbers however they are grouped', () => {
    expect(scrub('Kaart 4111 1111 1111 1111 geldig')).toBe(`Kaart ${M} geldig`);
    expect(scrub('Kaart 4111-1111-1111-1111.')).toBe(`Kaart ${M}.`);
    expect(scrub('card=4111111111111111;')).toBe(`card=${M};`);
    expect(scrub('Amex 3782 822463 10005')).toBe(`Amex ${M}`);
  });

  it('masks IBANs, grouped or not, upper or lower case, and stops at the country length', () => {
    expect(scrub('IBAN: NL91 ABNA 0417 1643 00 te Amsterdam')).toBe(`IBAN: ${M} te Amsterdam`);
    expect(scrub('rekening nl91abna0417164300')).toBe(`rekening ${M}`);
    expect(scrub('DE89 3704 0044 0532 0130 00')).toBe(M);
  });

  it('masks BSNs, plain or dotted, and each number of a list', () => {
    expect(scrub('BSN 123456782')).toBe(`BSN ${M}`);
    expect(scrub('BSN 1234.56.782 en 111 222 333')).toBe(`BSN ${M} en ${M}`);
    expect(scrub('123456782 111222333')).toBe(`${M} ${M}`);
  });

  it('leaves near misses and ordinary numbers as they are', () => {
    for (const text of [
      'Kaart 4111 1111 1111 1112',
      'NL91 ABNA 0417 1643 01',
      'Bestelnummer 123456789',
      'Order 2026-000123-45',
      'Prijs € 1.299,95 incl. btw',
      'Datum 03-12-2026 om 10:45',
      'Tel 020 123 4567',
      'Artikel 8712345678906', // an EAN-13 barcode that fails Luhn
      'id=a4111111111111111b', // glued to letters: a hash or token, not a card shown to a person
      'data:image/png;base64,iVBORw0KGgoNL91ABNA0417164300AAAA',
      '+31 6 12345678',
    ]) {
      expect(scrub(text), text).toBe(text);
    }
  });

  it('e-mail addresses and phone numbers only when a site rule asks', () => {
    const text = 'Mail jan.de-vries+x@example.co.uk of bel 06-12345678 / +31 (0)20 123 4568.';
    expect(scrub(text)).toBe(text);
    expect(scrub(text, ['email'])).toBe(`Mail ${M} of bel 06-12345678 / +31 (0)20 123 4568.`);
    expect(scrub(text, ['phone'])).toBe(`Mail jan.de-vries+x@example.co.uk of bel ${M} / ${M}.`);
    expect(scrub('Prijs 1.299,95 op 03-12-2026, order 2026-1234', ['phone', 'email'])).toBe('Prijs 1.299,95 op 03-12-2026, order 2026-1234');
  });
});
