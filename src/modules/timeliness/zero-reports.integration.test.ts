import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';
import { ManualClock } from '../../floor/clock.js';
import { sweepAll as sweepWith } from '../../floor/timers.js';
import { TIMERS } from '../../server/modules.js';

const sweepAll = (d: { db: any; clock: any }) => sweepWith({ ...d, timers: TIMERS });

import { longHolidays } from './zero-reports.js';

let t: TestApp;
let district: string;
let town: string;
let hedong: string;
let periodId: string;
const tokens = new Map<string, string>();

// the afternoon before the National Day holiday (Beijing time)
beforeAll(async () => {
  t = await createTestApp({ demo: true, clock: new ManualClock('2026-09-30T06:00:00Z') });
  district = await t.unitId('东城区');
  town = await t.unitId('城关街道');
  hedong = await t.unitId('东湖街道');
});
afterAll(async () => t?.close());

/** Sessions expire while the clock runs over days: sign in afresh whenever the clock has moved. */
async function call(user: string, method: 'GET' | 'POST', url: string, body?: unknown) {
  const key = `${user}@${t.clock.now().toISOString().slice(0, 13)}`;
  let tok = tokens.get(key);
  if (!tok) {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: user, password: 'Jibao@2026' },
    });
    tok = r.json().token as string;
    tokens.set(key, tok);
  }
  const r = await t.app.inject({
    method,
    url,
    payload: body as any,
    headers: { authorization: `Bearer ${tok}` },
  });
  return { status: r.statusCode, body: r.body ? r.json() : null };
}

const sweep = () => sweepAll({ db: t.tdb.db, clock: t.clock });
const statusOf = async (unitId: string, day: string) => {
  const p = await call('dc_xxk', 'GET', `/api/zero-report-periods/${periodId}`);
  return p.body.units.find((u: any) => u.unitId === unitId)?.days.find((d: any) => d.day === day)?.status;
};
const notes = async (kind: string) =>
  (await t.tdb.pool.query(`select count(*)::int n from notifications where kind = $1`, [kind])).rows[0]
    .n as number;

describe('zero reports (零报告)', () => {
  it('suggests the long holidays of a year from the public-holiday calendar', () => {
    const nd = longHolidays(2026).find((h) => h.name === '国庆节');
    expect(nd).toMatchObject({ fromDate: '2026-10-01', toDate: '2026-10-07' });
  });

  it('an administrator declares a period for the areas and departments below the district', async () => {
    const nd = longHolidays(2026).find((h) => h.name === '国庆节')!;
    const r = await call('admin', 'POST', '/api/zero-report-periods', {
      name: '2026年国庆节零报告',
      rootUnitId: district,
      fromDate: nd.fromDate,
      toDate: nd.toDate,
      dueTime: '09:00',
    });
    expect(r.status).toBe(201);
    periodId = r.body.id;
    expect(r.body.days).toHaveLength(7);
    // 2 townships + 10 departments + the emergency office; not the offices, not the district itself
    expect(r.body.unitCount).toBe(13);
    const refused = await call('cgz_xxy', 'POST', '/api/zero-report-periods', {
      name: 'x',
      rootUnitId: district,
      fromDate: '2026-10-01',
      toDate: '2026-10-02',
      dueTime: '09:00',
    });
    expect(refused.status).toBe(403);
  });

  it('nothing is owed the day before the holiday, nor the first working day after it', async () => {
    const before = await call('cgz_xxy', 'POST', '/api/zero-reports', {
      periodId,
      day: '2026-09-30',
      content: '无事',
    });
    expect(before.status).toBe(422);
    expect(before.body.error.code).toBe('zero_report_not_due');
    expect(await statusOf(town, '2026-10-01')).toBe('pending');
  });

  it('reminds before the due time, a report sent in time is met, a missing one is late, then missed at midnight', async () => {
    t.clock.set('2026-10-01T00:05:00Z'); // 08:05 on the first holiday
    await sweep();
    expect(await notes('zero_report.remind')).toBeGreaterThan(0);
    const early = await call('cgz_xxy', 'POST', '/api/zero-reports', {
      periodId,
      day: '2026-10-03',
      content: '今日无突发事件',
    });
    expect(early.status).toBe(422);
    expect(early.body.error.code).toBe('zero_report_future');
    const sent = await call('cgz_xxy', 'POST', '/api/zero-reports', {
      periodId,
      day: '2026-10-01',
      content: '今日无突发事件，特此报告。',
    });
    expect(sent.status).toBe(201);
    expect(sent.body.status).toBe('met');
    const twice = await call('cgz_xxy2', 'POST', '/api/zero-reports', {
      periodId,
      day: '2026-10-01',
      content: '无',
    });
    expect(twice.status).toBe(409);

    t.clock.set('2026-10-01T01:01:00Z'); // 09:01: 东湖街道 has not reported
    await sweep();
    expect(await statusOf(hedong, '2026-10-01')).toBe('late');
    expect(await statusOf(town, '2026-10-01')).toBe('met');
    expect(await notes('zero_report.late')).toBeGreaterThan(0);
    const escalated = await t.tdb.pool.query(
      `select u.username from notifications n join users u on u.id = n.user_id where n.kind = 'zero_report.late'`,
    );
    expect(escalated.rows.map((r) => r.username)).toContain('dc_xxk');

    t.clock.set('2026-10-01T16:01:00Z'); // 00:01 on 2 October (Beijing)
    await sweep();
    expect(await statusOf(hedong, '2026-10-01')).toBe('missed');
    expect(await notes('zero_report.missed')).toBeGreaterThan(0);
    const missedAgain = await notes('zero_report.missed');
    await sweep();
    expect(await notes('zero_report.missed')).toBe(missedAgain);
  });

  it('the last holiday is owed, the next working day is not', async () => {
    t.clock.set('2026-10-07T00:30:00Z');
    const last = await call('cgz_xxy', 'POST', '/api/zero-reports', {
      periodId,
      day: '2026-10-07',
      content: '无事',
    });
    expect(last.status).toBe(201);
    t.clock.set('2026-10-08T00:30:00Z');
    const after = await call('cgz_xxy', 'POST', '/api/zero-reports', {
      periodId,
      day: '2026-10-08',
      content: '无事',
    });
    expect(after.status).toBe(422);
    const mine = await call('cgz_xxy', 'GET', '/api/zero-reports/mine');
    expect(mine.body.items.find((i: any) => i.day === '2026-10-07').status).toBe('met');
    expect(mine.body.items.find((i: any) => i.day === '2026-10-02').status).toBe('missed');
  });

  it('counts in the timeliness statistics and is deducted in a notice', async () => {
    const stats = await call(
      'dc_xxk',
      'GET',
      `/api/stats/timeliness?from=${encodeURIComponent('2026-10-01T00:00:00+08:00')}&to=${encodeURIComponent('2026-10-08T00:00:00+08:00')}`,
    );
    const townRow = stats.body.units.find((u: any) => u.unitId === town);
    expect(townRow).toMatchObject({ reports: 7, onTime: 2, missed: 5 });
    const n = await call('dc_xxk', 'POST', '/api/notices', {
      from: '2026-10-01T00:00:00+08:00',
      to: '2026-10-02T00:00:00+08:00',
    });
    expect(n.status).toBe(201);
    const z = n.body.offences.filter((o: any) => o.zeroReport);
    expect(z.find((o: any) => o.unitId === town)).toBeUndefined();
    expect(z.find((o: any) => o.unitId === hedong)).toMatchObject({ kind: 'missed', points: 1 });
    expect(z.find((o: any) => o.unitId === hedong).text).toContain('零报告');
  });
});
