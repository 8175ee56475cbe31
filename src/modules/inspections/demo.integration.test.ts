import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';
import { inTx, systemCtx } from '../../floor/context.js';
import { sweepAll } from '../../floor/timers.js';
import { verifyAuditLog } from '../../floor/verify.js';
import { DEMOS, TIMERS } from '../../server/modules.js';

// The demo data of 大检查 (first start of `npm start`): made through the domain code, quickly, with an intact
// registration log, and showing every state the screens have.
let t: TestApp;
let ms = 0;

beforeAll(async () => {
  t = await createTestApp();
  const demo = DEMOS.find((d) => d.name === 'inspections')!;
  const started = Date.now();
  await inTx(systemCtx({ db: t.tdb.db, clock: t.clock }), (ctx) => demo.load(ctx));
  ms = Date.now() - started;
});
afterAll(async () => t?.close());

describe('inspections demo data', () => {
  it('is made in well under a second, and the registration log verifies', async () => {
    expect(ms).toBeLessThan(3000);
    const r = await verifyAuditLog({ actor: null, tx: t.tdb.db, clock: t.clock, lang: 'zh-CN' });
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('shows a campaign with visits, hazards in several states, an overdue major one with its 督办 task', async () => {
    const c = await t.call('dc_xxk', 'GET', '/api/inspections/campaigns');
    expect(c.body.items).toHaveLength(1);
    const v = await t.call('dc_xxk', 'GET', `/api/inspections/visits?campaignId=${c.body.items[0].id}`);
    expect(v.body.items.length).toBeGreaterThanOrEqual(3);
    const h = await t.call('dc_xxk', 'GET', '/api/inspections/hazards');
    const states = new Set(h.body.items.map((x: any) => x.status));
    expect(states).toEqual(new Set(['open', 'reported', 'closed']));
    const major = h.body.items.find((x: any) => x.severity === 'major');
    expect(major).toMatchObject({ overdue: true, status: 'open', suspended: true });
    const tasks = await t.call('cgz_xxy', 'GET', '/api/tasks');
    const supervised = tasks.body.items.find((x: any) => x.source === 'hazard' && x.sourceId === major.id);
    expect(supervised.status).toBe('overdue');
    expect(h.body.items.find((x: any) => x.sentBackCount === 1).status).toBe('closed');
    // its overdue escalation fires once on the first sweep
    await sweepAll({ db: t.tdb.db, clock: t.clock, timers: TIMERS });
    const n = await t.tdb.pool.query(
      `select count(*)::int as n from notifications where kind = 'hazard.overdue'`,
    );
    expect(n.rows[0].n).toBeGreaterThan(0);
  });

  it('has a watched hazard source with check-ins, and a tip-off', async () => {
    const s = await t.call('cgz_xxy', 'GET', '/api/resources/hazard-sources');
    expect(s.body.items).toHaveLength(1);
    expect(s.body.items[0].watch).toBe('ok');
    const d = await t.call('cgz_xxy', 'GET', `/api/resources/hazard-sources/${s.body.items[0].id}`);
    expect(d.body.checks).toHaveLength(2);
    const tip = await t.call('dc_xxk', 'GET', '/api/inspections/tipoffs');
    expect(tip.body.items).toHaveLength(1);
  });
});
