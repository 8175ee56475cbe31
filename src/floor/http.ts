import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Ctx, UserCtx } from './context.js';

/**
 * What a module's routes see of the HTTP server: the Fastify instance and the request's context. The server
 * (src/server) builds the app and fills these in; modules never import the server.
 */
export type App = FastifyInstance & { withTypeProvider: FastifyInstance['withTypeProvider'] };

export const SESSION_COOKIE = 'jibao_session';

/** `{id}` path parameter of most records. */
export const idParam = z.object({ id: z.uuid() });

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in caller's context; reading it on a request without a session is a 401. */
    readonly ctx: UserCtx;
    /** The context before sign-in is known (public routes: the actor may be null). */
    baseCtx: Ctx;
    sessionTokenHash?: string;
    /** How the session was presented: the browser's cookie (CSRF-checked) or a bearer token. */
    sessionVia?: 'cookie' | 'bearer';
  }
  interface FastifyContextConfig {
    public?: boolean;
    /** The policy action the route performs (`myPolicy.ref('action')`, see policy.ts). */
    policy?: string;
  }
}
