/**
 * The API contract from an outside system's point of view: an empty Jibao (no demo data), a tree built through
 * the API, users created through the API, and a real case replayed: a township fire reported by phone, then
 * in writing late, the county forwarding, and the statistics that follow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
const U: Record<string, string> = {};
const PW = 'Contract#Desk-2026';

beforeAll(async () => {
  t = await createTestApp({ demo: false });
});
afterAll(async () => t?.close());

async function unit(key: string, body: Record<string, unknown>) {
  const r = await t.call('admin', 'POST', '/api/units', body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  U[key] = r.body.id;
  return r.body;
}
async function user(username: string, unitKey: string, roles: string[]) {
  const r = await t.call('admin', 'POST', '/api/users', {
    username,
    password: PW,
    name: username,
    unitId: U[unitKey],
    roles,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  await t.token(username, PW);
}

describe('an empty Jibao set up through the API', () => {
  it('the administrator builds province, city, county, township and offices', async () => {
    await unit('prov', { name: '测试省', kind: 'area', level: 'province', divisionCode: '880000' });
    await unit('city', {
      name: '测试市',
      kind: 'area',
      level: 'city',
      parentId: U.prov,
      divisionCode: '880100',
    });
    await unit('county', {
      name: '测试县',
      kind: 'area',
      level: 'county',
      parentId: U.city,
      divisionCode: '880121',
    });
    await unit('town', {
      name: '测试镇',
      kind: 'area',
      level: 'township',
      parentId: U.county,
      divisionCode: '880121100',
    });
    await unit('townOffice', { name: '测试镇党政办', kind: 'party_office', parentId: U.town });
    await unit('countyParty', { name: '测试县委办公室', kind: 'party_office', parentId: U.county });
    await unit('countyDuty', { name: '测试县总值班室', kind: 'duty_room', parentId: U.county });
    await unit('cityParty', { name: '测试市委办公室', kind: 'party_office', parentId: U.city });
    await unit('police', { name: '测试县公安局', kind: 'department', parentId: U.county });
    await user('t_rep', 'townOffice', ['reporter']);
    await user('t_lead', 'townOffice', ['approver', 'principal']);
    await user('c_duty', 'countyDuty', ['duty_officer']);
    await user('c_edit', 'countyParty', ['editor', 'reporter']);
    await user('c_lead', 'countyParty', ['approver', 'principal']);
    await user('s_edit', 'cityParty', ['editor']);
    const units = await t.call('t_rep', 'GET', '/api/units');
    expect(units.body.items.map((u: any) => u.id)).toContain(U.town);
    const me = await t.call('t_rep', 'GET', '/api/me');
    expect(me.body).toMatchObject({ username: 't_rep', unitId: U.townOffice, roles: ['reporter'] });
  });

  it('a township fire: phone in time, writing late, the county forwards on time', async () => {
    const occurredAt = new Date(t.clock.now().getTime() - 40 * 60_000).toISOString();
    const calledAt = new Date(t.clock.now().getTime() - 35 * 60_000).toISOString();
    const ev = await t.call('c_duty', 'POST', '/api/events', {
      title: '测试镇一饭店火灾',
      categoryCode: '12G02',
      level: 'III',
      occurredAt,
      place: { address: '测试镇建设路 8 号' },
      responsibleUnitId: U.town,
      source: 'phone',
      callerUnitId: U.townOffice,
      callerName: '张三',
      callerPhone: '13900000000',
      calledAt,
      casualties: { dead: 1, seriouslyInjured: 2 },
    });
    expect(ev.status).toBe(201);
    expect(ev.body.mustReport).toEqual({
      required: true,
      rules: ['statutory', 'serious'],
      ruleSetVersion: 1,
    });
    expect(ev.body.flags.invertedFlow).toEqual([]);
    const byKey = (b: any) =>
      Object.fromEntries(
        b.deadlines.map((d: any) => [`${d.fromUnitId === U.town ? 'town' : 'county'}-${d.channel}`, d]),
      );
    let d = byKey(ev.body);
    expect(Object.keys(d).sort()).toEqual(['county-phone', 'county-written', 'town-phone', 'town-written']);
    expect(d['town-phone']).toMatchObject({ status: 'met', metAt: calledAt, toUnitId: U.county });
    expect(d['town-written'].status).toBe('late'); // Ⅲ: 30 minutes, 40 have passed
    const rep = await t.call('t_rep', 'POST', `/api/events/${ev.body.id}/reports`, {
      kind: 'initial',
      elements: {
        occurredAt,
        place: '测试镇建设路 8 号',
        cause: '厨房油锅起火',
        scope: '饭店一层',
        casualties: { dead: 1, seriouslyInjured: 2 },
        loss: '待核实',
        measures: '消防扑救，伤员送医',
        nextSteps: '调查原因',
        contact: '张三 13900000000',
      },
    });
    expect((await t.call('t_rep', 'POST', `/api/reports/${rep.body.id}/submit`)).body.status).toBe(
      'awaiting_approval',
    );
    expect((await t.call('t_lead', 'POST', `/api/reports/${rep.body.id}/approve`)).body.status).toBe(
      'awaiting_approval',
    );
    expect((await t.call('t_lead', 'POST', `/api/reports/${rep.body.id}/approve`)).body.status).toBe('sent');
    const intake = await t.call('c_edit', 'GET', '/api/intake');
    expect(intake.body.items[0]).toMatchObject({
      reportId: rep.body.id,
      eventId: ev.body.id,
      fromUnitId: U.town,
      signedAt: null,
    });
    expect((await t.call('c_duty', 'POST', `/api/reports/${rep.body.id}/sign`)).status).toBe(200);
    const county = await t.call('c_edit', 'POST', `/api/events/${ev.body.id}/reports`, {
      kind: 'initial',
      fastTrack: true,
      sourceReportIds: [rep.body.id],
      elements: rep.body.elements,
    });
    expect((await t.call('c_edit', 'POST', `/api/reports/${county.body.id}/submit`)).body.status).toBe(
      'sent',
    );
    const after = await t.call('s_edit', 'GET', `/api/events/${ev.body.id}`);
    d = byKey(after.body);
    expect(d['town-written'].status).toBe('late');
    expect(d['county-written'].status).toBe('met');
    expect(d['county-phone'].status).toBe('pending');
    const city = await t.call('s_edit', 'GET', '/api/intake');
    expect(city.body.items.map((x: any) => x.reportId)).toEqual([county.body.id]);

    t.clock.advanceMinutes(90); // the county never phoned the city: past its 60 minutes
    const stats = await t.call('s_edit', 'GET', '/api/stats/timeliness');
    const row = (id: string) => stats.body.units.find((u: any) => u.unitId === id);
    expect(row(U.town)).toMatchObject({ reports: 2, onTime: 1, late: 1, missed: 0, onTimeRate: 0.5 });
    expect(row(U.county)).toMatchObject({ reports: 2, onTime: 1, late: 1, missed: 0, onTimeRate: 0.5 });
    const trace = await t.call('s_edit', 'GET', `/api/events/${ev.body.id}/trace`);
    expect(trace.body.steps.map((s: any) => s.action)).toEqual(
      expect.arrayContaining([
        'event_registered',
        'phone_recorded',
        'report_approved',
        'report_sent',
        'signed',
      ]),
    );
    expect((await t.call('admin', 'GET', '/api/audit/verify')).body.ok).toBe(true);
  });

  it('a department that told only its business line shows up as inverted flow when the city registers the event', async () => {
    const ev = await t.call('s_edit', 'POST', '/api/events', {
      title: '测试县发生持刀伤人案',
      categoryCode: '14B00',
      level: null,
      occurredAt: new Date(t.clock.now().getTime() - 20 * 60_000).toISOString(),
      place: { address: '测试县人民广场' },
      responsibleUnitId: U.police,
      source: 'higher',
      flags: { specialPersons: ['student'] },
    });
    expect(ev.body.mustReport.rules).toEqual(['special_persons', 'sensitive']);
    expect(ev.body.flags.invertedFlow.sort()).toEqual([U.police, U.county].sort());
  });
});
