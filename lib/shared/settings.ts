/**
 * Where the extension finds its Meekijk server. Store builds are made per organisation, with its server
 * baked in (WXT_MEEKIJK_SERVER_URL at build time, docs/stores.md). An IT department can point an
 * installed extension at its own server without a rebuild through an enterprise policy: the managed
 * storage key `serverUrl`, with `inviteKey`, the public key its server signs invites with (schema:
 * public/managed-storage-schema.json). Self-hosters and the end-to-end
 * tests may point a copy elsewhere through local storage (never reachable from web pages). The policy
 * wins over both; a policy value that is not a server address is an error, never a silent fallback to
 * another organisation's server.
 */
import browser from 'webextension-polyfill';

export const DEFAULT_SERVER_URL: string = import.meta.env.WXT_MEEKIJK_SERVER_URL ?? 'http://127.0.0.1:8080';

/** https anywhere; plain http only on this machine (development, tests). */
export function validServerUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return null;
    if (url.username || url.password || url.search || url.hash) return null;
    return url.href.replace(/\/$/, '');
  } catch {
    return null;
  }
}

export class PolicyError extends Error {}

/** The server to use: the policy's, else the local override, else the build's. */
export function resolveServerUrl(sources: { managed: unknown; local: unknown; builtIn: string }): string {
  if (sources.managed !== undefined) {
    const managed = validServerUrl(sources.managed);
    if (!managed) throw new PolicyError(`The policy's serverUrl is not an https address: ${JSON.stringify(sources.managed).slice(0, 100)}`);
    return managed;
  }
  return validServerUrl(sources.local) ?? sources.builtIn;
}

/** A managed value, or undefined when no policy sets one (Firefox rejects when there is no policy). */
async function managed(key: 'serverUrl' | 'inviteKey'): Promise<unknown> {
  try {
    return (await browser.storage.managed.get(key))[key];
  } catch {
    return undefined;
  }
}

/**
 * The policy's invite key(s) for its server (SPKI base64 as `/api/server-info` shows it; several separated
 * by commas during a rotation), or undefined without one. A value that is not a string is a policy error.
 */
export function resolveManagedInviteKey(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/=,\s]+$/.test(value) || value.trim() === '') {
    throw new PolicyError(`The policy's inviteKey is not a base64 public key: ${JSON.stringify(value).slice(0, 100)}`);
  }
  return value;
}

export async function managedInviteKey(): Promise<string | undefined> {
  return resolveManagedInviteKey(await managed('inviteKey'));
}

export async function serverUrl(): Promise<string> {
  const local = (await browser.storage.local.get('serverUrl'))['serverUrl'];
  return resolveServerUrl({ managed: await managed('serverUrl'), local, builtIn: DEFAULT_SERVER_URL });
}
