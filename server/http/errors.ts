/** One error shape for every API failure: `{error:{code,message}}` with a fitting status; never a stack trace. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** body-parser's errors carry a `type` and a `status`; parse them rather than trust their shape. */
const bodyParserError = z.object({ type: z.string(), status: z.number() });

export const apiNotFound: RequestHandler = (req) => {
  throw new HttpError(404, 'not-found', `no such endpoint: ${req.method} ${req.originalUrl.split('?')[0] ?? ''}`);
};

export function errorHandler(log: (message: string) => void): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    let status = 500;
    let code = 'internal';
    let message = 'internal server error';
    if (error instanceof HttpError) {
      ({ status, code, message } = error);
      res.set(error.headers);
    } else {
      const parsed = bodyParserError.safeParse(error);
      if (parsed.success && parsed.data.type === 'entity.too.large') {
        [status, code, message] = [413, 'too-large', 'request body too large'];
      } else if (parsed.success && parsed.data.status === 400) {
        [status, code, message] = [400, 'bad-json', 'request body is not valid JSON'];
      } else if (parsed.success && parsed.data.status === 415) {
        [status, code, message] = [415, 'unsupported-media-type', 'send application/json'];
      } else {
        log(`${req.method} ${req.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
    if (res.headersSent) return;
    res.status(status).type('application/json').send(JSON.stringify({ error: { code, message } }));
  };
}
