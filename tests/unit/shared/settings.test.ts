/**
 * Which server (lib/shared/settings.ts): the enterprise policy's, else the local override, else the
 * build's; a bad policy value is an error, never a fallback to the server baked into the build.
 */
import { describe, expect, it, vi } from 'vitest';
import { PolicyError, resolveManagedInviteKey, resolveServerUrl, validServerUrl } from '@/lib/shared/settings';

vi.mock('webextension-polyfill', () => ({ default: {} }));

const BUILT_IN = 'https://meekijk.reconi.nl';

describe('which server', () => {
  it('takes the policy first, then the local override, then the build', () => {
    expect(resolveServerUrl({ managed: 'https://meekijk.example.org/', local: 'https://other.example', builtIn: BUILT_IN })).toBe('https://meekijk.example.org');
    expect(resolveServerUrl({ managed: undefined, local: 'http://127.0.0.1:8080', builtIn: BUILT_IN })).toBe('http://127.0.0.1:8080');
    expect(resolveServerUrl({ managed: undefined, local: undefined, builtIn: BUILT_IN })).toBe(BUILT_IN);
  });

  it('refuses a policy value that is not an https server, rather than using another server', () => {
    for (const bad of ['http://meekijk.example.org', 'meekijk.example.org', '', 42, 'https://user:pw@meekijk.example.org', 'javascript:alert(1)']) {
      expect(() => resolveServerUrl({ managed: bad, local: undefined, builtIn: BUILT_IN })).toThrow(PolicyError);
    }
  });

  it('accepts https anywhere and plain http on this machine only', () => {
    expect(validServerUrl('https://meekijk.example.org:8443/')).toBe('https://meekijk.example.org:8443');
    expect(validServerUrl('http://localhost:8080')).toBe('http://localhost:8080');
    expect(validServerUrl('http://192.168.1.5:8080')).toBeNull();
    expect(validServerUrl('https://meekijk.example.org/?next=x')).toBeNull();
    expect(validServerUrl(undefined)).toBeNull();
  });

  it('ignores a malformed local override', () => {
    expect(resolveServerUrl({ managed: undefined, local: 'ftp://x', builtIn: BUILT_IN })).toBe(BUILT_IN);
  });

  it("takes the policy's invite key as given, none without a policy, and refuses one that is not a base64 key", () => {
    expect(resolveManagedInviteKey(undefined)).toBeUndefined();
    expect(resolveManagedInviteKey('MCowBQYDK2VwAyEA+abc=,MCowBQYDK2VwAyEAxyz=')).toBe('MCowBQYDK2VwAyEA+abc=,MCowBQYDK2VwAyEAxyz=');
    for (const bad of [42, '', ' ', 'not a key!', { key: 'x' }]) expect(() => resolveManagedInviteKey(bad)).toThrow(PolicyError);
  });
});
