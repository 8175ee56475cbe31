import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';
import { sweepOnce as sweepOnceWith, sweepAll as sweepWith } from '../../floor/timers.js';
import { TIMERS } from '../../server/modules.js';

const sweepAll = (d: { db: any; clock: any }) => sweepWith({ ...d, timers: TIMERS });
const sweepOnce = (d: { db: any; clock: any }, n?: number) => sweepOnceWith({ ...d, timers: TIMERS }, n);
import './index.js';

let t: TestApp;
let town: string;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
  town = await t.unitId('城关街道');
});
afterAll(async () => t?.close());

const body = (over: Record<string, unknown> = {}) => ({
  title: '时限测试事件',
  categoryCode: '12H00',
  level: 'IV',
  occurredAt: t.clock.now().toISOString(),
  place: { address: '城关街道' },
  ...over,
});

async function notes(kind: string, eventId: string) {
  const r = await t.tdb.pool.query(
    `select count(*)::int n from notifications where kind = $1 and data->>'eventId' = $2`,
    [kind, eventId],
  );
  return r.rows[0].n as number;
}

describe('deadline clocks', () => {
  it('reminds at 50 % and 80 % and escalates once when the limit passes', async () => {
    const ev = await t.call('cgz_xxy', 'POST', '/api/events', body());
    const deps = { db: t.tdb.db, clock: t.clock };
    t.clock.advanceMinutes(31); // 50 % of the township's 60 minutes
    await sweepAll(deps);
    expect(await notes('deadline.warning', ev.body.id)).toBeGreaterThan(0);
    const after50 = await notes('deadline.warning', ev.body.id);
    t.clock.advanceMinutes(18); // 49 min: 80 %
    await sweepAll(deps);
    expect(await notes('deadline.warning', ev.body.id)).toBeGreaterThan(after50);
    t.clock.advanceMinutes(12); // 61 min: overdue
    await sweepAll(deps);
    const overdue = await notes('deadline.overdue', ev.body.id);
    expect(overdue).toBeGreaterThan(0);
    await sweepAll(deps);
    expect(await notes('deadline.overdue', ev.body.id)).toBe(overdue);
    const got = await t.call('dc_xxk', 'GET', `/api/events/${ev.body.id}`);
    expect(got.body.deadlines.find((d: any) => d.fromUnitId === town).status).toBe('late');
    // the principal of the township and the county's receiving office are told
    const who = await t.tdb.pool.query(
      `select u.username from notifications n join users u on u.id = n.user_id where n.kind = 'deadline.overdue' and n.data->>'eventId' = $1`,
      [ev.body.id],
    );
    const names = who.rows.map((r) => r.username);
    expect(names).toEqual(expect.arrayContaining(['cgz_zyfzr', 'dc_xxk', 'dc_zby']));
  });

  it('a deadline met in time never escalates', async () => {
    const ev = await t.call('cgz_xxy', 'POST', '/api/events', body({ title: '按时报告' }));
    const rep = await t.call('cgz_xxy', 'POST', `/api/events/${ev.body.id}/reports`, {
      kind: 'initial',
      elements: {
        occurredAt: ev.body.occurredAt,
        place: '城关街道',
        cause: '追尾',
        scope: '一条车道',
        casualties: { dead: 0 },
        loss: '轻微',
        measures: '已处置',
        nextSteps: '恢复通行',
        contact: '13800000000',
      },
      fastTrack: true,
    });
    await t.call('cgz_xxy', 'POST', `/api/reports/${rep.body.id}/submit`);
    t.clock.advanceMinutes(120);
    await sweepAll({ db: t.tdb.db, clock: t.clock });
    const r = await t.tdb.pool.query(
      `select count(*)::int n from notifications where kind = 'deadline.overdue' and data->>'deadlineId' in
        (select id::text from deadlines where event_id = $1 and from_unit_id = $2)`,
      [ev.body.id, town],
    );
    expect(r.rows[0].n).toBe(0);
  });

  it('two sweepers on one database never fire a timer twice, and everything that fell due while down fires once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++)
      ids.push((await t.call('cgz_xxy', 'POST', '/api/events', body({ title: `并发清扫${i}` }))).body.id);
    // "server down" for three hours: nothing swept; then two instances start at once
    t.clock.advanceMinutes(180);
    const deps = { db: t.tdb.db, clock: t.clock };
    await Promise.all([sweepOnce(deps, 7), sweepOnce(deps, 7), sweepAll(deps), sweepAll(deps)]);
    await sweepAll(deps);
    const perUser = await t.tdb.pool.query(
      `select user_id, data->>'deadlineId' as d, count(*)::int n from notifications
       where kind = 'deadline.overdue' and data->>'eventId' = any($1::text[]) group by 1, 2`,
      [ids],
    );
    expect(perUser.rows.length).toBeGreaterThan(0);
    expect(perUser.rows.every((r) => r.n === 1)).toBe(true);
    const overdue = await t.tdb.pool.query(
      `select entity_id as d, count(*)::int n from audit_log where action = 'deadline_overdue'
       and stream = any($1::text[]) group by 1`,
      [ids.map((i) => `event:${i}`)],
    );
    // each event has 3 deadlines (township written, county phone and written): each overdue exactly once
    expect(overdue.rows.length).toBe(60);
    expect(overdue.rows.every((r) => r.n === 1)).toBe(true);
    const pending = await t.tdb.pool.query(
      `select count(*)::int n from timers where fired_at is null and cancelled_at is null and due_at <= $1`,
      [t.clock.now().toISOString()],
    );
    expect(pending.rows[0].n).toBe(0);
    // the entries written in bulk by the sweep chain correctly
    expect((await t.call('admin', 'GET', '/api/audit/verify')).body).toMatchObject({
      ok: true,
      firstBrokenId: null,
    });
  });
});

describe('registration log', () => {
  it('verifies intact, and names the altered entry after a row is changed in the database', async () => {
    const ok = await t.call('admin', 'GET', '/api/audit/verify');
    expect(ok.body.ok).toBe(true);
    expect(ok.body.checked).toBeGreaterThan(10);
    const victim = await t.tdb.pool.query(
      `select id from audit_log where action = 'report_sent' order by id limit 1`,
    );
    await t.tdb.tamper(`update audit_log set data = jsonb_set(data, '{kind}', '"final"') where id = $1`, [
      victim.rows[0].id,
    ]);
    const bad = await t.call('admin', 'GET', '/api/audit/verify');
    expect(bad.body).toMatchObject({ ok: false, firstBrokenId: Number(victim.rows[0].id) });
  });

  it('a deleted entry breaks the chain at its successor', async () => {
    const t2 = await createTestApp({ demo: true });
    try {
      const ev = await t2.call('cgz_xxy', 'POST', '/api/events', {
        ...body(),
        occurredAt: t2.clock.now().toISOString(),
      });
      await t2.call('cgz_xxy', 'PATCH', `/api/events/${ev.body.id}`, { level: 'III', reason: '伤亡增加' });
      await t2.call('cgz_xxy', 'PATCH', `/api/events/${ev.body.id}`, { level: 'II', reason: '伤亡继续增加' });
      const first = await t2.tdb.pool.query(
        `select stream from audit_log where stream like 'event:%' order by id limit 1`,
      );
      const rows = await t2.tdb.pool.query(`select id from audit_log where stream = $1 order by seq`, [
        first.rows[0].stream,
      ]);
      await t2.tdb.tamper('delete from audit_log where id = $1', [rows.rows[0].id]);
      const r = await t2.call('admin', 'GET', '/api/audit/verify');
      expect(r.body.ok).toBe(false);
      expect(r.body.firstBrokenId).toBe(Number(rows.rows[1].id));
    } finally {
      await t2.close();
    }
  });
});

describe('timeliness statistics', () => {
  it('counts judged deadlines per unit and leaves pending ones out', async () => {
    const r = await t.call('dc_xxk', 'GET', '/api/stats/timeliness');
    expect(r.status).toBe(200);
    const townRow = r.body.units.find((u: any) => u.unitId === town);
    expect(townRow.reports).toBe(townRow.onTime + townRow.late + townRow.missed);
    expect(townRow.onTime).toBeGreaterThanOrEqual(1);
    expect(townRow.late).toBeGreaterThanOrEqual(21);
    expect(townRow.onTimeRate).toBeCloseTo(townRow.onTime / townRow.reports);
  });
});

describe('one pending timer per deadline', () => {
  // last in the file: it moves the clock a day on, past the 漏报 line of every earlier event
  it('an open deadline holds one timer; after a day down, every step fires once, in order, in one sweep', async () => {
    const ev = await t.call('cgz_xxy', 'POST', '/api/events', body({ title: '停机一天' }));
    const pendingPer = async () =>
      (
        await t.tdb.pool.query(
          `select d.id, count(t.id)::int n from deadlines d left join timers t on t.ref_id = d.id
             and t.fired_at is null and t.cancelled_at is null
           where d.event_id = $1 and d.met_at is null and d.superseded_at is null group by d.id`,
          [ev.body.id],
        )
      ).rows.map((r) => r.n);
    const open = await pendingPer();
    expect(open.length).toBe(3);
    expect(open.every((n) => n === 1)).toBe(true);
    // 25 hours later the server comes back: one sweep fires 50 %, 80 %, overdue and 漏报 for each deadline
    t.clock.advanceMinutes(25 * 60);
    await sweepAll({ db: t.tdb.db, clock: t.clock });
    const fired = await t.tdb.pool.query(
      `select t.ref_id, t.kind, t.due_at from timers t join deadlines d on d.id = t.ref_id
       where d.event_id = $1 and t.fired_at is not null order by t.ref_id, t.due_at`,
      [ev.body.id],
    );
    const byDeadline = new Map<string, string[]>();
    for (const r of fired.rows) byDeadline.set(r.ref_id, [...(byDeadline.get(r.ref_id) ?? []), r.kind]);
    expect([...byDeadline.values()]).toEqual(
      Array(3).fill(['deadline.remind', 'deadline.remind', 'deadline.overdue', 'deadline.missed']),
    );
    expect(await pendingPer()).toEqual([0, 0, 0]);
    // judged once each, in the log in step order
    const log = await t.tdb.pool.query(
      `select action, entity_id from audit_log where stream = $1 and action in ('deadline_overdue', 'deadline_missed')
       order by seq`,
      [`event:${ev.body.id}`],
    );
    expect(log.rows.filter((r) => r.action === 'deadline_overdue')).toHaveLength(3);
    expect(log.rows.filter((r) => r.action === 'deadline_missed')).toHaveLength(3);
    for (const id of new Set(log.rows.map((r) => r.entity_id)))
      expect(log.rows.filter((r) => r.entity_id === id).map((r) => r.action)).toEqual([
        'deadline_overdue',
        'deadline_missed',
      ]);
  });
});
