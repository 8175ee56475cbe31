/**
 * Bench only (`JIBAO_BENCH=1`, never in a normal start): each request's SQL statements are counted for the
 * route Fastify matched (with `JIBAO_COUNT_SQL=1`, src/db/sql-count.ts), and `GET /api/_bench/sql-stats`
 * shows them with the process's CPU time — to the top administrator only, like every route after sign-in.
 */
import type { FastifyInstance } from 'fastify';
import {
  countSqlFor,
  newSqlScope,
  type SqlScope,
  type SqlTally,
  sqlCounting,
  sqlTotals,
} from '../db/sql-count.js';
import { authorize, definePolicy } from '../floor/policy.js';
import { isGlobalAdmin } from '../modules/auth/policy.js';

/** The bench's statistics: the root administrator only (and only when JIBAO_BENCH=1 adds the route). */
const benchPolicy = definePolicy('bench', {
  readStats: { roles: ['admin'], allow: (a, _none: null) => isGlobalAdmin(a) },
});

declare module 'fastify' {
  interface FastifyRequest {
    sqlScope?: SqlScope;
  }
}

export const benchEnabled = () => process.env.JIBAO_BENCH === '1';

/** Call where a hook added now runs before sign-in (the session look-up is the request's too). */
export function registerBenchStats(app: FastifyInstance): void {
  const byRoute = new Map<string, SqlTally & { requests: number }>();
  if (sqlCounting()) {
    app.addHook('onRequest', (req, _reply, done) => {
      req.sqlScope = newSqlScope();
      countSqlFor(req.sqlScope, done);
    });
    app.addHook('onResponse', (req, reply, done) => {
      if (req.sqlScope) {
        const key = `${req.method} ${req.routeOptions.url ?? '(unmatched)'} ${reply.statusCode}`;
        const t = byRoute.get(key) ?? {
          requests: 0,
          statements: 0,
          transactions: 0,
          notifies: 0,
          notifyInTx: 0,
        };
        t.requests++;
        for (const k of ['statements', 'transactions', 'notifies', 'notifyInTx'] as const)
          t[k] += req.sqlScope.tally[k];
        byRoute.set(key, t);
      }
      done();
    });
  }
  app.get(
    '/api/_bench/sql-stats',
    {
      config: { policy: benchPolicy.ref('readStats') },
      schema: {
        tags: ['bench'],
        summary: '压测统计（仅 JIBAO_BENCH=1） / bench statistics: SQL statements per route, process CPU',
      },
    },
    async (req) => {
      authorize(req.ctx.actor, benchPolicy, 'readStats', null);
      const cpu = process.cpuUsage();
      return {
        ...sqlTotals(),
        byRoute: Object.fromEntries(byRoute),
        cpuMs: { user: cpu.user / 1000, system: cpu.system / 1000 },
      };
    },
  );
}
