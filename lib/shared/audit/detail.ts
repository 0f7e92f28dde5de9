/**
 * What an audit row's or a history line's `detail` holds, per kind, as data (issue 23): a code
 * (`customer`, `no-control`, `idle-timeout`), a clicked element (`button role=tab`) or `key=value` pairs
 * (`minutes=10`, `ticket=T-1`), never a sentence. The server stores it so (its CSV export too); each reader
 * puts it in words in their own language (detail-text.ts). Nothing in it is page content: tags, roles,
 * codes, counts, the ticket and the terms' hash (art. 1.1, 5.1).
 *
 * The server accepts a detail from the extension only when it reads as its kind (server/routes/sessions.ts).
 */
import * as z from 'zod/mini';
import { clickRefusalSchema, keyRefusalSchema, targetSchema, type ControlEventKind } from '../../protocol/control';
import { END_REASONS } from '../../protocol/wire';

/** Why a request for control ended without control: who or what answered. */
export const REFUSED_BY = ['customer', 'technician', 'unanswered', 'page-changed', 'other-site', 'connection-lost'] as const;
/** Why granted control ended before its time. */
export const REVOKED_BY = ['customer', 'customer-esc', 'technician', 'other-site', 'session-ended', 'connection-lost'] as const;
/** Every reason a session ends: the ends' own (the wire's), and the server's (expired invite, disabled account). */
export const SESSION_END_REASONS = [...END_REASONS, 'expired', 'technician-disabled'] as const;
/** The server's rate limits (server/auth/limit-report.ts). */
export const LIMIT_NAMES = ['login-per-address', 'login-account-slowed', 'code-per-address', 'code-global'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

const count = z.pipe(z.string().check(z.regex(/^\d{1,9}$/)), z.transform(Number));
const isoTime = z.string().check(z.maxLength(40));

/** One kind's detail: how it is written and read back (undefined when the text is not of this kind). */
interface Codec<T> {
  write(value: T): string;
  read(text: string): T | undefined;
}

const nothing: Codec<Record<string, never>> = { write: () => '', read: (text) => (text === '' ? {} : undefined) };

function code<const K extends string, V extends string>(key: K, schema: z.ZodMiniType<V>): Codec<Record<K, V>> {
  return {
    write: (value) => value[key],
    read: (text) => {
      const parsed = schema.safeParse(text);
      return parsed.success ? ({ [key]: parsed.data } as Record<K, V>) : undefined;
    },
  };
}

function pairs<S extends z.ZodMiniObject>(schema: S): Codec<z.output<S>> {
  return {
    write: (value) => new URLSearchParams(Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])).toString(),
    read: (text) => {
      const parsed = schema.safeParse(Object.fromEntries(new URLSearchParams(text)));
      return parsed.success ? parsed.data : undefined;
    },
  };
}

/** A clicked element as the extension describes it: `tag` or `tag role=role` (lib/background/control). */
const target: Codec<z.infer<typeof targetSchema>> = {
  write: ({ tag, role }) => (role ? `${tag} role=${role}` : tag),
  read: (text) => {
    const match = /^([^ ]+)(?: role=([^ ]+))?$/.exec(text);
    const parsed = match ? targetSchema.safeParse({ tag: match[1], role: match[2] ?? null }) : undefined;
    return parsed?.success ? parsed.data : undefined;
  },
};

const minutes = pairs(z.object({ minutes: count }));

export const DETAIL = {
  // Reported by the extension (lib/background/control), for the technician's acts and the customer's.
  'control-requested': nothing,
  'control-granted': minutes,
  'control-refused': code('by', z.enum(REFUSED_BY)),
  'control-revoked': code('by', z.enum(REVOKED_BY)),
  'control-expired': minutes,
  'click-executed': target,
  'click-refused': code('reason', clickRefusalSchema),
  'keys-typed': nothing,
  'key-refused': code('reason', keyRefusalSchema),
  'verification-shown': nothing,
  // Written by the server.
  'session-created': pairs(z.object({ ticket: z.string().check(z.maxLength(200)) })),
  'invite-redeemed': code('via', z.enum(['code', 'link'])),
  'invite-used': nothing,
  consent: pairs(z.object({ terms: z.string().check(z.regex(/^[0-9a-f]{64}$/)), locale: z.enum(['nl', 'en']), at: isoTime })),
  ended: code('reason', z.enum(SESSION_END_REASONS)),
  'rate-limited': pairs(z.object({ limit: z.enum(LIMIT_NAMES), more: z.optional(count), since: z.optional(isoTime) })),
  'peer-second-socket-refused': code('role', z.enum(['customer', 'viewer'])),
  'technician-disabled': pairs(z.object({ signIns: count, sessions: count })),
  'audit-capped': pairs(z.object({ cap: count })),
} as const;

export type DetailKind = keyof typeof DETAIL;
export type Detail<K extends DetailKind> = NonNullable<ReturnType<(typeof DETAIL)[K]['read']>>;

export function isDetailKind(kind: string): kind is DetailKind {
  return Object.hasOwn(DETAIL, kind);
}

/** The detail text for `kind`, from its data. */
export function writeDetail<K extends DetailKind>(kind: K, value: Detail<K>): string {
  return (DETAIL[kind] as unknown as Codec<Detail<K>>).write(value);
}

/** The data in a stored detail, or undefined when it is not of its kind (an unknown kind, a malformed row). */
export function readDetail<K extends DetailKind>(kind: K, text: string): Detail<K> | undefined {
  return (DETAIL[kind] as unknown as Codec<Detail<K>>).read(text);
}

/** The audit kind each line of the customer's history is reported as (one event, two records). */
export const AUDIT_KIND_OF = {
  requested: 'control-requested',
  granted: 'control-granted',
  refused: 'control-refused',
  revoked: 'control-revoked',
  expired: 'control-expired',
  click: 'click-executed',
  'click-refused': 'click-refused',
  typed: 'keys-typed',
  'key-refused': 'key-refused',
} as const satisfies Record<ControlEventKind, DetailKind>;
