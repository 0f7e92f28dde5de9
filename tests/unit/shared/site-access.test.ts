/**
 * Site access for the session (lib/shared/site-access): asked for the consented site only, only by a
 * build that declares optional host access, and given back entirely at the end (art. 1.2), apart from
 * the manifest's own join-page content script.
 */
import { describe, expect, it, vi } from 'vitest';
import { askSiteAccess, asksSiteAccess, dropSiteAccess, sitePattern, type PermissionsApi } from '@/lib/shared/site-access/site-access';
import { startKeepAlive } from '@/lib/background/session/keep-alive';

const FIREFOX = { optional_host_permissions: ['http://*/*', 'https://*/*'], content_scripts: [{ matches: ['https://meekijk.example.nl/join/*'] }] };
const CHROME = { content_scripts: [{ matches: ['https://meekijk.example.nl/join/*'] }] };

function permissions(granted: string[] = []): PermissionsApi & { granted: string[]; request: ReturnType<typeof vi.fn> } {
  const api = {
    granted: [...granted],
    request: vi.fn(async ({ origins }: { origins: string[] }) => {
      api.granted.push(...origins);
      return true;
    }),
    getAll: async () => ({ origins: [...api.granted] }),
    remove: async ({ origins }: { origins: string[] }) => {
      api.granted = api.granted.filter((o) => !origins.includes(o));
      return true;
    },
  };
  return api;
}

describe('site access for the session', () => {
  it('makes a pattern of scheme and host only: any port, any path, nothing for other pages', () => {
    expect(sitePattern('https://shop.example.nl:8443/basket?id=1#x')).toBe('https://shop.example.nl/*');
    expect(sitePattern('http://127.0.0.1:5173/')).toBe('http://127.0.0.1/*');
    expect(sitePattern('about:addons')).toBeNull();
    expect(sitePattern('moz-extension://abc/popup.html')).toBeNull();
    expect(sitePattern('file:///home/klant/a.html')).toBeNull();
    expect(sitePattern('not a url')).toBeNull();
    expect(sitePattern(undefined)).toBeNull();
  });

  it('asks for the one consented site, and only in a build that declares optional host access', async () => {
    const firefox = permissions();
    expect(await askSiteAccess('https://shop.example.nl/basket', FIREFOX, firefox)).toBe(true);
    expect(firefox.request).toHaveBeenCalledWith({ origins: ['https://shop.example.nl/*'] });
    const chrome = permissions();
    expect(asksSiteAccess(CHROME)).toBe(false);
    expect(await askSiteAccess('https://shop.example.nl/basket', CHROME, chrome)).toBe(false);
    expect(chrome.request).not.toHaveBeenCalled();
    expect(await askSiteAccess('about:config', FIREFOX, firefox)).toBe(false);
    expect(firefox.request).toHaveBeenCalledTimes(1);
  });

  it('a refused or failing request is false, never an error', async () => {
    const refusing = { ...permissions(), request: vi.fn(async () => false) };
    expect(await askSiteAccess('https://a.example/', FIREFOX, refusing)).toBe(false);
    const throwing = { ...permissions(), request: vi.fn(async () => Promise.reject(new Error('may only be called from a user input handler'))) };
    expect(await askSiteAccess('https://a.example/', FIREFOX, throwing)).toBe(false);
  });

  it('gives back every granted site at the end, but not the join page the manifest declares', async () => {
    const api = permissions(['https://meekijk.example.nl/join/*', 'https://shop.example.nl/*', 'http://127.0.0.1/*']);
    expect(await dropSiteAccess(FIREFOX, api)).toEqual(['https://shop.example.nl/*', 'http://127.0.0.1/*']);
    expect(api.granted).toEqual(['https://meekijk.example.nl/join/*']);
    expect(await dropSiteAccess(FIREFOX, api)).toEqual([]);
  });

  it('keeps the join host as Firefox reports it (by origin, http://host/*), so the join page works after a session there', async () => {
    const manifest = { ...FIREFOX, host_permissions: ['http://127.0.0.1/join/*'], content_scripts: [{ matches: ['http://127.0.0.1/join/*'] }] };
    const api = permissions(['http://127.0.0.1/*', 'https://shop.example.nl/*']);
    expect(await dropSiteAccess(manifest, api)).toEqual(['https://shop.example.nl/*']);
    expect(api.granted).toEqual(['http://127.0.0.1/*']);
  });

  it('removes nothing in a build without optional host access', async () => {
    const api = { ...permissions(['https://meekijk.example.nl/join/*']), remove: vi.fn() };
    expect(await dropSiteAccess(CHROME, api)).toEqual([]);
    expect(api.remove).not.toHaveBeenCalled();
  });
});

describe('keep-alive', () => {
  it('pings until stopped, and a failing ping does not stop it', async () => {
    vi.useFakeTimers();
    try {
      let pings = 0;
      const stop = startKeepAlive(async () => {
        pings++;
        if (pings === 2) throw new Error('context gone');
      }, 1000);
      await vi.advanceTimersByTimeAsync(3500);
      expect(pings).toBe(3);
      stop();
      await vi.advanceTimersByTimeAsync(5000);
      expect(pings).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
