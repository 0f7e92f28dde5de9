import { describe, expect, it } from 'vitest';
import { endSessionRequestSchema } from '@/lib/protocol/api';
import { END_REASONS } from '@/lib/protocol/wire';

describe('the end request', () => {
  it('takes every reason of the wire a client reports, from the wire’s own list', () => {
    const reported = END_REASONS.filter((reason) => reason !== 'refused');
    expect(endSessionRequestSchema.shape.reason.options).toEqual(reported);
    for (const reason of reported) expect(endSessionRequestSchema.parse({ reason })).toEqual({ reason });
  });

  it('refuses "refused" (reported as connection-lost) and any reason of no list', () => {
    for (const reason of ['refused', 'expired', 'technician-disabled', 'bored', '', 42, undefined]) {
      expect(endSessionRequestSchema.safeParse({ reason }).success, String(reason)).toBe(false);
    }
  });
});
