/** Every request body is parsed with the shared schema in lib/protocol/api.ts (invariant 7). */
import type { z } from 'zod';
import { HttpError } from './errors';

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body ?? null);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new HttpError(400, 'invalid-request', `${where}${issue?.message ?? 'invalid request body'}`);
  }
  return parsed.data;
}

/** Express 5 gives query values as string | string[] | object; only a single string counts. */
export function queryString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
