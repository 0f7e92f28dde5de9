import { describe, expect, it } from 'vitest';
import { safeNext } from '../../../viewer/lib/safe-next';

const ORIGIN = 'https://meekijk.example.nl';

describe('safeNext (the viewer follows only same-origin paths after sign-in)', () => {
  it.each([
    '/start?ticket=HD-1',
    '/#/session/abc',
    '/start?ticket=%2F%2Fevil.example',
  ])('follows %j', (next) => {
    expect(safeNext(next, ORIGIN)).toBe(next);
  });

  // Each arrives as the decoded value of `next=` in the hash: `/%09/evil.example` decodes to a tab.
  it.each([
    ['tab', '/\t/evil.example'],
    ['line feed', '/\n/evil.example'],
    ['carriage return', '/\r/evil.example'],
    ['NUL', '/\u0000/evil.example'],
    ['space', '/ /evil.example'],
    ['backslash', '/\\evil.example'],
    ['backslash after slash', '/\\/evil.example'],
    ['protocol-relative', '//evil.example'],
    ['scheme', 'javascript:alert(1)'],
    ['absolute URL', 'https://evil.example/'],
    ['empty', ''],
  ])('refuses a %s: %j', (_name, next) => {
    expect(safeNext(next, ORIGIN)).toBeNull();
  });

  it('refuses what a browser would turn into another origin', () => {
    for (const next of ['/\t/evil.example', '/\t\t/evil.example', '/\n\r/evil.example']) {
      // What location.assign would do with it: tabs and line breaks stripped (WHATWG URL parser).
      expect(new URL(next, ORIGIN).origin).not.toBe(ORIGIN);
      expect(safeNext(next, ORIGIN)).toBeNull();
    }
  });
});
