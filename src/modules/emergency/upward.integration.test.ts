import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';

let t: TestApp;
const U: Record<string, string> = {};
beforeAll(async () => {
  t = await createTestApp({ demo: true });
  for (const n of ['城关街道', '东湖街道', '东城区', '示例市', '东城区公安分局', '城关街道党政办'])
    U[n] = await t.unitId(n);
});
afterAll(async () => t?.close());

const minutesAgo = (m: number) => new Date(t.clock.now().getTime() - m * 60_000).toISOString();
const full = (over: Record<string, unknown> = {}) => ({
  occurredAt: minutesAgo(20),
  place: '城关街道建设路 18 号仓库',
  cause: '仓库电气线路短路起火',
  scope: '仓库约 300 平方米过火',
  casualties: { dead: 0, missing: 0, seriouslyInjured: 1, lightlyInjured: 2, trapped: 0 },
  loss: '货物损失约 20 万元',
  measures: '消防已到场扑救，伤者送医',
  nextSteps: '清理火场，调查起火原因',
  contact: '城关街道党政办 李晓梅 13800000000',
  ...over,
});
const upward = (user: string, eventId: string, ids?: string[]) =>
  t.call(
    user,
    'GET',
    `/api/events/${eventId}/reports/upward-draft${ids ? `?sourceReportIds=${ids.join(',')}` : ''}`,
  );

async function sendFrom(user: string, eventId: string, elements: Record<string, unknown>, kind = 'initial') {
  const c = await t.call(user, 'POST', `/api/events/${eventId}/reports`, { kind, elements, fastTrack: true });
  expect(c.status).toBe(201);
  const s = await t.call(user, 'POST', `/api/reports/${c.body.id}/submit`, { fastTrack: true });
  expect(s.body.status).toBe('sent');
  return c.body.id as string;
}

describe('转报上级: the county reports upward from what arrived', () => {
  let eventId: string;
  let townReport: string;

  beforeAll(async () => {
    const ev = await t.call('cgz_xxy', 'POST', '/api/events', {
      title: '城关街道建设路仓库起火',
      categoryCode: '12G00',
      level: 'III',
      occurredAt: minutesAgo(20),
      place: { address: '城关街道建设路 18 号仓库' },
    });
    expect(ev.status).toBe(201);
    eventId = ev.body.id;
    townReport = await sendFrom('cgz_xxy', eventId, full());
    expect((await t.call('dc_zby', 'POST', `/api/reports/${townReport}/sign`)).status).toBe(200);
  });

  it('a signed arrival becomes the county draft: nine elements copied, only the contact and signer the county’s', async () => {
    const r = await upward('dc_xxk', eventId, [townReport]);
    expect(r.status).toBe(200);
    const { contact: _c, ...copied } = full();
    expect(r.body.elements).toMatchObject(copied);
    expect(r.body.elements.contact).not.toContain('李晓梅');
    expect(r.body.elements.contact).toContain('刘芳');
    expect(r.body.contact).toBe(r.body.elements.contact);
    expect(r.body).toMatchObject({
      unitId: U['东城区'],
      kind: 'initial',
      sourceReportIds: [townReport],
      conflicts: {},
      signer: { name: '刘芳' },
      fastTrack: false,
    });
  });

  it('the draft sent as is meets the county’s written deadline and keeps its sources', async () => {
    const d = (await upward('dc_xxk', eventId, [townReport])).body;
    const c = await t.call('dc_xxk', 'POST', `/api/events/${eventId}/reports`, {
      kind: d.kind,
      elements: d.elements,
      pendingElements: d.pendingElements,
      sourceReportIds: d.sourceReportIds,
      fastTrack: true,
    });
    expect(c.status).toBe(201);
    expect(c.body.sourceReportIds).toEqual([townReport]);
    const s = await t.call('dc_xxk', 'POST', `/api/reports/${c.body.id}/submit`, { fastTrack: true });
    expect(s.body.status).toBe('sent');
    const ev = (await t.call('dc_xxk', 'GET', `/api/events/${eventId}`)).body;
    const county = ev.deadlines.find((x: any) => x.fromUnitId === U['东城区'] && x.channel === 'written');
    expect(county.status).toBe('met');
    // the county has now sent its initial report: the next one composed is a follow-up
    expect((await upward('dc_xxk', eventId, [townReport])).body.kind).toBe('followup');
  });

  it('two units disagreeing on casualties: values side by side, latest wins, nothing summed', async () => {
    // the county asks its police bureau, which reports different figures later
    const q = await t.call('dc_xxk', 'POST', `/api/events/${eventId}/requests`, {
      toUnitId: U['东城区公安分局'],
      message: '请公安分局报告伤亡情况',
    });
    expect(q.status).toBe(201);
    t.clock.advance(60_000);
    const police = await sendFrom(
      'dc_ga_xxy',
      eventId,
      full({
        casualties: { dead: 1, missing: 0, seriouslyInjured: 1, lightlyInjured: 2, trapped: 0 },
        contact: '东城区公安分局 何磊',
      }),
    );
    const r = await upward('dc_xxk', eventId);
    expect(r.status).toBe(200);
    expect(new Set(r.body.sourceReportIds)).toEqual(new Set([townReport, police]));
    expect(r.body.elements.casualties).toMatchObject({ dead: 1, seriouslyInjured: 1, lightlyInjured: 2 });
    expect(r.body.conflicts.casualties).toEqual([
      expect.objectContaining({
        reportId: townReport,
        unitId: U['城关街道'],
        value: expect.objectContaining({ dead: 0 }),
      }),
      expect.objectContaining({
        reportId: police,
        unitId: U['东城区公安分局'],
        value: expect.objectContaining({ dead: 1 }),
      }),
    ]);
    // agreeing elements are no conflict; the contact is the county's, never a source's
    expect(r.body.conflicts.place).toBeUndefined();
    expect(r.body.conflicts.contact).toBeUndefined();
    expect(r.body.elements.contact).not.toContain('何磊');
  });

  it('refuses sources that did not reach the caller’s level, other roles, strangers and bad input', async () => {
    // the township's own report did not arrive at the township
    const town = await upward('cgz_xxy', eventId, [townReport]);
    expect(town.status).toBe(400);
    expect(town.body.error.code).toBe('source_reports_invalid');
    expect((await upward('admin', eventId)).status).toBe(403);
    expect((await upward('hsz_xxy', eventId)).status).toBe(404); // another county's township
    expect((await upward(null as any, eventId)).status).toBe(401);
    const bad = await t.call(
      'dc_xxk',
      'GET',
      `/api/events/${eventId}/reports/upward-draft?sourceReportIds=x`,
      undefined,
      {
        'accept-language': 'en',
      },
    );
    expect(bad.status).toBe(400);
  });
});

describe('转报上级 from a phone record (特别紧急：电话记录内容作为紧急信息直接上报)', () => {
  it('the county’s report from the call meets the COUNTY’s written deadline; the township still owes its own', async () => {
    const ev = await t.call('dc_zby', 'POST', '/api/events', {
      title: '东湖街道化工厂泄漏',
      categoryCode: '12D00',
      level: 'III',
      occurredAt: minutesAgo(8),
      place: { address: '东湖街道工业园化工厂' },
      summary: '储罐阀门泄漏，已疏散周边群众',
      casualties: { lightlyInjured: 3 },
      responsibleUnitId: U['东湖街道'],
      source: 'phone',
      callerUnitId: U['东湖街道'],
      callerName: '钱进',
      callerPhone: '13900000000',
      calledAt: minutesAgo(5),
    });
    expect(ev.status).toBe(201);
    const phone = ev.body.reports.find((x: any) => x.kind === 'phone');
    const d = await upward('dc_xxk', ev.body.id, [phone.id]);
    expect(d.status).toBe(200);
    expect(d.body.sourceReportIds).toEqual([phone.id]);
    for (const [k, v] of Object.entries(phone.elements))
      if (k !== 'contact') expect(d.body.elements[k]).toEqual(v);
    // what the call did not say stays open with a reason, never invented
    const pending: Record<string, string> = { ...d.body.pendingElements };
    for (const k of ['occurredAt', 'place', 'cause', 'scope', 'casualties', 'loss', 'measures', 'nextSteps'])
      if (d.body.elements[k] === undefined && !pending[k]) pending[k] = '电话报告未提及，正在核实';
    const c = await t.call('dc_xxk', 'POST', `/api/events/${ev.body.id}/reports`, {
      kind: 'initial',
      elements: d.body.elements,
      pendingElements: pending,
      sourceReportIds: d.body.sourceReportIds,
      fastTrack: true,
    });
    expect(c.status).toBe(201);
    t.clock.advance(2 * 60_000);
    const s = await t.call('dc_xxk', 'POST', `/api/reports/${c.body.id}/submit`, { fastTrack: true });
    expect(s.body.status).toBe('sent');
    const after = (await t.call('dc_xxk', 'GET', `/api/events/${ev.body.id}`)).body;
    const dl = (unit: string, ch: string) =>
      after.deadlines.find((x: any) => x.fromUnitId === U[unit] && x.channel === ch);
    expect(dl('东城区', 'written')).toMatchObject({ status: 'met', metAt: t.clock.now().toISOString() });
    expect(dl('东湖街道', 'phone').status).toBe('met');
    expect(dl('东湖街道', 'written')).toMatchObject({ status: 'pending', metAt: null });
    // the county's report arrived at the city, from the county
    const intake = (await t.call('sz_xxk', 'GET', '/api/intake')).body.items;
    expect(intake.find((i: any) => i.reportId === c.body.id)).toMatchObject({ fromUnitId: U['东城区'] });
  });
});
