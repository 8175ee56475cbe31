import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';
import type { Ctx } from '../../floor/context.js';
import { remindHolidayRosters } from './holidays.js';
import { onDutyUsers } from './on-duty.js';
import { sweepSpotChecks } from './spot-checks.js';

let t: TestApp;
const ids: Record<string, string> = {};
let room: string; // 东城区委区政府总值班室
let cityRoom: string;
let dongcheng: string;

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  room = await t.unitId('东城区委区政府总值班室');
  cityRoom = await t.unitId('示例市委市政府总值班室');
  dongcheng = await t.unitId('东城区');
  const u = await t.call('admin', 'POST', '/api/users', {
    username: 'dc_zby2',
    password: 'Jibao@2026',
    name: '钱进',
    unitId: room,
    roles: ['duty_officer'],
    phone: '13700000002',
  });
  expect(u.status).toBe(201);
  const r = await t.tdb.pool.query(`select id, username from users`);
  for (const row of r.rows) ids[row.username] = row.id;
});
afterAll(async () => t?.close());

const sys = (): Ctx => ({ actor: null, tx: t.tdb.db, clock: t.clock, lang: 'zh-CN' });
const inTx = <T>(fn: (c: Ctx) => Promise<T>) => t.tdb.db.transaction((tx) => fn({ ...sys(), tx: tx as any }));
async function notesOf(username: string, kind: string) {
  const r = await t.call(username, 'GET', '/api/notifications?limit=200');
  return r.body.items.filter((n: any) => n.kind === kind);
}
const assign = (body: Record<string, unknown>, who = 'dc_dbld') =>
  t.call(who, 'POST', '/api/duty/shifts', { unitId: room, ...body });

describe('rosters', () => {
  it('puts a duty officer and a leader on the default day and night shifts and shows the gaps', async () => {
    t.clock.set('2026-11-23T02:00:00Z'); // Mon 10:00 Beijing
    const s = await t.call('dc_zby', 'GET', `/api/duty/units/${room}/settings`);
    expect(s.body.shifts).toEqual([
      { code: 'day', name: '白班', start: '08:30', end: '17:30' },
      { code: 'night', name: '夜班', start: '17:30', end: '08:30' },
    ]);
    const day = await assign({
      day: '2026-11-23',
      shiftCode: 'day',
      officerId: ids.dc_zby,
      leaderId: ids.dc_dbld,
    });
    expect(day.status).toBe(200);
    expect(day.body).toMatchObject({
      startsAt: '2026-11-23T00:30:00.000Z',
      endsAt: '2026-11-23T09:30:00.000Z',
      officer: { name: '郑敏' },
      leader: { name: '冯军' },
      gap: false,
    });
    const night = await assign({ day: '2026-11-23', shiftCode: 'night', officerId: ids.dc_zby2 });
    expect(night.body).toMatchObject({ endsAt: '2026-11-24T00:30:00.000Z', gap: true });

    const month = await t.call('dc_zby', 'GET', `/api/duty/roster?unitId=${room}&month=2026-11`);
    expect(month.status).toBe(200);
    expect(month.body.days).toHaveLength(30);
    const d23 = month.body.days.find((d: any) => d.day === '2026-11-23');
    expect(d23.shifts.map((x: any) => [x.shiftCode, x.officer?.name ?? null, x.gap])).toEqual([
      ['day', '郑敏', false],
      ['night', '钱进', true],
    ]);
    expect(month.body.gaps).toBe(30 * 2 - 1);
    const oct = await t.call('dc_zby', 'GET', `/api/duty/roster?unitId=${room}&month=2026-10`);
    expect(oct.body.days[0].holiday).toEqual({ name: '国庆节', work: false });
  });

  it('refuses one person on two overlapping shifts, and people of another unit', async () => {
    const set = await t.call('dc_dbld', 'PUT', `/api/duty/units/${room}/settings`, {
      shifts: [
        { code: 'day', name: '白班', start: '08:30', end: '17:30' },
        { code: 'night', name: '夜班', start: '17:30', end: '08:30' },
        { code: 'mid', name: '中班', start: '12:00', end: '20:00' },
      ],
    });
    expect(set.status).toBe(200);
    const c = await assign({ day: '2026-11-23', shiftCode: 'mid', officerId: ids.dc_zby });
    expect(c.status).toBe(409);
    expect(c.body.error.code).toBe('duty_conflict');
    expect(c.body.error.message).toContain('郑敏');
    const other = await assign({ day: '2026-11-24', shiftCode: 'day', officerId: ids.sz_zby });
    expect(other.status).toBe(400);
    expect(other.body.error.code).toBe('duty_not_member');
    // a reporter may not keep the roster
    expect((await assign({ day: '2026-11-24', shiftCode: 'day' }, 'dc_xxk')).status).toBe(403);
    // all or nothing: a batch with one conflict changes nothing
    const batch = await t.call('dc_dbld', 'POST', '/api/duty/roster', {
      unitId: room,
      items: [
        { day: '2026-11-25', shiftCode: 'day', officerId: ids.dc_zby2, leaderId: ids.dc_dbld },
        { day: '2026-11-25', shiftCode: 'mid', officerId: ids.dc_zby2 },
      ],
    });
    expect(batch.status).toBe(409);
    const m = await t.call('dc_zby', 'GET', `/api/duty/roster?unitId=${room}&month=2026-11`);
    expect(m.body.days.find((d: any) => d.day === '2026-11-25').shifts[0].officer).toBeNull();
    await t.call('dc_dbld', 'PUT', `/api/duty/units/${room}/settings`, {
      shifts: [
        { code: 'day', name: '白班', start: '08:30', end: '17:30' },
        { code: 'night', name: '夜班', start: '17:30', end: '08:30' },
      ],
    });
  });

  it('a swap is requested by the officer, approved by the leader on duty, and applied', async () => {
    const s = await assign({
      day: '2026-11-26',
      shiftCode: 'day',
      officerId: ids.dc_zby,
      leaderId: ids.dc_dbld,
    });
    const req = await t.call('dc_zby', 'POST', '/api/duty/swaps', {
      shiftId: s.body.id,
      role: 'officer',
      toUserId: ids.dc_zby2,
      reason: '家中有事',
    });
    expect(req.status).toBe(201);
    expect(req.body.status).toBe('requested');
    expect((await notesOf('dc_dbld', 'duty.swap_requested')).length).toBe(1);
    // the requester cannot approve it
    expect((await t.call('dc_zby', 'POST', `/api/duty/swaps/${req.body.id}/approve`, {})).status).toBe(403);
    const ok = await t.call('dc_dbld', 'POST', `/api/duty/swaps/${req.body.id}/approve`, { note: '同意' });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('approved');
    const m = await t.call('dc_zby', 'GET', `/api/duty/roster?unitId=${room}&month=2026-11`);
    expect(m.body.days.find((d: any) => d.day === '2026-11-26').shifts[0].officer.name).toBe('钱进');
    expect((await notesOf('dc_zby2', 'duty.swap_decided')).length).toBe(1);
    const again = await t.call('dc_dbld', 'POST', `/api/duty/swaps/${req.body.id}/reject`, {});
    expect(again.body.error.code).toBe('duty_swap_decided');
  });
});

describe('on shift', () => {
  it('check-in, duty log, handover with open items confirmed by the incoming officer', async () => {
    t.clock.set('2026-11-23T00:20:00Z'); // 08:20 Beijing, ten minutes before the day shift
    const mine = await t.call('dc_zby', 'GET', '/api/duty/my-shifts');
    const day = mine.body.items.find((s: any) => s.shiftCode === 'day' && s.day === '2026-11-23');
    expect(day).toBeTruthy();
    const ci = await t.call('dc_zby', 'POST', `/api/duty/shifts/${day.id}/check-in`);
    expect(ci.status).toBe(200);
    expect(ci.body.shift.checkedInAt).toBe('2026-11-23T00:20:00.000Z');
    // the night officer cannot check in to the day shift
    expect((await t.call('dc_zby2', 'POST', `/api/duty/shifts/${day.id}/check-in`)).status).toBe(403);

    t.clock.set('2026-11-23T02:00:00Z');
    const call = await t.call('dc_zby', 'POST', `/api/duty/shifts/${day.id}/log`, {
      kind: 'call_in',
      counterpart: '城关街道党政办',
      phone: '0992-83000',
      content: '报告辖区一仓库冒烟，已派人核实',
      open: true,
    });
    expect(call.status).toBe(201);
    const visit = await t.call('dc_zby', 'POST', `/api/duty/shifts/${day.id}/log`, {
      kind: 'visitor',
      counterpart: '区应急局王科长',
      content: '送来防汛值守通知',
    });
    expect(visit.status).toBe(201);
    const future = await t.call('dc_zby', 'POST', `/api/duty/shifts/${day.id}/log`, {
      kind: 'other',
      content: 'x',
      at: '2026-11-23T05:00:00+00:00',
    });
    expect(future.body.error.code).toBe('duty_log_future');

    t.clock.set('2026-11-23T09:25:00Z');
    const ho = await t.call('dc_zby', 'POST', `/api/duty/shifts/${day.id}/handover`, {
      notes: '仓库冒烟一事待城关街道回复',
    });
    expect(ho.status).toBe(201);
    expect(ho.body.openItemIds).toEqual([call.body.id]);
    expect(ho.body.toUserId).toBe(ids.dc_zby2);
    expect((await notesOf('dc_zby2', 'duty.handover')).length).toBe(1);
    // only the incoming officer confirms
    expect((await t.call('dc_zby', 'POST', `/api/duty/handovers/${ho.body.id}/confirm`)).status).toBe(403);
    const conf = await t.call('dc_zby2', 'POST', `/api/duty/handovers/${ho.body.id}/confirm`);
    expect(conf.status).toBe(200);
    expect(conf.body.confirmedBy).toBe(ids.dc_zby2);
    const night = await t.call('dc_zby2', 'GET', `/api/duty/shifts/${ho.body.toShiftId}`);
    expect(night.body.handoverIn.id).toBe(ho.body.id);
    expect(night.body.openItems.map((i: any) => i.content)).toEqual(['报告辖区一仓库冒烟，已派人核实']);
    const detail = await t.call('dc_zby', 'GET', `/api/duty/shifts/${day.id}`);
    expect(detail.body.log.map((e: any) => e.kind)).toEqual(['other', 'call_in', 'visitor']);

    const closed = await t.call('dc_zby2', 'POST', `/api/duty/log/${call.body.id}/close`, { note: '系误报' });
    expect(closed.body.closedAt).toBeTruthy();
    const audit = await t.tdb.pool.query(`select action from audit_log where stream = $1 order by seq`, [
      `duty:${room}`,
    ]);
    expect(audit.rows.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'duty_checked_in',
        'duty_logged',
        'duty_handed_over',
        'duty_handover_confirmed',
        'duty_item_closed',
      ]),
    );
  });

  it('the level above sees who is on duty now at every unit below; off-hours messages reach them', async () => {
    t.clock.set('2026-11-23T03:00:00Z');
    const board = await t.call('sz_zby', 'GET', '/api/duty/now');
    expect(board.status).toBe(200);
    const dc = board.body.items.find((i: any) => i.unit.id === room);
    expect(dc).toMatchObject({ status: 'on_duty', dutyPhone: expect.any(String) });
    expect(dc.shifts[0].officer.name).toBe('郑敏');
    const xs = board.body.items.find((i: any) => i.unit.name === '西山县委县政府总值班室');
    expect(xs.status).toBe('no_roster');
    // a county officer does not see the city's board
    const low = await t.call('dc_zby', 'GET', '/api/duty/now');
    expect(low.body.items.some((i: any) => i.unit.id === cityRoom)).toBe(false);

    expect(await onDutyUsers(sys(), dongcheng, t.clock.now())).toEqual([ids.dc_zby, ids.dc_dbld]);
    // 21:00 Beijing: the night shift (钱进, no leader rostered)
    expect(await onDutyUsers(sys(), dongcheng, new Date('2026-11-23T13:00:00Z'))).toEqual([ids.dc_zby2]);
    // no roster at all: the duty staff of the area's duty room
    const fallback = await onDutyUsers(sys(), dongcheng, new Date('2026-12-20T13:00:00Z'));
    expect(fallback.sort()).toEqual([ids.dc_zby, ids.dc_zby2, ids.dc_dbld].sort());
  });
});

describe('spot checks', () => {
  it('the city checks the district: answered in 70 s, then a missed one; counted per unit', async () => {
    t.clock.set('2026-11-23T03:00:00Z');
    const sc = await t.call('sz_zby', 'POST', '/api/duty/spot-checks', {
      targetUnitId: room,
      message: '请报到',
    });
    expect(sc.status).toBe(201);
    expect(sc.body).toMatchObject({ status: 'pending', dueAt: '2026-11-23T03:03:00.000Z' });
    expect(sc.body.notifiedUserIds.sort()).toEqual([ids.dc_zby, ids.dc_dbld].sort());
    const inbox = await notesOf('dc_zby', 'spot_check');
    expect(inbox[0]).toMatchObject({ urgent: true, needsAck: true });
    // somebody outside the checked room cannot answer
    expect((await t.call('hsz_ld', 'POST', `/api/duty/spot-checks/${sc.body.id}/answer`)).status).toBe(404);
    t.clock.advance(70_000);
    const ans = await t.call('dc_zby', 'POST', `/api/duty/spot-checks/${sc.body.id}/answer`);
    expect(ans.body).toMatchObject({ status: 'answered', responseSeconds: 70, answeredBy: ids.dc_zby });
    expect((await notesOf('dc_zby', 'spot_check'))[0].needsAck).toBe(false);
    const live = await t.tdb.pool.query(
      `select 1 from outbox where type = 'spot_check.answered' and audience = $1`,
      [`user:${ids.sz_zby}`],
    );
    expect(live.rowCount).toBe(1);

    const sc2 = await t.call('sz_zby', 'POST', '/api/duty/spot-checks', { targetUnitId: room });
    t.clock.advance(179_000);
    expect(await inTx((c) => sweepSpotChecks(c))).toBe(0);
    t.clock.advance(2_000);
    expect(await inTx((c) => sweepSpotChecks(c))).toBe(1);
    expect(await inTx((c) => sweepSpotChecks(c))).toBe(0);
    expect((await notesOf('sz_zby', 'spot_check.missed')).length).toBe(1);
    const late = await t.call('dc_zby', 'POST', `/api/duty/spot-checks/${sc2.body.id}/answer`);
    expect(late.body).toMatchObject({ status: 'missed', responseSeconds: 181 });

    const stats = await t.call('sz_zby', 'GET', '/api/duty/spot-checks/stats');
    expect(stats.body.items.find((s: any) => s.unitId === room)).toMatchObject({
      total: 2,
      answered: 1,
      missed: 1,
      avgSeconds: 70,
      answerRate: 0.5,
    });
    // a lower room cannot check a higher one
    const up = await t.call('dc_zby', 'POST', '/api/duty/spot-checks', { targetUnitId: cityRoom });
    expect(up.status).toBe(404);
    // the missed check counts in the county's assessment: a notice of the city deducts it once
    const notice = await t.call('sz_xxk', 'POST', '/api/notices', {
      from: new Date(t.clock.now().getTime() - 86_400_000).toISOString(),
      to: new Date(t.clock.now().getTime() + 60_000).toISOString(),
    });
    expect(notice.status).toBe(201);
    const county = await t.tdb.pool.query(`select id from units where name = '东城区'`);
    const ded = await t.tdb.pool.query(
      `select offence, points from deductions where unit_id = $1 and offence = 'duty_absent'`,
      [county.rows[0].id],
    );
    expect(ded.rows).toEqual([{ offence: 'duty_absent', points: '1.00' }]);
  });
});

describe('holiday rosters', () => {
  it('reminds the unit before the National Day roster is due, tells the level above when overdue', async () => {
    const nationalDay = async () =>
      (await notesOf('dc_zby', 'duty.roster_reminder')).filter(
        (n: any) => n.data.holidayKey === '2026-国庆节',
      );
    t.clock.set('2026-09-18T02:00:00Z'); // due 2026-09-24: more than three days ahead, no reminder yet
    await inTx((c) => remindHolidayRosters(c));
    expect(await nationalDay()).toHaveLength(0);
    // (the Mid-Autumn long weekend, 25–27 September, is due today and is reminded)
    expect((await notesOf('dc_zby', 'duty.roster_reminder'))[0].title).toBe('请报备中秋值班表');
    t.clock.set('2026-09-21T02:00:00Z');
    await inTx((c) => remindHolidayRosters(c));
    await inTx((c) => remindHolidayRosters(c));
    const rem = await nationalDay();
    expect(rem).toHaveLength(1);
    expect(rem[0].title).toBe('请报备国庆节值班表');
    const list = await t.call('dc_zby', 'GET', `/api/duty/holidays?unitId=${room}&year=2026`);
    const nd = list.body.items.find((h: any) => h.key === '2026-国庆节');
    expect(nd).toMatchObject({ from: '2026-10-01', to: '2026-10-07', overdue: false, published: null });
    expect(nd.dueAt).toBe('2026-09-23T16:00:00.000Z');
    expect(list.body.items.map((h: any) => h.name)).toEqual(
      expect.arrayContaining(['元旦', '春节', '劳动节', '国庆节']),
    );

    t.clock.set('2026-09-24T02:00:00Z');
    await inTx((c) => remindHolidayRosters(c));
    await inTx((c) => remindHolidayRosters(c));
    const over = (await notesOf('sz_zby', 'duty.roster_overdue')).filter(
      (n: any) => n.data.unitId === room && n.data.holidayKey === '2026-国庆节',
    );
    expect(over).toHaveLength(1);
    const status = await t.call(
      'sz_zby',
      'GET',
      `/api/duty/holidays/${encodeURIComponent('2026-国庆节')}/status`,
    );
    expect(status.body.items.find((i: any) => i.unitId === room)).toMatchObject({
      overdue: true,
      publishedAt: null,
    });

    // an incomplete roster cannot be published
    const key = encodeURIComponent('2026-国庆节');
    const bad = await t.call('dc_dbld', 'POST', `/api/duty/holidays/${key}/publish`, { unitId: room });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.count).toBe(14);
    const items = [];
    for (let d = 1; d <= 7; d++) {
      const day = `2026-10-0${d}`;
      items.push({ day, shiftCode: 'day', officerId: ids.dc_zby, leaderId: ids.dc_dbld });
      items.push({ day, shiftCode: 'night', officerId: ids.dc_zby2, leaderId: ids.dc_dbld });
    }
    const fill = await t.call('dc_dbld', 'POST', '/api/duty/roster', { unitId: room, items });
    expect(fill.status, JSON.stringify(fill.body)).toBe(200);
    const pub = await t.call('dc_dbld', 'POST', `/api/duty/holidays/${key}/publish`, { unitId: room });
    expect(pub.status).toBe(200);
    expect(pub.body.late).toBe(true);
    expect((await notesOf('sz_zby', 'duty.roster_published')).length).toBe(1);
    const after = await t.call('sz_zby', 'GET', `/api/duty/holidays/${key}/status`);
    expect(after.body.items.find((i: any) => i.unitId === room)).toMatchObject({
      overdue: false,
      late: true,
    });
  });
});

describe('directory', () => {
  it('is searchable, lists units nobody can be reached at, and exports to Excel', async () => {
    t.clock.set('2026-11-23T03:00:00Z');
    await t.tdb.pool.query(
      `insert into responsible_persons (unit_id, tier, name, phone) values ($1, 'principal', '张主任', '13911112222'),
       ($1, 'leader_in_charge', '李副主任', null)`,
      [room],
    );
    await t.tdb.pool.query(`update units set duty_phone = null where name = '东湖街道党政办'`);
    const q = await t.call('sz_zby', 'GET', `/api/duty/directory?q=${encodeURIComponent('张主任')}`);
    expect(q.body.items).toHaveLength(1);
    expect(q.body.items[0]).toMatchObject({
      unit: { id: room },
      responsible: [
        { tier: 'principal', name: '张主任', phone: '13911112222' },
        { tier: 'leader_in_charge', name: '李副主任', phone: null },
      ],
      defects: ['responsible_without_phone'],
    });
    expect(q.body.items[0].onDuty.map((p: any) => p.name)).toEqual(['郑敏', '冯军']);
    const defects = await t.call('sz_zby', 'GET', '/api/duty/directory?defects=1');
    const dh = defects.body.items.find((i: any) => i.unit.name === '东湖街道党政办');
    expect(dh.defects).toEqual(expect.arrayContaining(['no_duty_phone', 'no_responsible_persons']));

    const x = await t.app.inject({
      method: 'GET',
      url: '/api/duty/directory.xlsx',
      headers: { authorization: `Bearer ${await t.token('sz_zby')}` },
    });
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as any);
    const ws = wb.getWorksheet('值班通讯录')!;
    expect(ws.getRow(1).getCell(1).value).toBe('单位');
    expect(ws.getRow(1).getCell(4).value).toBe('值班电话');
    const names = [];
    for (let i = 2; i <= ws.rowCount; i++) names.push(ws.getRow(i).getCell(1).value);
    expect(names).toContain('东城区委区政府总值班室');
    expect(names).not.toContain('示例省委办公厅'); // above the caller
  });
});
