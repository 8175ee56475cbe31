/**
 * The demo city comes alive on first start (issue 11, point 11): what a person signing in sees must be true —
 * judged by the real code, verifiable in the log — and show every state the product has.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../tests/helpers/app.js';
import { ManualClock } from '../floor/clock.js';
import { loadDemoActivity } from './demo-activity.js';

const NOW = new Date('2026-12-03T07:00:00Z'); // Thursday 15:00 Beijing time
let t: TestApp;
let loaded: { events: number; calls: number };

beforeAll(async () => {
  t = await createTestApp({ clock: new ManualClock(NOW) });
  loaded = await loadDemoActivity({ db: t.tdb.db, pool: t.tdb.pool, now: NOW });
}, 180_000);
afterAll(async () => t?.close());

const events = async (user: string) =>
  (await t.call(user, 'GET', '/api/events?limit=100')).body.items as Array<{
    id: string;
    title: string;
    status: string;
    occurredAt: string;
  }>;

describe('demo activity', () => {
  it('two years of events, most closed, whose deadlines the real code judged — mostly met, some late', async () => {
    const all = await events('sz_zby');
    expect(all.length).toBe(loaded.events);
    expect(all.length).toBeGreaterThanOrEqual(30);
    const oldest = Math.min(...all.map((e) => new Date(e.occurredAt).getTime()));
    expect(NOW.getTime() - oldest).toBeGreaterThan(700 * 86_400_000);
    expect(all.filter((e) => e.status === 'closed').length).toBeGreaterThan(all.length / 2);
    const statuses: Record<string, number> = {};
    for (const e of all) {
      const ev = (await t.call('sz_zby', 'GET', `/api/events/${e.id}`)).body;
      for (const d of ev.deadlines) statuses[d.status] = (statuses[d.status] ?? 0) + 1;
    }
    expect(statuses.met).toBeGreaterThan(3 * (statuses.late ?? 0));
    expect(statuses.late).toBeGreaterThan(0);
    expect(statuses.missed ?? 0).toBe(0);
  });

  it('right now: one overdue, one instruction awaiting feedback, one closed yesterday with its trace', async () => {
    const all = await events('dc_zby');
    const byTitle = (s: string) => all.find((e) => e.title.includes(s))!;
    const overdue = (await t.call('dc_zby', 'GET', `/api/events/${byTitle('燃气泄漏').id}`)).body;
    expect(overdue.status).toBe('open');
    expect(overdue.deadlines.some((d: any) => d.status === 'late' && !d.metAt)).toBe(true);

    const instructed = byTitle('山体滑坡');
    const tl = (await t.call('dc_ld', 'GET', `/api/events/${instructed.id}/timeline`)).body.items;
    const actions = tl.map((x: any) => x.action);
    expect(actions).toEqual(expect.arrayContaining(['instruction_given', 'instruction_acknowledged']));
    expect(actions).not.toContain('instruction_feedback');

    const closed = byTitle('农贸市场');
    expect(closed.status).toBe('closed');
    const ago = NOW.getTime() - new Date(closed.occurredAt).getTime();
    expect(ago).toBeGreaterThan(86_400_000);
    expect(ago).toBeLessThan(2 * 86_400_000);
    const trace = (await t.call('sz_zby', 'GET', `/api/events/${closed.id}/timeline`)).body.items.map(
      (x: any) => x.action,
    );
    expect(trace).toEqual(
      expect.arrayContaining([
        'event_registered',
        'report_sent',
        'report_arrived',
        'signed',
        'phone_recorded',
      ]),
    );
  });

  it('the statistics compare this year with last year', async () => {
    const q = '?from=2026-01-01T00:00:00%2B08:00&to=2027-01-01T00:00:00%2B08:00&groupBy=category';
    const s = await t.call('dc_xxk', 'GET', `/api/stats/events${q}`);
    expect(s.status).toBe(200);
    expect(s.body.total).toBeGreaterThan(15);
    expect(s.body.summary).toMatch(/同比增加 \d+ 起/);
    const prev = s.body.items.reduce((n: number, i: any) => n + i.previous, 0);
    expect(prev).toBeGreaterThan(5);
  });

  it("this month's county roster is filled, and responsible persons are confirmed but for one township", async () => {
    const room = await t.unitId('东城区委区政府总值班室');
    const r = await t.call('dc_dbld', 'GET', `/api/duty/roster?unitId=${room}&month=2026-12`);
    expect(r.status).toBe(200);
    expect(r.body.gaps).toBe(0);
    for (const [name, status] of [
      ['城关街道', 'confirmed'],
      ['东城区', 'confirmed'],
      ['石桥乡', 'unconfirmed'],
    ]) {
      const p = await t.call('admin', 'GET', `/api/units/${await t.unitId(name)}/responsible-persons`);
      expect(p.body.status, name).toBe(status);
    }
  });

  it('leaves no stale alarms in anyone’s in-box, and the registration log verifies', async () => {
    const unacked = await t.call('dc_zby', 'GET', '/api/notifications?filter=unacked&limit=200');
    const stale = unacked.body.items.filter(
      (n: any) => n.urgent && NOW.getTime() - new Date(n.createdAt).getTime() > 86_400_000,
    );
    expect(stale).toEqual([]);
    const v = await t.call('admin', 'GET', '/api/audit/verify');
    expect(v.body).toMatchObject({ ok: true, problems: [] });
  });
});
