import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../src/floor/clock.js';
import { buildApp } from '../../src/server/app.js';
import { createTestDb, type TestDb } from './db.js';

export const DEMO_PASSWORD = 'Jibao@2026';

export interface TestApp {
  app: FastifyInstance;
  clock: ManualClock;
  tdb: TestDb;
  /** Sign in and return the bearer token (cached per username). */
  token(username: string, password?: string): Promise<string>;
  /** JSON request as `username` (or anonymous with null). */
  call(
    username: string | null,
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  /** Unit id by exact name (demo data). */
  unitId(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function createTestApp(opts: { demo?: boolean; clock?: ManualClock } = {}): Promise<TestApp> {
  const tdb = await createTestDb({ demo: opts.demo ?? true });
  const clock = opts.clock ?? new ManualClock('2026-11-23T02:00:00Z'); // Mon 10:00 Beijing time
  const app = await buildApp({ db: tdb.db, pool: tdb.pool, clock, webDir: null });
  // unexpected errors (not refusals) are printed, so a 500 in a test shows its cause
  app.addHook('onError', async (_req, _reply, err) => {
    if (!(err as any).status && !(err as any).validation && !(err as any).statusCode) console.error(err);
  });
  await app.ready();
  const tokens = new Map<string, string>();
  const t: TestApp = {
    app,
    clock,
    tdb,
    async token(username, password = DEMO_PASSWORD) {
      const hit = tokens.get(username);
      if (hit) return hit;
      const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (r.statusCode !== 200) throw new Error(`login ${username}: ${r.statusCode} ${r.body}`);
      const tok = r.json().token as string;
      tokens.set(username, tok);
      return tok;
    },
    async call(username, method, url, body, headers = {}) {
      const h: Record<string, string> = { ...headers };
      if (username) h.authorization = `Bearer ${await t.token(username)}`;
      const r = await app.inject({ method, url, payload: body as any, headers: h });
      let parsed: any = null;
      try {
        parsed = r.body ? r.json() : null;
      } catch {
        parsed = r.body;
      }
      return { status: r.statusCode, body: parsed, headers: r.headers as Record<string, unknown> };
    },
    async unitId(name) {
      const r = await tdb.pool.query('select id from units where name = $1', [name]);
      if (!r.rows[0]) throw new Error(`no unit ${name}`);
      return r.rows[0].id;
    },
    async close() {
      await app.close();
      await tdb.drop();
    },
  };
  return t;
}
