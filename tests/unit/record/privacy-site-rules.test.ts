/**
 * Per-site rules: the server's MEEKIJK_SITE_RULES, validated at start-up and matched by host in the tab.
 */
import { describe, expect, it } from 'vitest';
import { hostMatches, rulesForHost, siteRulesSchema } from '@/lib/protocol/site-rules';
import { joinResponseSchema } from '@/lib/protocol/api';
import { ConfigError, loadConfig } from '@/server/config';

describe('site rules', () => {
  it('match exact hosts and, with *., a domain and all its subdomains', () => {
    expect(hostMatches('shop.example.nl', 'shop.example.nl')).toBe(true);
    expect(hostMatches('shop.example.nl', 'SHOP.example.nl.')).toBe(true);
    expect(hostMatches('shop.example.nl', 'evil-shop.example.nl')).toBe(false);
    expect(hostMatches('*.example.nl', 'example.nl')).toBe(true);
    expect(hostMatches('*.example.nl', 'a.b.example.nl')).toBe(true);
    expect(hostMatches('*.example.nl', 'example.nl.evil.com')).toBe(false);
    expect(hostMatches('*.example.nl', 'notexample.nl')).toBe(false);
  });

  it('merge every rule for a host', () => {
    const rules = siteRulesSchema.parse([
      { sites: ['*.bank.nl'], block: ['#saldo'] },
      { sites: ['mijn.bank.nl', 'other.nl'], mask: ['.naam'], unmask: ['#zoek'] },
      { sites: ['other.nl'], block: ['.x'] },
    ]);
    expect(rulesForHost(rules, 'mijn.bank.nl')).toEqual({ mask: ['.naam'], block: ['#saldo'], unmask: ['#zoek'] });
    expect(rulesForHost(rules, 'elders.nl')).toEqual({ mask: [], block: [], unmask: [] });
  });

  it('refuse rules that are not rules', () => {
    for (const bad of [[{ sites: [] }], [{ sites: ['https://x.nl'] }], [{ sites: ['x.nl'], mask: ['p { color: red }'] }], [{ sites: ['x.nl'], block: [''] }], {}]) {
      expect(siteRulesSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('come from MEEKIJK_SITE_RULES, with a one-line error for a bad value', () => {
    expect(loadConfig({}).siteRules).toEqual([]);
    const config = loadConfig({ MEEKIJK_SITE_RULES: JSON.stringify([{ sites: ['shop.example.nl'], mask: ['.klant'] }]) });
    expect(config.siteRules).toEqual([{ sites: ['shop.example.nl'], mask: ['.klant'], block: [], unmask: [], detect: [] }]);
    expect(() => loadConfig({ MEEKIJK_SITE_RULES: '{nope' })).toThrow(ConfigError);
    expect(() => loadConfig({ MEEKIJK_SITE_RULES: '{nope' })).toThrow(/MEEKIJK_SITE_RULES/);
    expect(() => loadConfig({ MEEKIJK_SITE_RULES: '[{"sites":["x"],"mask":[1]}]' })).toThrow(/MEEKIJK_SITE_RULES\[0\]\.mask\[0\]/);
  });

  it('travel in the join response, and an older server without them means none', () => {
    const base = { sessionId: 's', customer: { peerId: 'c', token: 't' }, viewerPeerId: 'v', peer: { path: '/peerjs', key: 'k' }, iceServers: [] };
    expect(joinResponseSchema.parse(base).siteRules).toEqual([]);
    expect(joinResponseSchema.parse({ ...base, siteRules: [{ sites: ['a.nl'], block: ['#x'] }] }).siteRules[0]?.block).toEqual(['#x']);
  });

  it('turn canvas pictures off for a host when any matching rule says canvas: false (issue 20)', () => {
    const rules = siteRulesSchema.parse([
      { sites: ['*.shop.example'], canvas: false },
      { sites: ['shop.example'], canvas: true, mask: ['.x'] },
      { sites: ['other.example'] },
    ]);
    expect(rulesForHost(rules, 'www.shop.example').canvas).toBe(false);
    expect(rulesForHost(rules, 'shop.example').canvas).toBe(false);
    expect(rulesForHost(rules, 'other.example').canvas).toBeUndefined();
    expect(() => siteRulesSchema.parse([{ sites: ['a.nl'], canvas: 'no' }])).toThrow();
    const config = loadConfig({ MEEKIJK_SITE_RULES: JSON.stringify([{ sites: ['a.nl'], canvas: false }]) });
    expect(config.siteRules[0]?.canvas).toBe(false);
  });
});
