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
import { resolveSession } from '../modules/auth/session.js';
import type { Clock } from '../modules/shared/clock.js';
import type { Actor, Ctx } from '../modules/shared/context.js';
import { AppError } from '../modules/shared/errors.js';
import { langFrom } from '../modules/shared/i18n.js';
import { registerErrorHandler } from './plugins/errors.js';
import { registerModules } from './routes.js';
import { Hub } from './sse-hub.js';

export const SESSION_COOKIE = 'jibao_session';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: Ctx;
    sessionTokenHash?: string;
  }
  interface FastifyContextConfig {
    public?: boolean;
  }
  interface FastifyInstance {
    deps: AppDeps;
  }
}

export interface AppDeps {
  db: Db;
  pool: pg.Pool;
  clock: Clock;
  hub: Hub;
  webDir?: string | null;
  logger?: boolean;
}

export type App = FastifyInstance & { withTypeProvider: FastifyInstance['withTypeProvider'] };

/** Bearer token for API clients, the session cookie for browsers. */
function tokenFrom(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (h?.startsWith('Bearer ')) return h.slice(7).trim() || null;
  const c = req.cookies?.[SESSION_COOKIE];
  return c || null;
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
    trustProxy: true,
  }).withTypeProvider<ZodTypeProvider>();
  const hub = deps.hub ?? new Hub(deps.pool, deps.db);
  app.decorate('deps', { ...deps, hub });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const webDir = deps.webDir;
  const serveWeb = !!webDir && fs.existsSync(path.join(webDir, 'index.html'));
  registerErrorHandler(app, { notFound: !serveWeb });
  await app.register(cookie);
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

  // Every request gets its context; the actor is resolved from the session for /api routes.
  app.decorateRequest('ctx', null as unknown as Ctx);
  app.addHook('onRequest', async (req) => {
    req.ctx = { actor: null, tx: deps.db, clock: deps.clock, lang: langFrom(req.headers['accept-language']) };
    if (!req.url.startsWith('/api/')) return;
    const token = tokenFrom(req);
    if (token) {
      const session = await resolveSession(deps.db, deps.clock, token);
      if (session) {
        req.ctx.actor = session.actor;
        req.sessionTokenHash = session.tokenHash;
      }
    }
    if (!req.ctx.actor && !req.routeOptions.config?.public) throw new AppError(401, 'unauthorized');
  });

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
      if (req.url.startsWith('/api/') || req.method !== 'GET') {
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
