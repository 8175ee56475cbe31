import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../../../tests/helpers/app.js';

let t: TestApp;
const u: Record<string, string> = {};
const id: Record<string, string> = {};
let eventId: string;
let noPlaceEventId: string;

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  for (const n of ['东城区', '西山县', '西山县委办公室', '东城区公安分局']) u[n] = await t.unitId(n);
  const r = await t.call('admin', 'POST', '/api/users', {
    username: 'xs_xxk',
    password: DEMO_PASSWORD,
    name: 'xs_xxk',
    unitId: u['西山县委办公室'],
    roles: ['editor', 'leader'],
  });
  expect(r.status).toBe(201);
  const add = async (who: string, path: string, body: Record<string, unknown>) => {
    const x = await t.call(who, 'POST', path, body);
    expect(x.status, `${path} ${JSON.stringify(x.body)}`).toBe(201);
    return x.body.id as string;
  };
  const team = (
    name: string,
    lng: number | null,
    lat: number | null,
    over: Record<string, unknown> = {},
  ) => ({
    unitId: u['东城区'],
    name,
    teamType: 'professional',
    lng,
    lat,
    ...over,
  });
  // three teams with known coordinates around the event at (116.4074, 39.9042), one not ready, one without a place
  id.near = await add(
    'dc_xxk',
    '/api/resources/teams',
    team('城关消防站', 116.4174, 39.9042, { categoryCodes: ['12G00'] }),
  );
  id.mid = await add('dc_xxk', '/api/resources/teams', team('北郊救援队', 116.4074, 40.0042));
  id.far = await add(
    'dc_xxk',
    '/api/resources/teams',
    team('远郊民兵连', 116.4074, 40.3042, { teamType: 'militia' }),
  );
  id.busy = await add(
    'dc_xxk',
    '/api/resources/teams',
    team('已出动救援队', 116.408, 39.905, { readiness: 'deployed' }),
  );
  id.nowhere = await add(
    'dc_xxk',
    '/api/resources/teams',
    team('志愿者服务队', null, null, { teamType: 'volunteer' }),
  );
  // the sibling county's team, right next to the event: invisible to 东城区
  id.sibling = await add('xs_xxk', '/api/resources/teams', {
    ...team('西山县救援队', 116.4075, 39.9043),
    unitId: u['西山县'],
  });
  // plans: by the category tree and level
  id.fireClass = await add('dc_xxk', '/api/plans', {
    title: '东城区生产安全事故应急预案',
    kind: 'special',
    ownerUnitId: u['东城区'],
    categoryCodes: ['12000'],
    levels: ['III', 'IV'],
    reviseBy: '2029-12-31',
    supplies: [{ itemCode: 'D01', quantity: 100 }],
  });
  id.fire = await add('dc_xxk', '/api/plans', {
    title: '东城区火灾事故应急预案',
    kind: 'special',
    ownerUnitId: u['东城区'],
    categoryCodes: ['12G00'],
    levels: ['IV'],
    reviseBy: '2029-12-31',
  });
  id.overall = await add('dc_xxk', '/api/plans', {
    title: '东城区突发事件总体应急预案',
    kind: 'overall',
    ownerUnitId: u['东城区'],
    categoryCodes: [],
    levels: ['I', 'II', 'III', 'IV'],
    reviseBy: '2029-12-31',
  });
  id.flood = await add('dc_xxk', '/api/plans', {
    title: '东城区防汛应急预案',
    kind: 'special',
    ownerUnitId: u['东城区'],
    categoryCodes: ['11A00'],
    levels: ['IV'],
    reviseBy: '2029-12-31',
  });
  id.major = await add('dc_xxk', '/api/plans', {
    title: '重特大火灾预案',
    kind: 'special',
    ownerUnitId: u['东城区'],
    categoryCodes: ['12G00'],
    levels: ['I', 'II'],
    reviseBy: '2029-12-31',
  });
  id.siblingPlan = await add('xs_xxk', '/api/plans', {
    title: '西山县火灾预案',
    kind: 'special',
    ownerUnitId: u['西山县'],
    categoryCodes: ['12G00'],
    levels: ['IV'],
    reviseBy: '2029-12-31',
  });
  // warehouses: one holding fire extinguishers (what the matched plan needs), one holding only tents
  id.whNear = await add('dc_xxk', '/api/resources/warehouses', {
    unitId: u['东城区'],
    name: '城关储备点',
    lng: 116.41,
    lat: 39.91,
  });
  id.whFar = await add('dc_xxk', '/api/resources/warehouses', {
    unitId: u['东城区'],
    name: '区储备库',
    lng: 116.5,
    lat: 40.1,
  });
  id.whTents = await add('dc_xxk', '/api/resources/warehouses', {
    unitId: u['东城区'],
    name: '帐篷库',
    lng: 116.4074,
    lat: 39.9042,
  });
  const stock = (warehouseId: string, itemCode: string, quantity: number) =>
    add('dc_xxk', '/api/resources/stock-moves', { warehouseId, itemCode, quantity, kind: 'in' });
  await stock(id.whFar, 'D01', 500);
  await stock(id.whNear, 'D01', 40);
  await stock(id.whTents, 'B01', 80);
  // experts
  id.fireExpert = await add('dc_xxk', '/api/resources/experts', {
    unitId: u['东城区'],
    name: '李工',
    field: '消防工程',
    categoryCodes: ['12G00'],
  });
  id.waterExpert = await add('dc_xxk', '/api/resources/experts', {
    unitId: u['东城区'],
    name: '赵工',
    field: '水利',
    categoryCodes: ['11A00'],
  });
  const ev = await t.call('cgz_xxy', 'POST', '/api/events', {
    title: '城关街道一商场起火',
    categoryCode: '12G02',
    level: 'IV',
    occurredAt: new Date(t.clock.now().getTime() - 600_000).toISOString(),
    place: { address: '城关街道人民路1号', lng: 116.4074, lat: 39.9042 },
  });
  eventId = ev.body.id;
  const ev2 = await t.call('cgz_xxy', 'POST', '/api/events', {
    title: '城关街道居民楼起火',
    categoryCode: '12G01',
    level: 'IV',
    occurredAt: new Date(t.clock.now().getTime() - 600_000).toISOString(),
    place: { address: '城关街道某小区' },
  });
  noPlaceEventId = ev2.body.id;
});
afterAll(async () => t?.close());

const suggest = (who = 'dc_zby', ev = eventId, headers: Record<string, string> = {}) =>
  t.call(who, 'GET', `/api/events/${ev}/suggestions`, undefined, headers);

describe('suggestions on the event page', () => {
  it('plans matching the category tree and level, most specific first, with why; not the sibling county’s', async () => {
    const r = await suggest();
    expect(r.status).toBe(200);
    expect(r.body.plans.map((p: any) => p.id)).toEqual([id.fire, id.fireClass, id.overall]);
    expect(r.body.plans[0].why).toContain('12G00');
    expect(r.body.plans[1].why).toContain('12000');
    expect(r.body.plans[2].why).toContain('总体预案');
    expect(r.body.plans[0].why).toContain('Ⅳ级');
  });

  it('ready teams nearest first with straight-line distances; not ready and sibling county excluded; no place last', async () => {
    const r = await suggest();
    const teams = r.body.teams;
    expect(teams.map((x: any) => x.id)).toEqual([id.near, id.mid, id.far, id.nowhere]);
    expect(Math.abs(teams[0].distanceKm - 0.853)).toBeLessThan(0.1);
    expect(Math.abs(teams[1].distanceKm - 11.12)).toBeLessThan(0.1);
    expect(Math.abs(teams[2].distanceKm - 44.48)).toBeLessThan(0.1);
    expect(teams[3].distanceKm).toBeNull();
    expect(teams[0].why).toContain('直线距离');
    expect(teams[0].why).toContain('火灾');
    expect(r.body.distanceLabel).toBe('直线距离');
    const en = await suggest('dc_zby', eventId, { 'accept-language': 'en' });
    expect(en.body.teams[0].why).toContain('straight-line distance');
  });

  it('warehouses holding what the matched plans need, nearest first; experts of the category', async () => {
    const r = await suggest();
    expect(r.body.warehouses.map((w: any) => w.id)).toEqual([id.whNear, id.whFar]);
    expect(r.body.warehouses[0].items).toEqual([
      { itemCode: 'D01', itemName: '灭火器', quantity: 40, unit: '具', needed: 100 },
    ]);
    expect(r.body.experts.map((e: any) => e.id)).toEqual([id.fireExpert]);
  });

  it('the sibling county gets 404 for the event', async () => {
    expect((await suggest('xs_xxk')).status).toBe(404);
  });

  it('an event without coordinates: distances null, origin null', async () => {
    const r = await suggest('dc_zby', noPlaceEventId);
    expect(r.status).toBe(200);
    expect(r.body.origin).toBeNull();
    expect(r.body.teams.every((x: any) => x.distanceKm === null)).toBe(true);
    expect(r.body.teams[0].why).toContain('事件无坐标');
    expect(r.body.plans.map((p: any) => p.id)).toContain(id.fire);
  });

  it('a plan suggested and activated says at which levels it is active', async () => {
    const a = await t.call('dc_ld', 'POST', `/api/plans/${id.fire}/activate`, { eventId, level: 'IV' });
    expect(a.status).toBe(201);
    const r = await suggest();
    expect(r.body.plans[0].activatedLevels).toEqual(['IV']);
  });
});

describe('teams sent to the event', () => {
  it('the duty officer sends the nearest team: deployed, out of the suggestions, logged; back when released', async () => {
    expect((await suggest()).body.teams[0]).toMatchObject({ id: id.near, canDispatch: true });
    const r = await t.call('dc_zby', 'POST', `/api/events/${eventId}/team-deployments`, { teamId: id.near });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ teamId: id.near, releasedAt: null, can: { release: true } });
    expect((await t.call('dc_zby', 'GET', `/api/resources/teams/${id.near}`)).body.readiness).toBe(
      'deployed',
    );
    expect((await suggest()).body.teams.map((x: any) => x.id)).not.toContain(id.near);
    const twice = await t.call('dc_dbld', 'POST', `/api/events/${eventId}/team-deployments`, {
      teamId: id.near,
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('team_not_ready');
    expect(
      (await t.call('dc_xxk', 'POST', `/api/events/${eventId}/team-deployments`, { teamId: id.mid })).status,
    ).toBe(403);
    const list = await t.call('cgz_xxy', 'GET', `/api/events/${eventId}/team-deployments`);
    expect(list.body.items.map((x: any) => x.teamName)).toEqual(['城关消防站']);
    const back = await t.call('dc_dbld', 'POST', `/api/team-deployments/${r.body.id}/release`);
    expect(back.status).toBe(200);
    expect(back.body.releasedAt).not.toBeNull();
    expect(
      (await t.call('dc_dbld', 'POST', `/api/team-deployments/${r.body.id}/release`)).body.error.code,
    ).toBe('team_already_released');
    expect((await suggest()).body.teams[0].id).toBe(id.near);
    const log = await t.tdb.pool.query(
      `select action from audit_log where stream = $1 and action like 'team_%' order by seq`,
      [`event:${eventId}`],
    );
    expect(log.rows.map((x) => x.action)).toEqual(['team_deployed', 'team_released']);
  });
});
