import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';

let t: TestApp;
const U: Record<string, string> = {};
let eventId: string;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
  for (const n of ['城关街道', '东城区', '示例市', '东城区公安分局']) U[n] = await t.unitId(n);
  const ev = await t.call('cgz_xxy', 'POST', '/api/events', {
    title: '城关街道汽修厂火灾',
    categoryCode: '12G00',
    level: 'III',
    occurredAt: new Date(t.clock.now().getTime() - 5 * 60_000).toISOString(),
    place: { address: '城关街道东环路汽修厂' },
    casualties: { seriouslyInjured: 1 },
  });
  eventId = ev.body.id;
});
afterAll(async () => t?.close());

const mine = async (user: string) => {
  const r = await t.call(user, 'GET', '/api/obligations');
  expect(r.status).toBe(200);
  return r.body.items.filter((i: any) => i.eventId === eventId);
};

describe('the next step is always on screen (GET /api/obligations)', () => {
  it('a township owes its call and its written report for a Ⅲ event, the earliest first, prominent', async () => {
    const r = await t.call('cgz_xxy', 'GET', '/api/obligations');
    expect(r.body.unitId).toBe(U['城关街道']);
    const items = r.body.items.filter((i: any) => i.eventId === eventId);
    expect(items.map((i: any) => [i.kind, i.channel])).toEqual([
      ['deadline', 'phone'],
      ['deadline', 'written'],
    ]);
    expect(items[0]).toMatchObject({
      eventTitle: '城关街道汽修厂火灾',
      overdue: false,
      prominent: true,
      toUnitId: U['东城区'],
      secondsLeft: 25 * 60,
      action: { verb: 'call', href: `/events/${eventId}` },
    });
    expect(r.body.next).toMatchObject({ kind: 'deadline' });
    // past its time it is overdue
    t.clock.advance(26 * 60_000);
    const later = await mine('cgz_xxy');
    expect(later[0]).toMatchObject({ channel: 'phone', overdue: true });
  });

  it('sending on fast track: the written deadline goes, countersignatures and the next follow-up come', async () => {
    const c = await t.call('cgz_xxy', 'POST', `/api/events/${eventId}/reports`, {
      kind: 'initial',
      elements: {
        occurredAt: new Date(t.clock.now().getTime() - 31 * 60_000).toISOString(),
        place: '城关街道东环路汽修厂',
        cause: '喷漆间起火',
        scope: '一间厂房',
        casualties: { dead: 0, missing: 0, seriouslyInjured: 1, lightlyInjured: 0, trapped: 0 },
        loss: '正在统计',
        measures: '消防到场',
        nextSteps: '调查原因',
        contact: '李晓梅',
      },
      fastTrack: true,
    });
    await t.call('cgz_xxy', 'POST', `/api/reports/${c.body.id}/submit`, { fastTrack: true });
    const kinds = (await mine('cgz_xxy')).map((i: any) => `${i.kind}:${i.channel ?? i.step ?? ''}`);
    expect(kinds).not.toContain('deadline:written');
    expect(kinds).toEqual(
      expect.arrayContaining(['countersign:approver', 'countersign:principal', 'followup:']),
    );
    const cs = (await mine('cgz_fgld')).find((i: any) => i.kind === 'countersign');
    expect(cs.action).toMatchObject({ method: 'POST', path: `/api/reports/${c.body.id}/countersign` });
  });

  it('the county sees the unsigned arrival due 10 minutes after it came, and its own deadline to the city', async () => {
    const items = await mine('dc_zby');
    const u = items.find((i: any) => i.kind === 'unsigned');
    expect(u).toMatchObject({ action: { verb: 'sign', method: 'POST' } });
    expect(new Date(u.dueAt).getTime()).toBe(t.clock.now().getTime() + 10 * 60_000);
    expect(items.some((i: any) => i.kind === 'deadline' && i.toUnitId === U['示例市'])).toBe(true);
    await t.call('dc_zby', 'POST', `/api/reports/${u.refId}/sign`);
    expect((await mine('dc_zby')).some((i: any) => i.kind === 'unsigned')).toBe(false);
  });

  it('an instruction awaiting feedback and a request from above are the receiving unit’s obligations', async () => {
    const ins = await t.call('dc_ld', 'POST', `/api/events/${eventId}/instructions`, {
      text: '全力救治伤员',
      toUnitIds: [U['城关街道']],
      dueAt: new Date(t.clock.now().getTime() + 3600_000).toISOString(),
    });
    expect(ins.status).toBe(201);
    expect((await mine('cgz_xxy')).find((i: any) => i.kind === 'instruction')).toMatchObject({
      refId: ins.body.id,
      action: { verb: 'feedback' },
    });
    await t.call('dc_xxk', 'POST', `/api/events/${eventId}/requests`, {
      toUnitId: U['东城区公安分局'],
      message: '请报告伤员情况',
    });
    const police = await mine('dc_ga_xxy');
    expect(police.find((i: any) => i.kind === 'request')).toMatchObject({ toUnitId: U['东城区'] });
  });

  it('nobody else’s obligations: another county’s township sees none of this; no sign-in, 401', async () => {
    expect(await mine('hsz_xxy')).toEqual([]);
    expect((await t.call(null, 'GET', '/api/obligations')).status).toBe(401);
  });
});
