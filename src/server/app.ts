import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type pg from 'pg';
import type { Db } from '../db/index.js';
import type { Clock } from '../floor/clock.js';
import type { Actor, Ctx, UserCtx } from '../floor/context.js';
import { AppError } from '../floor/errors.js';
import { type App, SESSION_COOKIE } from '../floor/http.js';
import { langFrom } from '../floor/i18n.js';
import { resolveSession } from '../modules/auth/session.js';
import { benchEnabled, registerBenchStats } from './bench-stats.js';
import { type AdmissionOptions, admissionFromEnv, registerAdmission } from './plugins/admission.js';
import { clientErrorHandler, frameworkErrors, registerErrorHandler } from './plugins/errors.js';
import { assertAllDeclared, assertPolicyRef, declaredPolicy } from './plugins/policy.js';
import {
  assertPublicRoute,
  checkOrigin,
  isApiPath,
  isPublicRoute,
  REQUEST_TIMEOUT_MS,
  registerSecurityHeaders,
} from './plugins/security.js';
import { registerModules } from './routes.js';
import { Hub } from './sse-hub.js';

export { SESSION_COOKIE };

/** Routes exempt from the request time limit: live streams stay open. */
const NO_TIMEOUT = new Set(['/api/stream']);

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    /** Every route as Fastify registered it (HEAD and hidden routes included), for the route walk test. */
    routeTable: RouteInfo[];
  }
}

export interface RouteInfo {
  method: string;
  url: string;
  public: boolean;
  /** The policy action the route declares (`config.policy`). */
  policy?: string;
}

export interface AppDeps {
  db: Db;
  pool: pg.Pool;
  clock: Clock;
  hub: Hub;
  webDir?: string | null;
  logger?: boolean;
  /** The app's own origin(s) behind a proxy (JIBAO_PUBLIC_URL), for the CSRF origin check. */
  publicUrl?: string | null;
  /** Fastify's trustProxy (JIBAO_TRUST_PROXY); off unless configured. */
  trustProxy?: boolean | string | string[];
  /** Requests are cut after this long (default 15 s); live streams are exempt. */
  requestTimeoutMs?: number;
  /** Bounded admission (503 `busy` past these many requests in flight); default from JIBAO_MAX_INFLIGHT. */
  admission?: AdmissionOptions;
}

export type { App };

/** Bearer token for API clients, the session cookie for browsers. */
function tokenFrom(req: FastifyRequest): { token: string; via: 'cookie' | 'bearer' } | null {
  const h = req.headers.authorization;
  if (h?.startsWith('Bearer ')) {
    const token = h.slice(7).trim();
    return token ? { token, via: 'bearer' } : null;
  }
  const c = req.cookies?.[SESSION_COOKIE];
  return c ? { token: c, via: 'cookie' } : null;
}

export async function buildApp(deps: Omit<AppDeps, 'hub'> & { hub?: Hub }): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger
      ? {
          level: process.env.LOG_LEVEL ?? 'info',
          redact: [
            'req.headers.authorization',
            'req.headers.cookie',
            'req.body.password',
            'res.headers["set-cookie"]',
          ],
        }
      : false,
    bodyLimit: 20 * 1024 * 1024,
    // Fastify's own refusals (a malformed %-escape, raw bytes in a query …) in our shape and language
    frameworkErrors,
    clientErrorHandler,
    trustProxy: deps.trustProxy ?? false,
  }).withTypeProvider<ZodTypeProvider>();
  const hub = deps.hub ?? new Hub(deps.pool, deps.db);
  app.decorate('deps', { ...deps, hub });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const webDir = deps.webDir;
  const serveWeb = !!webDir && fs.existsSync(path.join(webDir, 'index.html'));
  registerErrorHandler(app, { notFound: !serveWeb });
  const security = { publicUrl: deps.publicUrl ?? null };
  await registerSecurityHeaders(app);
  await app.register(cookie);
  registerAdmission(app, deps.admission ?? admissionFromEnv());
  // JSON bodies; an empty body with a JSON content type (common from API clients on action POSTs such as
  // /sign or /submit) counts as no body rather than an error
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body ?? '');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      const err = new Error('invalid JSON body') as Error & { statusCode: number; code: string };
      err.statusCode = 400;
      err.code = 'FST_ERR_CTP_INVALID_JSON_BODY';
      done(err, undefined);
    }
  });
  // multipart uploads (Excel imports, attachments): registered once here, used by any module
  await app.register(multipart, { limits: { fileSize: 20 * 1024 * 1024, files: 5 } });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Jibao 急报 API',
        version: '1.0.0',
        description:
          '紧急信息报送平台的公开接口。Authorization: Bearer <token>（POST /api/auth/login 取得）或浏览器会话 Cookie。错误统一为 {error:{code,message,details}}，message 随 Accept-Language（zh-CN 默认，en）。创建或改变状态的 POST 接受 Idempotency-Key。',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  // Deny by default, decided on the route Fastify matched (never on the URL string): a route not on the public
  // list needs a session; a path that reads as /api/… however it is spelled, and matched no API route, is a
  // JSON 401 (no session) or 404. State-changing requests signed in by the cookie must come from our origin.
  const routeTable: RouteInfo[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    assertPublicRoute(route);
    assertPolicyRef(route);
    for (const method of [route.method].flat())
      routeTable.push({
        method,
        url: route.url,
        public: isPublicRoute(method, route.url),
        policy: declaredPolicy(route),
      });
  });
  app.addHook('onReady', async () => assertAllDeclared(routeTable));
  // bench only (JIBAO_BENCH=1): SQL statements per request, counted from before the session look-up
  if (benchEnabled()) registerBenchStats(app);
  app.decorateRequest('baseCtx', null as unknown as Ctx);
  app.decorateRequest('ctx', {
    getter(this: FastifyRequest): UserCtx {
      const c = this.baseCtx;
      if (!c?.actor) throw new AppError(401, 'unauthorized');
      return c as UserCtx;
    },
  });
  app.addHook('onRequest', async (req, reply) => {
    req.baseCtx = {
      actor: null,
      tx: deps.db,
      clock: deps.clock,
      lang: langFrom(req.headers['accept-language']),
    };
    const route = req.routeOptions.url;
    const isPublic = isPublicRoute(req.method, route);
    const apiPath = isApiPath(req.url);
    const unmatchedApi = apiPath && (route === undefined || route === '/*');
    // a non-API path that matched nothing is the not-found handler's: a 404 that reveals nothing
    const unmatchedOther = route === undefined && !apiPath;
    if ((!isPublic && !unmatchedOther) || unmatchedApi) {
      const presented = tokenFrom(req);
      if (presented) {
        const session = await resolveSession(deps.db, deps.clock, presented.token);
        if (session) {
          req.baseCtx.actor = session.actor;
          req.sessionTokenHash = session.tokenHash;
          req.sessionVia = presented.via;
        }
      }
      if (!req.baseCtx.actor) throw new AppError(401, 'unauthorized');
      if (unmatchedApi) throw new AppError(404, 'not_found');
    }
    checkOrigin(req, security, {
      cookieSession: req.sessionVia === 'cookie',
      signIn: route === '/api/auth/login',
    });
    if (route !== undefined && !NO_TIMEOUT.has(route)) {
      const timer = setTimeout(() => {
        if (reply.sent || reply.raw.headersSent) return;
        const err = new AppError(503, 'timeout');
        reply
          .code(503)
          .send({ error: { code: err.code, message: err.message_(req.baseCtx.lang), details: {} } });
      }, deps.requestTimeoutMs ?? REQUEST_TIMEOUT_MS);
      timer.unref();
      timers.set(req, timer);
    }
  });
  const timers = new WeakMap<FastifyRequest, NodeJS.Timeout>();
  const stopTimer = async (req: FastifyRequest) => clearTimeout(timers.get(req));
  app.addHook('onResponse', stopTimer);
  app.addHook('onRequestAbort', stopTimer);

  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    await deps.pool.query('select 1 from units limit 1');
    return reply.send({ ok: true });
  });
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  await registerModules(app as unknown as App);

  // The web app (built by Vite) for every non-API path.
  if (serveWeb && webDir) {
    await app.register(fastifyStatic, { root: webDir, wildcard: true, index: ['index.html'] });
    app.setNotFoundHandler((req, reply) => {
      if (isApiPath(req.url) || req.method !== 'GET') {
        const lang = langFrom(req.headers['accept-language']);
        return reply.code(404).send({
          error: { code: 'not_found', message: new AppError(404, 'not_found').message_(lang), details: {} },
        });
      }
      return reply.type('text/html').sendFile('index.html');
    });
  }
  return app;
}

export type { Actor };
