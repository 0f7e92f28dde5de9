/**
 * Errors the customer reads. They carry an i18n message key (public/_locales), not English text, so the
 * popup shows them in the customer's language.
 */
import { ServerError } from './server-client';

export class UserError extends Error {
  constructor(
    readonly key: string,
    readonly substitutions: string[] = [],
  ) {
    super(key);
    this.name = 'UserError';
  }
}

/** Server error codes (server/http/errors.ts) to customer-facing message keys. */
const SERVER_CODES: Record<string, string> = {
  unreachable: 'errorUnreachable',
  'unknown-code': 'errorUnknownCode',
  'unknown-link': 'errorUnknownCode',
  'rate-limited': 'errorRateLimited',
  'invite-expired': 'errorInviteExpired',
  'invite-spent': 'errorInviteSpent',
  'session-ended': 'errorSessionEnded',
  'invalid-invite': 'errorInviteMalformed',
  'terms-mismatch': 'errorTermsMismatch',
};

/** Any error as a message key with substitutions; unknown failures keep their detail for support. */
export function toUserMessage(error: unknown): { key: string; substitutions: string[] } {
  if (error instanceof UserError) return { key: error.key, substitutions: error.substitutions };
  if (error instanceof ServerError) {
    const key = SERVER_CODES[error.code];
    if (key) return { key, substitutions: [] };
    return { key: 'errorServer', substitutions: [error.message.slice(0, 200)] };
  }
  return { key: 'errorUnexpected', substitutions: [error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200)] };
}
