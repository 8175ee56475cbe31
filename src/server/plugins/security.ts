import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { AppError } from '../../floor/errors.js';
import { registerMessages } from '../../floor/i18n.js';

/**
 * The routes anyone may call without signing in: a fixed list, asserted by a test. Every other route needs a
 * signed-in session (deny by default). A route that declares `config: { public: true }` without being on this
 * list stops the server at start-up. The web app's static files (`/*`) are public, but any path that reads as
 * `/api/…` once decoded and lower-cased is answered by the API's own 401/404, never by the app page.
 */
export const PUBLIC_ROUTES: readonly string[] = [
  'POST /api/auth/login',
  'GET /healthz',
  'HEAD /healthz',
  'GET /api/openapi.json',
  'HEAD /api/openapi.json',
  // 举报: the public tip-off form, its receipt's status and the areas it may go to (rate-limited, size-limited)
  'POST /api/public/tipoffs',
  'POST /api/public/tipoffs/:receipt/photos',
  'GET /api/public/tipoffs/:receipt',
  'HEAD /api/public/tipoffs/:receipt',
  'GET /api/public/tipoff-areas',
  'HEAD /api/public/tipoff-areas',
  // the built web app (index.html, scripts, styles); refuses API-looking paths itself
  'GET /*',
  'HEAD /*',
];

/** Requests cut after this long (live streams exempt); PostgreSQL's statement_timeout matches it. */
export const REQUEST_TIMEOUT_MS = 15_000;

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const routeKey = (method: string, url: string) => `${method.toUpperCase()} ${url}`;

/** Whether a route (as Fastify registered it) may be called without a session. */
export function isPublicRoute(method: string, url: string | undefined): boolean {
  return !!url && PUBLIC_ROUTES.includes(routeKey(method, url));
}

/**
 * The path as a server or proxy might read it: percent-decoded (repeatedly), `;params` dropped, backslashes and
 * repeated slashes folded, `.` and `..` segments resolved, lower-cased. Used only to decide that something is
 * an API path; routing itself is Fastify's.
 */
export function normalizedPath(rawUrl: string): string {
  let p = rawUrl.split('?')[0].split('#')[0];
  for (let i = 0; i < 3; i++) {
    try {
      const d = decodeURIComponent(p);
      if (d === p) break;
      p = d;
    } catch {
      p = p.replace(/%([0-9a-f]{2})/gi, (m, h) => {
        const c = String.fromCharCode(Number.parseInt(h, 16));
        return c.charCodeAt(0) < 0x80 ? c : m;
      });
      break;
    }
  }
  p = p.replace(/\\/g, '/').replace(/;[^/]*/g, '');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`.toLowerCase();
}

/** Whether a raw request URL is, however spelled, an API path (or `/healthz`). */
export function isApiPath(rawUrl: string): boolean {
  const p = normalizedPath(rawUrl);
  return p === '/api' || p.startsWith('/api/');
}

export interface SecurityOptions {
  /** The app's own origin(s) behind a proxy (JIBAO_PUBLIC_URL, comma-separated); else the request's host. */
  publicUrl?: string | null;
}

function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`.toLowerCase();
  } catch {
    return null;
  }
}

/** The origins this app answers as: JIBAO_PUBLIC_URL's, or the one the request was addressed to. */
function ownOrigins(req: FastifyRequest, opts: SecurityOptions): string[] {
  if (opts.publicUrl)
    return opts.publicUrl
      .split(',')
      .map((s) => originOf(s.trim()))
      .filter((o): o is string => !!o);
  const own = req.headers.host ? originOf(`${req.protocol}://${req.headers.host}`) : null;
  return own ? [own] : [];
}

/**
 * Login CSRF and cross-site requests riding on the session cookie: a state-changing request that is signed in by
 * the cookie must come from the app's own origin (`Origin`, or without it `Referer`); one with neither is refused.
 * A sign-in with a foreign `Origin` is refused too. Bearer-token clients carry no ambient credential and are not
 * affected.
 */
export function checkOrigin(
  req: FastifyRequest,
  opts: SecurityOptions,
  how: { cookieSession: boolean; signIn: boolean },
): void {
  if (!STATE_CHANGING.has(req.method)) return;
  if (!how.cookieSession && !how.signIn) return;
  const origin = typeof req.headers.origin === 'string' ? req.headers.origin : null;
  const referer = typeof req.headers.referer === 'string' ? req.headers.referer : null;
  const claimed = origin && origin !== 'null' ? originOf(origin) : origin === 'null' ? 'null' : null;
  const from = claimed ?? (referer ? originOf(referer) : null);
  if (!from) {
    // a script signing in with a password has no origin to show; a cookie-carrying change must have one
    if (how.cookieSession) throw new AppError(403, 'csrf');
    return;
  }
  if (!ownOrigins(req, opts).includes(from)) throw new AppError(403, 'csrf');
}

/** Security headers: CSP without inline or eval scripts, no framing, nosniff; HSTS only over HTTPS. */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    global: true,
    hsts: false,
    crossOriginEmbedderPolicy: false,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        // Ant Design writes its styles at run time
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'worker-src': ["'self'"],
        'manifest-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'frame-src': ["'self'"],
      },
    },
  });
  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload) => {
    if (req.protocol === 'https') {
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
      const csp = reply.getHeader('content-security-policy');
      if (typeof csp === 'string' && !csp.includes('upgrade-insecure-requests'))
        reply.header('content-security-policy', `${csp};upgrade-insecure-requests`);
    }
    if (isApiPath(req.url)) {
      reply.header('cache-control', 'no-store');
      reply.header('pragma', 'no-cache');
    }
    return payload;
  });
}

/** Routes whose config declares them public must be on the fixed list; checked as each route is added. */
export function assertPublicRoute(route: RouteOptions): void {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const declared = (route.config as { public?: boolean } | undefined)?.public === true;
  for (const m of methods) {
    const listed = isPublicRoute(m, route.url);
    if (declared && !listed)
      throw new Error(`route ${routeKey(m, route.url)} declares itself public but is not in PUBLIC_ROUTES`);
  }
}

registerMessages(
  {
    'error.csrf': '请求来自本系统以外的页面，已拒绝。请在急报系统的页面中操作。',
    'error.timeout': '请求处理超时（15 秒），操作未完成，请稍后重试。',
  },
  {
    'error.csrf': 'The request came from a page outside Jibao and was refused. Please act from Jibao itself.',
    'error.timeout':
      'The request took longer than 15 seconds and was stopped; nothing was saved. Please retry.',
  },
);
