/**
 * The Meekijk server: HTTP API, published pages, the built viewer and the PeerServer on one HTTP server.
 * `startServer` is what main.ts and the tests call; it listens, and `close()` stops everything it started.
 */
import express from 'express';
import { createServer, type Server } from 'node:http';
import { importInvitePublicKey } from '../lib/shared/invite/verify';
import { createLimiters, pruneLimiters } from './auth/limiters';
import { resolvePublicUrl, resolveSecureCookies, type Config } from './config';
import type { AppContext } from './context';
import { deleteStaleAuthSessions } from './db/auth-sessions';
import { openDatabase, type Db } from './db/open';
import { memoryRateLimiters } from './auth/rate-limit';
import { redisRelay } from './peer/relay';
import { connectRedis, type RedisLink } from './redis/connect';
import { redisRateLimiters } from './redis/rate-limit';
import { extensionCors } from './http/cors';
import { apiNotFound, errorHandler } from './http/errors';
import { securityHeaders } from './http/security-headers';
import { loadServerKeys } from './keys';
import { mountSignalling } from './peer/signalling';
import { auditRoutes } from './routes/audit';
import { authRoutes } from './routes/auth';
import { inviteRoutes } from './routes/invites';
import { publicRoutes } from './routes/public';
import { sessionRoutes } from './routes/sessions';
import { viewerRoutes } from './routes/viewer';
import { sweepOverdue } from './sessions/lifecycle';
import { applyRetention } from './sessions/retention';
import { loadTerms } from './terms';

export interface StartOptions {
  /** Clock in ms since epoch; injectable so expiry can be tested without waiting. */
  now?: () => number;
  log?: (message: string) => void;
  /** Waits for the sign-in slow-down (server/auth/limiters.ts); injectable so tests need not wait it out. */
  sleep?: (ms: number) => Promise<void>;
  /** How often expired sessions, stray sockets, limits and retention are swept (default 30 s). */
  sweepIntervalMs?: number;
}

export interface RunningServer {
  /** Where it listens, e.g. http://127.0.0.1:8080 (port 0 resolved). */
  url: string;
  /** Where clients reach it (MEEKIJK_PUBLIC_URL, or `url`). */
  publicUrl: string;
  db: Db;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

const SWEEP_INTERVAL_MS = 30_000;

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const now = options.now ?? Date.now;
  const log = options.log ?? ((message: string) => console.error(`[meekijk] ${message}`));
  const db = await openDatabase(config);
  let redis: RedisLink | null = null;
  try {
    // Several instances share sign-ins and sessions through the database, and signalling and rate-limit
    // counters through Redis; without Redis both stay in this process.
    redis = config.redisUrl === null ? null : await connectRedis(config.redisUrl, config.redisPrefix);
    const shared = redis;
    const keys = await loadServerKeys(db, config, log);
    const terms = loadTerms();
    const inviteVerifyKey = await importInvitePublicKey(keys.invitePublicKeySpki);
    const app = express();
    const httpServer = createServer(app);
    await listen(httpServer, config);
    const address = httpServer.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const publicUrl = resolvePublicUrl(config, port);

    // Before anything is mounted, so the PeerServer's answers carry them too.
    app.disable('x-powered-by');
    app.set('trust proxy', config.trustProxy);
    app.use(securityHeaders({ https: publicUrl.startsWith('https:') }));
    const signalling = await mountSignalling(app, httpServer, {
      db, secret: keys.secret, peerKey: keys.peerKey, now, log,
      relay: shared === null ? null : (onDisconnect) => redisRelay(shared, onDisconnect, log),
    });
    const ctx: AppContext = {
      config, db, keys, inviteVerifyKey, publicUrl, now, log, terms, peers: signalling,
      secureCookies: resolveSecureCookies(config, publicUrl),
      limiters: createLimiters(shared === null ? memoryRateLimiters({ now }) : redisRateLimiters(shared.commands, shared.prefix, now), { now, db, log, sleep: options.sleep }),
    };
    buildApp(app, ctx);
    await applyRetention(ctx);

    const sweep = setInterval(() => {
      Promise.all([
        sweepOverdue(ctx),
        signalling.sweepEnded(),
        applyRetention(ctx),
        pruneLimiters(ctx.limiters),
        deleteStaleAuthSessions(db, now() - config.signIn.idleMinutes * 60_000, now() - config.signIn.maxMinutes * 60_000),
      ]).catch((error: unknown) => log(`sweep failed: ${error instanceof Error ? error.message : String(error)}`));
    }, options.sweepIntervalMs ?? SWEEP_INTERVAL_MS);
    sweep.unref();

    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    return {
      url: `http://${host}:${port}`,
      publicUrl,
      db,
      close: async () => {
        clearInterval(sweep);
        await signalling.close();
        await closeHttp(httpServer);
        await shared?.close();
        await db.destroy();
      },
    };
  } catch (error) {
    await redis?.close();
    await db.destroy();
    throw error;
  }
}

function buildApp(app: express.Express, ctx: AppContext): void {
  app.use('/api', extensionCors(), express.json({ limit: '16kb' }), (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use(publicRoutes(ctx));
  app.use('/api/auth', authRoutes(ctx));
  app.use('/api', inviteRoutes(ctx));
  app.use('/api/sessions', sessionRoutes(ctx));
  app.use('/api', auditRoutes(ctx));
  app.use('/api', apiNotFound);
  app.use(viewerRoutes(ctx));
  app.use(errorHandler(ctx.log));
}

function listen(server: Server, config: Config): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new PortInUseError(`port ${config.port} on ${config.host} is already in use; set MEEKIJK_PORT`));
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
        reject(new PortInUseError(`cannot listen on ${config.host}: address not available; set MEEKIJK_HOST`));
      } else reject(error);
    };
    server.once('error', onError);
    server.listen(config.port, config.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeHttp(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
