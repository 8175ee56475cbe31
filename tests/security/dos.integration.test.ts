import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

/** Point 9 of issue #9: no request runs without bound. */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
});
afterAll(async () => t?.close());

const RULE_KINDS = ['must_report', 'timeliness', 'responsible_departments', 'deduction', 'scoring'];

describe('rule sets', () => {
  it('the scoring rules answer at once with the SPEC §7 table', async () => {
    await t.tdb.pool.query(`delete from rule_sets where kind = 'scoring'`);
    const r = await t.call('sz_xxk', 'GET', '/api/rule-sets/scoring');
    expect(r.status).toBe(200);
    expect(r.body.body).toMatchObject({
      adoption: { own_daily: 3, own_short: 1, city_daily: 5, centre_adopted: 50 },
      instruction: { county: 3, city: 5, province: 10, centre: 100 },
      commission: { late: -10, missed: -10 },
    });
  });

  it('every kind of rule set answers with a body, even before anyone saved one', async () => {
    await t.tdb.pool.query(`delete from rule_sets`);
    for (const kind of RULE_KINDS) {
      const r = await t.call('dc_xxk', 'GET', `/api/rule-sets/${kind}`);
      expect(r.status, kind).toBe(200);
      expect(r.body.version, kind).toBe(1);
      expect(Object.keys(r.body.body ?? {}).length, kind).toBeGreaterThan(0);
    }
  });

  it('an unknown kind of rule set is a 404 in the contract shape', async () => {
    const r = await t.call('dc_xxk', 'GET', '/api/rule-sets/no_such_kind');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('rule_set_missing');
  });
});
