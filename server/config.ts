/**
 * Server configuration, read once from environment variables. `loadConfig` is pure (env in, config out) so
 * it can be tested; a bad value throws a ConfigError whose one-line message names the variable.
 */
import { z } from 'zod';
import { iceServerSchema, type IceServer, type IceTransportPolicy } from '../lib/protocol/api';
import { siteRulesSchema, type SiteRules } from '../lib/protocol/site-rules';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface TurnConfig {
  urls: string[];
  /** Shared secret of coturn's `use-auth-secret` / `static-auth-secret` (TURN REST API scheme). */
  secret: string;
  ttlSeconds: number;
}

export interface Config {
  host: string;
  port: number;
  dbPath: string;
  /** PostgreSQL (postgres:// URL) instead of the SQLite file; null = SQLite at dbPath. */
  databaseUrl: string | null;
  /** Redis shared by several instances (signalling, rate limits); null = one process, in memory. */
  redisUrl: string | null;
  /** Prefix of every Redis key and channel, so deployments (or test servers) can share one Redis. */
  redisPrefix: string;
  /** Origin the server is reached at; null means "http://HOST:PORT" of the actual listening port. */
  publicUrl: string | null;
  organisation: string;
  /** PeerServer key; null means generate once and keep it in the settings table. */
  peerKey: string | null;
  iceServers: IceServer[];
  /** 'relay' makes both ends use only TURN (no direct path, the peers' addresses stay hidden from each other). */
  iceTransportPolicy: IceTransportPolicy;
  turn: TurnConfig | null;
  inviteTtlMinutes: number;
  /** 'auto' is resolved once the public URL is known: Secure cookies behind https. */
  secureCookies: boolean | 'auto';
  storeLinks: { chrome: string | null; firefox: string | null };
  signIn: { idleMinutes: number; maxMinutes: number };
  /** Active sessions are ended as `max-duration` after this long. */
  sessionMaxMinutes: number;
  /** How long either end waits for the other to come back after the connection dropped (issue 17). */
  reconnectGraceSeconds: number;
  /** Live sessions (waiting with a usable invite, or active) one technician may have at once. */
  maxLiveSessionsPerTechnician: number;
  /** Ended sessions and audit rows older than this many days are deleted. */
  retentionDays: number;
  /** File holding the server's secrets (HMAC key, invite key pair, peer key), mode 0600, outside the database. */
  keyFile: string;
  /** argon2id cost for new password hashes; verification reads the cost from the stored hash. */
  passwordHash: { memoryKib: number; timeCost: number };
  /** Number of reverse proxies in front of the server whose X-Forwarded-For is trusted (rate limits per IP). */
  trustProxy: number;
  viewerDir: string;
  /** Extra masking per site, handed to the customer's extension on join (docs/site-owners.md). */
  siteRules: SiteRules;
}

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const httpUrl = z
  .string()
  .url('expected a URL')
  .refine((value) => /^https?:\/\//.test(value), 'expected an http:// or https:// URL');

const jsonIceServers = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected a JSON array of RTCIceServer objects' });
    return z.NEVER;
  }
}).pipe(z.array(iceServerSchema));

const jsonSiteRules = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected a JSON array of {"sites": [...], "mask": [...], "block": [...], "unmask": [...]}' });
    return z.NEVER;
  }
}).pipe(siteRulesSchema);

const turnUrls = z
  .string()
  .transform((text) => text.split(',').map((url) => url.trim()).filter((url) => url.length > 0))
  .pipe(z.array(z.string().regex(/^turns?:[^\s]+$/, 'expected comma-separated turn: or turns: URLs')).min(1));

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/[^\s]+$/, 'expected a postgres:// URL');

const redisUrl = z.string().regex(/^rediss?:\/\/[^\s]+$/, 'expected a redis:// or rediss:// URL');

const envSchema = z.object({
  MEEKIJK_HOST: z.string().min(1).default('127.0.0.1'),
  MEEKIJK_PORT: int(0, 65535).default(8080),
  MEEKIJK_DB: z.string().min(1).default('./data/meekijk.sqlite'),
  MEEKIJK_DATABASE_URL: postgresUrl.optional(),
  MEEKIJK_REDIS_URL: redisUrl.optional(),
  MEEKIJK_REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_:.-]{1,64}$/, 'use 1-64 letters, digits and _ : . -').default('meekijk:'),
  MEEKIJK_PUBLIC_URL: httpUrl.optional(),
  MEEKIJK_ORGANISATION: z.string().trim().min(1).max(100).default('Reconi'),
  // The PeerServer key must not be PeerJS's public default: clients of the public cloud use "peerjs".
  MEEKIJK_PEER_KEY: z
    .string()
    .min(8, 'must be at least 8 characters')
    .max(128)
    .regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, - and _ only')
    .refine((key) => key !== 'peerjs', 'must not be the public PeerJS default "peerjs"')
    .optional(),
  MEEKIJK_ICE_SERVERS: jsonIceServers.default([]),
  MEEKIJK_TURN_URLS: turnUrls.optional(),
  MEEKIJK_TURN_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  MEEKIJK_ICE_TRANSPORT_POLICY: z.enum(['all', 'relay'], 'expected all or relay').default('all'),
  MEEKIJK_TURN_TTL: int(60, 86_400).default(3600),
  MEEKIJK_INVITE_TTL_MINUTES: int(1, 24 * 60).default(15),
  MEEKIJK_SECURE_COOKIES: z.enum(['auto', 'true', 'false'], 'expected auto, true or false').default('auto'),
  MEEKIJK_STORE_LINKS_CHROME: httpUrl.optional(),
  MEEKIJK_STORE_LINKS_FIREFOX: httpUrl.optional(),
  MEEKIJK_SIGNIN_IDLE_MINUTES: int(1, 7 * 24 * 60).default(60),
  MEEKIJK_SIGNIN_MAX_MINUTES: int(1, 30 * 24 * 60).default(12 * 60),
  MEEKIJK_SESSION_MAX_MINUTES: int(1, 24 * 60).default(4 * 60),
  MEEKIJK_RECONNECT_GRACE_SECONDS: int(5, 600).default(60),
  MEEKIJK_MAX_LIVE_SESSIONS: int(1, 10_000).default(5),
  MEEKIJK_RETENTION_DAYS: int(1, 10 * 366).default(90),
  MEEKIJK_KEY_FILE: z.string().min(1).optional(),
  MEEKIJK_PASSWORD_MEMORY_KIB: int(1024, 1024 * 1024).default(19_456),
  MEEKIJK_PASSWORD_TIME_COST: int(1, 20).default(2),
  MEEKIJK_TRUST_PROXY: int(0, 10).default(0),
  MEEKIJK_VIEWER_DIR: z.string().min(1).default('dist/viewer'),
  MEEKIJK_SITE_RULES: jsonSiteRules.default([]),
});

/** Reads MEEKIJK_* variables (unset and empty are the same) into a Config; throws ConfigError. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const relevant = Object.fromEntries(
    Object.entries(env).filter(([name, value]) => name.startsWith('MEEKIJK_') && value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(relevant);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const [first, ...rest] = issue?.path ?? [];
    const name = String(first ?? 'environment');
    const inner = rest.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
    const shown = typeof relevant[name] === 'string' ? ` (got ${JSON.stringify(relevant[name])})` : '';
    throw new ConfigError(`invalid ${name}${inner}: ${issue?.message ?? 'bad value'}${shown}`);
  }
  const e = parsed.data;
  if ((e.MEEKIJK_TURN_URLS === undefined) !== (e.MEEKIJK_TURN_SECRET === undefined)) {
    throw new ConfigError('invalid MEEKIJK_TURN_URLS / MEEKIJK_TURN_SECRET: set both or neither');
  }
  const anyTurn = e.MEEKIJK_TURN_URLS !== undefined || e.MEEKIJK_ICE_SERVERS.some((server) => [server.urls].flat().some((url) => /^turns?:/.test(url)));
  if (e.MEEKIJK_ICE_TRANSPORT_POLICY === 'relay' && !anyTurn) {
    throw new ConfigError('invalid MEEKIJK_ICE_TRANSPORT_POLICY: relay needs a TURN server (MEEKIJK_TURN_URLS or a turn: entry in MEEKIJK_ICE_SERVERS)');
  }
  if (e.MEEKIJK_SIGNIN_IDLE_MINUTES > e.MEEKIJK_SIGNIN_MAX_MINUTES) {
    throw new ConfigError('invalid MEEKIJK_SIGNIN_IDLE_MINUTES: must not exceed MEEKIJK_SIGNIN_MAX_MINUTES');
  }
  const publicUrl = e.MEEKIJK_PUBLIC_URL === undefined ? null : new URL(e.MEEKIJK_PUBLIC_URL).origin;
  return {
    host: e.MEEKIJK_HOST,
    port: e.MEEKIJK_PORT,
    dbPath: e.MEEKIJK_DB,
    databaseUrl: e.MEEKIJK_DATABASE_URL ?? null,
    redisUrl: e.MEEKIJK_REDIS_URL ?? null,
    redisPrefix: e.MEEKIJK_REDIS_PREFIX,
    publicUrl,
    organisation: e.MEEKIJK_ORGANISATION,
    peerKey: e.MEEKIJK_PEER_KEY ?? null,
    iceServers: e.MEEKIJK_ICE_SERVERS,
    iceTransportPolicy: e.MEEKIJK_ICE_TRANSPORT_POLICY,
    turn:
      e.MEEKIJK_TURN_URLS && e.MEEKIJK_TURN_SECRET
        ? { urls: e.MEEKIJK_TURN_URLS, secret: e.MEEKIJK_TURN_SECRET, ttlSeconds: e.MEEKIJK_TURN_TTL }
        : null,
    inviteTtlMinutes: e.MEEKIJK_INVITE_TTL_MINUTES,
    secureCookies: e.MEEKIJK_SECURE_COOKIES === 'auto' ? 'auto' : e.MEEKIJK_SECURE_COOKIES === 'true',
    storeLinks: { chrome: e.MEEKIJK_STORE_LINKS_CHROME ?? null, firefox: e.MEEKIJK_STORE_LINKS_FIREFOX ?? null },
    signIn: { idleMinutes: e.MEEKIJK_SIGNIN_IDLE_MINUTES, maxMinutes: e.MEEKIJK_SIGNIN_MAX_MINUTES },
    sessionMaxMinutes: e.MEEKIJK_SESSION_MAX_MINUTES,
    reconnectGraceSeconds: e.MEEKIJK_RECONNECT_GRACE_SECONDS,
    maxLiveSessionsPerTechnician: e.MEEKIJK_MAX_LIVE_SESSIONS,
    retentionDays: e.MEEKIJK_RETENTION_DAYS,
    keyFile: e.MEEKIJK_KEY_FILE ?? defaultKeyFile(e.MEEKIJK_DB),
    passwordHash: { memoryKib: e.MEEKIJK_PASSWORD_MEMORY_KIB, timeCost: e.MEEKIJK_PASSWORD_TIME_COST },
    trustProxy: e.MEEKIJK_TRUST_PROXY,
    viewerDir: e.MEEKIJK_VIEWER_DIR,
    siteRules: e.MEEKIJK_SITE_RULES,
  };
}

/** Beside the database, not in it: `data/meekijk.sqlite` -> `data/meekijk.keys.json`. */
export function defaultKeyFile(dbPath: string): string {
  if (dbPath === ':memory:') return ':memory:';
  return `${dbPath.replace(/\.(sqlite3?|db)$/i, '')}.keys.json`;
}

/** The origin clients use: configured, or derived from the address actually listened on (port 0 in tests). */
export function resolvePublicUrl(config: Config, listeningPort: number): string {
  if (config.publicUrl !== null) return config.publicUrl;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return `http://${shownHost}:${listeningPort}`;
}

export function resolveSecureCookies(config: Config, publicUrl: string): boolean {
  return config.secureCookies === 'auto' ? publicUrl.startsWith('https://') : config.secureCookies;
}
