/**
 * The scrubber behind the element rules (lib/page/privacy/secrets.ts) and the URL mask.
 */
import { describe, expect, it } from 'vitest';
import { MASK } from '@/lib/shared/mask';
import { createSecretScrubber, maskUrl } from '@/lib/page/privacy/secrets';

describe('secret scrubber', () => {
  it('replaces remembered values anywhere, in any letter case and percent-encoded', () => {
    const secrets = createSecretScrubber();
    secrets.remember('Jan Jansen');
    secrets.remember('jan@example.nl');
    expect(secrets.scrub('Welkom JAN JANSEN!')).toBe(`Welkom ${MASK}!`);
    expect(secrets.scrub('mailto:jan%40example.nl?x=Jan+Jansen')).toBe(`mailto:${MASK}?x=${MASK}`);
    expect(secrets.scrub('niets hier')).toBe('niets hier');
  });

  it('leaves short values and the mask itself alone, so the page stays readable', () => {
    const secrets = createSecretScrubber();
    ['ja', '1234', MASK, '   '].forEach((v) => secrets.remember(v));
    expect(secrets.size).toBe(0);
    expect(secrets.scrub('ja 1234')).toBe('ja 1234');
  });

  it('remembers the file name of a file input and each line of a textarea', () => {
    const secrets = createSecretScrubber();
    secrets.remember('C:\\fakepath\\loonstrook-januari.pdf');
    secrets.remember('Eerste regel hier\nTweede regel daar');
    expect(secrets.scrub('Gekozen: loonstrook-januari.pdf')).toBe(`Gekozen: ${MASK}`);
    expect(secrets.scrub('> Tweede regel daar')).toBe(`> ${MASK}`);
  });

  it('remembers query and fragment values of a URL', () => {
    const secrets = createSecretScrubber();
    secrets.rememberUrl('https://shop.example/zoek?q=rode+fiets&page=2#/r?token=abcdef123');
    expect(secrets.scrub('Resultaten voor rode fiets')).toBe(`Resultaten voor ${MASK}`);
    expect(secrets.scrub('t=abcdef123')).toBe(`t=${MASK}`);
  });

  it('forgets the oldest values past its limit', () => {
    const secrets = createSecretScrubber({ maxEntries: 3 });
    ['alpha1', 'bravo2', 'charlie3', 'delta4'].forEach((v) => secrets.remember(v));
    expect(secrets.size).toBe(3);
    expect(secrets.scrub('alpha1 delta4')).toBe(`alpha1 ${MASK}`);
  });

  it('scrubs what is being typed right now, short values only as whole words, without remembering prefixes', () => {
    const secrets = createSecretScrubber();
    secrets.live(['061']);
    expect(secrets.scrub('Wij bellen 061')).toBe(`Wij bellen ${MASK}`);
    expect(secrets.scrub('artikel 0612')).toBe('artikel 0612');
    secrets.live(['0612345']);
    expect(secrets.scrub('Wij bellen 0612345')).toBe(`Wij bellen ${MASK}`);
    secrets.live([]);
    expect(secrets.scrub('Wij bellen 0612345')).toBe('Wij bellen 0612345');
    expect(secrets.size).toBe(0);
    secrets.live(['ab']);
    expect(secrets.scrub('ab')).toBe('ab');
  });

  it('values that look like regular expressions are only letters and digits to it', () => {
    const secrets = createSecretScrubber();
    secrets.remember('a.b*c(d)[e]');
    expect(secrets.scrub('y a.b*c(d)[e] aXbbc a-b-c-d-e')).toBe(`y ${MASK}] aXbbc ${MASK}`);
  });

  it('remembers a field typed forward as one value, not each prefix it passed through', () => {
    const secrets = createSecretScrubber();
    const field = {};
    for (let i = 1; i <= 'Amsterdam'.length; i++) secrets.hold(field, 'Amsterdam'.slice(0, i));
    expect(secrets.scrub('Vestiging Amstelveen, Amste, Amster')).toBe('Vestiging Amstelveen, Amste, Amster');
    expect(secrets.scrub('Naar AMSTERDAM')).toBe(`Naar ${MASK}`);
    // Replaced by something else: both values count; deleting back does not forget the longer one.
    secrets.hold(field, 'Rotterdam');
    secrets.hold(field, 'Rotte');
    expect(secrets.scrub('amsterdam rotterdam rotte rotter')).toBe(`${MASK} ${MASK} ${MASK} rotter`);
  });

  it('finds values reshaped by the page: grouped, upper case, punctuation', () => {
    const secrets = createSecretScrubber();
    secrets.hold({}, '4177123055771231');
    secrets.hold({}, 'jan de vries');
    expect(secrets.scrub('Kaart 4177 1230 5577 1231 / 4177-1230-5577-1231')).toBe(`Kaart ${MASK} / ${MASK}`);
    expect(secrets.scrub('JAN DE VRIES; jan_de_vries')).toBe(`${MASK}; ${MASK}`);
  });
});

describe('maskUrl', () => {
  it('keeps origin, path and parameter names, masks every value', () => {
    expect(maskUrl('https://shop.example/zoek?q=fiets&page=2&flag')).toBe(`https://shop.example/zoek?q=${encodeURIComponent(MASK)}&page=${encodeURIComponent(MASK)}&flag`);
    expect(maskUrl('https://shop.example/a#/orders')).toBe('https://shop.example/a#/orders');
    expect(maskUrl('https://app.example/#access_token=xyz&state=1')).not.toContain('xyz');
    expect(maskUrl('https://app.example/#/r?id=42')).toBe(`https://app.example/#/r?id=${encodeURIComponent(MASK)}`);
    expect(maskUrl('about:blank')).toBe('about:blank');
    expect(maskUrl('not a url')).toBe(MASK);
  });
});
