/**
 * One policy: a route under /api that is neither public nor declares the policy action it performs stops the
 * server at start-up, and so does a declaration naming an action no `definePolicy` table has. Only the emergency
 * routes still being moved are let through, and no other family may join them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/floor/clock.js';
import { definePolicy, policyActions } from '../../src/floor/policy.js';
import { buildApp } from '../../src/server/app.js';
import { UNDECLARED_PREFIXES } from '../../src/server/plugins/policy.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

let tdb: TestDb;
const clock = new ManualClock('2026-11-23T02:00:00Z');
const build = () => buildApp({ db: tdb.db, pool: tdb.pool, clock, webDir: null });

beforeAll(async () => {
  tdb = await createTestDb({ demo: false });
});
afterAll(async () => tdb?.drop());

/** Add a route to a fresh app and start it; the error that stops the start (or null). */
async function startWith(add: (app: Awaited<ReturnType<typeof build>>) => void): Promise<Error | null> {
  const app = await build();
  try {
    add(app);
    await app.ready();
    return null;
  } catch (e) {
    return e as Error;
  } finally {
    await app.close().catch(() => {});
  }
}

describe('the server refuses to start', () => {
  it('when a new /api route declares no policy', async () => {
    const err = await startWith((app) => app.get('/api/not-yet-a-module', async () => ({ items: [] })));
    expect(err?.message).toMatch(/routes without a policy declaration: \/api\/not-yet-a-module/);
  });

  it('when a new route is added beside a converted family without a declaration', async () => {
    for (const url of ['/api/units/:id/secrets', '/api/duty/extra', '/api/users/:id/everything']) {
      const err = await startWith((app) => app.post(url, async () => ({ ok: true })));
      expect(err?.message, url).toMatch(/routes without a policy declaration/);
      expect(err?.message, url).toContain(url);
    }
  });

  it('when a declaration names an action no policy defines', async () => {
    for (const policy of ['units.launch', 'nosuchpolicy.read', 'units', '']) {
      const err = await startWith((app) =>
        app.get('/api/not-yet-a-module', { config: { policy } }, async () => ({ items: [] })),
      );
      // an empty declaration names no action either
      expect(err?.message, policy).toContain(`declares policy ${policy}, which no definePolicy names`);
    }
  });
});

describe('the server starts', () => {
  it('with the declared routes of today, and with a new route that declares a defined action', async () => {
    const p = definePolicy('declarations_test', { list: { roles: 'signed-in' } });
    const err = await startWith((app) =>
      app.get('/api/not-yet-a-module', { config: { policy: p.ref('list') } }, async () => ({ items: [] })),
    );
    expect(err).toBeNull();
    // a public route needs no policy
    const pub = await startWith((app) =>
      app.get('/api/openapi-extra.json', { config: { public: true } }, async () => ({})),
    );
    expect(pub?.message ?? '').not.toMatch(/policy/);
  });

  it('every /api route but the emergency family carries a declaration naming a defined action', async () => {
    const app = await build();
    await app.ready();
    const defined = new Set(policyActions().map((a) => a.ref));
    const undeclared = app.routeTable.filter((r) => r.url.startsWith('/api/') && !r.public && !r.policy);
    for (const r of undeclared)
      expect(
        ['/api/events', '/api/reports', '/api/intake', '/api/instructions', '/api/attachments'].some(
          (p) => r.url === p || r.url.startsWith(`${p}/`),
        ),
        `${r.method} ${r.url}`,
      ).toBe(true);
    for (const r of app.routeTable.filter((x) => x.policy))
      expect(defined.has(r.policy!), `${r.url}: ${r.policy}`).toBe(true);
    // the families moved this session are no longer let through
    expect([...UNDECLARED_PREFIXES].sort()).toEqual(
      ['/api/attachments', '/api/events', '/api/instructions', '/api/intake', '/api/reports'].sort(),
    );
    await app.close();
  });
});
