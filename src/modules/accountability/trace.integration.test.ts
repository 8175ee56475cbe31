import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';
import { actingUnitIdOf } from '../units/acting.js';

let t: TestApp;
const U: Record<string, string> = {};
beforeAll(async () => {
  t = await createTestApp({ demo: true });
  for (const n of ['城关街道', '东城区', '示例市', '东城区委区政府总值班室', '城关街道党政办'])
    U[n] = await t.unitId(n);
});
afterAll(async () => t?.close());

const minutesAgo = (m: number) => new Date(t.clock.now().getTime() - m * 60_000).toISOString();
const full = () => ({
  occurredAt: minutesAgo(15),
  place: '城关街道解放路菜市场',
  cause: '菜市场顶棚局部坍塌',
  scope: '市场东侧约 50 平方米',
  casualties: { dead: 0, missing: 0, seriouslyInjured: 0, lightlyInjured: 1, trapped: 0 },
  loss: '正在统计',
  measures: '已疏散商户，设置警戒',
  nextSteps: '请专业机构鉴定结构安全',
  contact: '城关街道党政办 李晓梅',
});

describe('back-tracing names the unit each person acted for', () => {
  let eventId: string;
  let steps: any[];

  beforeAll(async () => {
    const ev = await t.call('cgz_xxy', 'POST', '/api/events', {
      title: '城关街道解放路菜市场顶棚坍塌',
      categoryCode: '12C00',
      level: 'IV',
      occurredAt: minutesAgo(15),
      place: { address: '城关街道解放路菜市场' },
    });
    eventId = ev.body.id;
    // the township: drafted by its officer, approved (and so sent) by its leader in charge 王建国
    const c = await t.call('cgz_xxy', 'POST', `/api/events/${eventId}/reports`, {
      kind: 'initial',
      elements: full(),
    });
    await t.call('cgz_xxy', 'POST', `/api/reports/${c.body.id}/submit`, {});
    const a = await t.call('cgz_fgld', 'POST', `/api/reports/${c.body.id}/approve`, {});
    expect(a.body.status).toBe('sent');
    // the county's duty officer 郑敏 signs and records a call from the township
    expect((await t.call('dc_zby', 'POST', `/api/reports/${c.body.id}/sign`)).status).toBe(200);
    const ph = await t.call('dc_zby', 'POST', `/api/events/${eventId}/reports`, {
      kind: 'phone',
      elements: { cause: '顶棚坍塌，一人轻伤' },
      callerUnitId: U['城关街道党政办'],
      callerName: '李晓梅',
      callerPhone: '13800000000',
    });
    expect(ph.status).toBe(201);
    // off-hours (Monday 22:00 Beijing time): the county's report is approved by its leader on duty 冯军
    t.clock.set(new Date('2026-11-23T14:00:00Z'));
    const d = (
      await t.call(
        'dc_xxk',
        'GET',
        `/api/events/${eventId}/reports/upward-draft?sourceReportIds=${c.body.id}`,
      )
    ).body;
    const cc = await t.call('dc_xxk', 'POST', `/api/events/${eventId}/reports`, {
      kind: 'initial',
      elements: d.elements,
      sourceReportIds: d.sourceReportIds,
    });
    expect((await t.call('dc_xxk', 'POST', `/api/reports/${cc.body.id}/submit`, {})).body.status).toBe(
      'awaiting_approval',
    );
    const ap = await t.call('dc_dbld', 'POST', `/api/reports/${cc.body.id}/approve`, {});
    expect(ap.body.status).toBe('sent');
    const tr = await t.call('dc_xxk', 'GET', `/api/events/${eventId}/trace`);
    expect(tr.status).toBe(200);
    steps = tr.body.steps;
  });

  it('every step’s unit is the unit its person acts for, and their own unit is actorUnitId', async () => {
    const users = (
      await t.tdb.pool.query(
        'select u.id, u.unit_id, un.kind, un.parent_id from users u join units un on un.id = u.unit_id',
      )
    ).rows;
    const byId = new Map(users.map((u: any) => [u.id, u]));
    const personal = steps.filter((s) => s.userId);
    expect(personal.length).toBeGreaterThan(8);
    for (const s of personal) {
      const u = byId.get(s.userId)!;
      expect({ action: s.action, unitId: s.unitId }).toEqual({
        action: s.action,
        unitId: actingUnitIdOf({ id: u.unit_id, kind: u.kind, parentId: u.parent_id }),
      });
      expect(s.actorUnitId).toBe(u.unit_id);
    }
  });

  it('an arrival is the sender’s step with the intake as toUnitId: 王建国 acts for 城关街道, not 东城区', async () => {
    const arrivals = steps.filter((s) => s.action === 'report_arrived');
    expect(arrivals.map((s) => [s.unitId, s.toUnitId])).toEqual([
      [U['城关街道'], U['东城区']],
      [U['东城区'], U['示例市']],
    ]);
    expect(arrivals[0]).toMatchObject({
      unitName: '城关街道',
      toUnitName: '东城区',
      userName: '王建国',
      asRole: 'approver',
    });
    expect(arrivals.every((s) => s.toUnitId)).toBe(true);
    expect(steps.filter((s) => s.action !== 'report_arrived' && s.toUnitId)).toEqual([]);
  });

  it('the county duty officer who recorded the call acted for 东城区, not for the caller', async () => {
    const rec = steps.find((s) => s.action === 'phone_recorded');
    expect(rec).toMatchObject({
      userName: '郑敏',
      unitId: U['东城区'],
      actorUnitId: U['东城区委区政府总值班室'],
      asRole: 'duty_officer',
    });
  });

  it('an off-hours approval by the leader on duty is asRole duty_leader (带班领导), not approver', async () => {
    const approvals = steps.filter((s) => s.action === 'report_approved');
    expect(approvals.map((s) => [s.userName, s.asRole])).toEqual([
      ['王建国', 'approver'],
      ['冯军', 'duty_leader'],
    ]);
    const sent = steps.filter((s) => s.action === 'report_sent').at(-1);
    expect(sent).toMatchObject({ userName: '冯军', asRole: 'duty_leader', unitId: U['东城区'] });
  });

  it('the log itself is not rewritten: the stored arrival still names its destination', async () => {
    const r = await t.tdb.pool.query(
      `select unit_id from audit_log where stream = $1 and action = 'report_arrived' order by seq`,
      [`event:${eventId}`],
    );
    expect(r.rows.map((x: any) => x.unit_id)).toEqual([U['东城区'], U['示例市']]);
    expect((await t.call('admin', 'GET', '/api/audit/verify')).body.ok).toBe(true);
  });
});
