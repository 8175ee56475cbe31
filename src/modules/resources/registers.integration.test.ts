import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../../../tests/helpers/app.js';

let t: TestApp;
const u: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  for (const n of [
    '东城区',
    '西山县',
    '城关街道',
    '东城区公安分局',
    '西山县委办公室',
    '城关街道党政办',
    '示例市',
  ])
    u[n] = await t.unitId(n);
  const mk = async (username: string, unit: string, roles: string[]) => {
    const r = await t.call('admin', 'POST', '/api/users', {
      username,
      password: DEMO_PASSWORD,
      name: username,
      unitId: u[unit],
      roles,
    });
    expect(r.status, username).toBe(201);
  };
  await mk('xs_xxk', '西山县委办公室', ['editor']); // 西山县 editor (a sibling county)
  await mk('cg_editor', '城关街道党政办', ['editor']); // a township editor
  await mk('ga_editor', '东城区公安分局', ['editor']); // a department editor
});
afterAll(async () => t?.close());

const team = (over: Record<string, unknown> = {}) => ({
  unitId: u['东城区'],
  name: '东城区综合应急救援大队',
  teamType: 'professional',
  headcount: 60,
  equipment: '消防车4辆，冲锋舟2艘',
  contactName: '张队长',
  phone: '13900000001',
  address: '东城区建设路18号',
  lng: 116.41,
  lat: 39.91,
  categoryCodes: ['11A00', '12G00'],
  ...over,
});
const logCount = async (id: string, action: string) =>
  (
    await t.tdb.pool.query('select count(*)::int n from audit_log where stream = $1 and action = $2', [
      `resource:${id}`,
      action,
    ])
  ).rows[0].n as number;
const entries = async () =>
  (await t.tdb.pool.query('select count(*)::int n from resource_entries')).rows[0].n as number;

describe('registers', () => {
  it('an editor of an area office registers a team for its area: ready by default, logged in the same step', async () => {
    const r = await t.call('dc_xxk', 'POST', '/api/resources/teams', team());
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      kind: 'team',
      unitId: u['东城区'],
      unitName: '东城区',
      readiness: 'ready',
      teamType: 'professional',
      headcount: 60,
      lng: 116.41,
      phone: '13900000001',
      categoryCodes: ['11A00', '12G00'],
      can: { edit: true },
    });
    expect(await logCount(r.body.id, 'resource_registered')).toBe(1);
  });

  it('registers warehouses, experts and shelters with their own fields', async () => {
    const w = await t.call('dc_xxk', 'POST', '/api/resources/warehouses', {
      unitId: u['东城区'],
      name: '东城区应急物资储备库',
      level: 'county',
      areaSqm: 1200,
      lng: 116.4,
      lat: 39.9,
    });
    expect(w.status).toBe(201);
    expect(w.body).toMatchObject({ kind: 'warehouse', level: 'county', areaSqm: 1200, readiness: null });
    const e = await t.call('dc_xxk', 'POST', '/api/resources/experts', {
      unitId: u['东城区'],
      name: '王工',
      field: '危险化学品',
      employer: '示例化工研究院',
      phone: '13900000002',
      categoryCodes: ['12D00'],
    });
    expect(e.status).toBe(201);
    expect(e.body).toMatchObject({ kind: 'expert', field: '危险化学品', employer: '示例化工研究院' });
    const s = await t.call('dc_xxk', 'POST', '/api/resources/shelters', {
      unitId: u['东城区'],
      name: '东城区人民广场应急避难场所',
      shelterType: 'fixed',
      capacity: 5000,
      lng: 116.42,
      lat: 39.92,
    });
    expect(s.status).toBe(201);
    expect(s.body).toMatchObject({ kind: 'shelter', capacity: 5000, readiness: 'ready' });
  });

  it('a department keeps its own register entries; a township editor cannot keep the county’s', async () => {
    const own = await t.call(
      'ga_editor',
      'POST',
      '/api/resources/teams',
      team({ unitId: u['东城区公安分局'], name: '特警大队' }),
    );
    expect(own.status).toBe(201);
    const before = await entries();
    const town = await t.call('cg_editor', 'POST', '/api/resources/teams', team({ name: '越权登记' }));
    expect(town.status).toBe(403);
    const sibling = await t.call('xs_xxk', 'POST', '/api/resources/teams', team({ name: '越权登记' }));
    expect(sibling.status).toBe(403);
    expect(await entries()).toBe(before);
  });

  it('refuses a role that does not keep registers before reading the body (403), and bad input (400) in zh-CN and en', async () => {
    const before = await entries();
    const duty = await t.call('dc_zby', 'POST', '/api/resources/teams', { nonsense: true });
    expect(duty.status).toBe(403);
    expect(duty.body.error.code).toBe('forbidden');
    const zh = await t.call('dc_xxk', 'POST', '/api/resources/teams', team({ lat: null }));
    expect(zh.status).toBe(400);
    expect(zh.body.error.code).toBe('resource_coordinates_pair');
    expect(zh.body.error.message).toContain('经度和纬度');
    const en = await t.call('dc_xxk', 'POST', '/api/resources/teams', team({ teamType: 'pirates' }), {
      'accept-language': 'en',
    });
    expect(en.status).toBe(400);
    expect(en.body.error.message).not.toMatch(/[\u4e00-\u9fff]/);
    const unknown = await t.call(
      'dc_xxk',
      'POST',
      '/api/resources/teams',
      team({ unitId: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('resource_owner_unknown');
    expect(await entries()).toBe(before);
  });

  it('is readable across the county and by the city above, never by the sibling county (404)', async () => {
    const r = await t.call('dc_xxk', 'POST', '/api/resources/teams', team({ name: '可见性测试队' }));
    const id = r.body.id;
    // a township of the county, a department of the county, the city above
    for (const who of ['cgz_xxy', 'dc_ga_xxy', 'sz_xxk', 'sz_ld']) {
      const one = await t.call(who, 'GET', `/api/resources/teams/${id}`);
      expect(one.status, who).toBe(200);
      const list = await t.call(who, 'GET', '/api/resources/teams');
      expect(
        list.body.items.map((x: any) => x.id),
        who,
      ).toContain(id);
    }
    // the sibling county: not in the list, 404 for the record
    const xs = await t.call('hsz_xxy', 'GET', `/api/resources/teams/${id}`);
    expect(xs.status).toBe(404);
    const xsList = await t.call('xs_xxk', 'GET', '/api/resources/teams');
    expect(xsList.body.items.map((x: any) => x.id)).not.toContain(id);
    // a township's own entry is read by its county, not by the sibling county
    const town = await t.call('cg_editor', 'POST', '/api/resources/shelters', {
      unitId: u['城关街道'],
      name: '城关街道小学避难点',
      capacity: 300,
    });
    expect(town.status).toBe(201);
    expect((await t.call('dc_zby', 'GET', `/api/resources/shelters/${town.body.id}`)).status).toBe(200);
    expect((await t.call('xs_xxk', 'GET', `/api/resources/shelters/${town.body.id}`)).status).toBe(404);
  });

  it('contact phones only for offices, duty rooms and the owner', async () => {
    const r = await t.call(
      'ga_editor',
      'POST',
      '/api/resources/teams',
      team({ unitId: u['东城区公安分局'], name: '巡特警' }),
    );
    const id = r.body.id;
    // the owner (a department) and an office of the area see the phone
    expect((await t.call('ga_editor', 'GET', `/api/resources/teams/${id}`)).body.phone).toBe('13900000001');
    expect((await t.call('dc_zby', 'GET', `/api/resources/teams/${id}`)).body.phone).toBe('13900000001');
    expect((await t.call('sz_ld', 'GET', `/api/resources/teams/${id}`)).body.phone).toBe('13900000001');
    // another department of the county reads the entry without the phone
    const other = await t.call('hsz_xxy', 'GET', '/api/resources/teams');
    expect(other.body.items.find((x: any) => x.id === id)).toBeUndefined();
    const dept = await t.call('dc_ga_xxy', 'GET', `/api/resources/teams/${id}`); // own department: a reporter of it
    expect(dept.body.phone).toBe('13900000001');
    const firstTeam = (await t.call('dc_ga_xxy', 'GET', '/api/resources/teams')).body.items.find(
      (x: any) => x.unitId === u['东城区'],
    );
    expect(firstTeam.phone).toBeNull();
    expect(firstTeam.phoneHidden).toBe(true);
  });

  it('a keeper changes a team’s readiness (logged with before and after); others may not', async () => {
    const r = await t.call('dc_xxk', 'POST', '/api/resources/teams', team({ name: '待命测试队' }));
    const id = r.body.id;
    const ch = await t.call('dc_xxk', 'PATCH', `/api/resources/teams/${id}`, { readiness: 'deployed' });
    expect(ch.status).toBe(200);
    expect(ch.body.readiness).toBe('deployed');
    expect(ch.body.headcount).toBe(60);
    const log = await t.tdb.pool.query(
      `select data from audit_log where stream = $1 and action = 'resource_changed'`,
      [`resource:${id}`],
    );
    expect(log.rows[0].data).toMatchObject({
      changed: ['readiness'],
      from: { readiness: 'ready' },
      to: { readiness: 'deployed' },
    });
    expect(
      (await t.call('cg_editor', 'PATCH', `/api/resources/teams/${id}`, { readiness: 'ready' })).status,
    ).toBe(403);
    expect(
      (await t.call('xs_xxk', 'PATCH', `/api/resources/teams/${id}`, { readiness: 'ready' })).status,
    ).toBe(404);
    expect((await t.call('dc_xxk', 'GET', `/api/resources/teams/${id}`)).body.readiness).toBe('deployed');
  });
});

describe('internal registers (人防工程, 指挥所, 重要经济目标)', () => {
  let rfb: string; // 东城区人防办
  let work: string;
  const reads = async (id: string) =>
    (
      await t.tdb.pool.query(
        `select l.data, u.username from audit_log l left join users u on u.id = l.actor_id
         where l.stream = $1 and l.action = 'internal_read' order by l.seq`,
        [`resource:${id}`],
      )
    ).rows;

  beforeAll(async () => {
    const unit = await t.call('admin', 'POST', '/api/units', {
      name: '东城区人防办',
      kind: 'department',
      parentId: u['东城区'],
    });
    expect(unit.status).toBe(201);
    rfb = unit.body.id;
    const r = await t.call('admin', 'POST', '/api/users', {
      username: 'rfb_editor',
      password: DEMO_PASSWORD,
      name: 'rfb_editor',
      unitId: rfb,
      roles: ['editor'],
    });
    expect(r.status).toBe(201);
    const w = await t.call('rfb_editor', 'POST', '/api/resources/air-defence-works', {
      unitId: rfb,
      name: '人民广场地下人员掩蔽工程',
      workType: '人员掩蔽工程',
      protectionLevel: '核6级',
      capacity: 3000,
      lng: 116.42,
      lat: 39.92,
    });
    expect(w.status).toBe(201);
    expect(w.body).toMatchObject({
      kind: 'air_defence_work',
      internal: true,
      readiness: 'ready',
      capacity: 3000,
    });
    work = w.body.id;
  });

  it('is seen by its owner, the area’s offices and leaders and those above — every read logged', async () => {
    for (const who of ['rfb_editor', 'dc_zby', 'dc_ld', 'sz_ld']) {
      expect((await t.call(who, 'GET', `/api/resources/air-defence-works/${work}`)).status, who).toBe(200);
    }
    const list = await t.call('dc_zby', 'GET', '/api/resources/air-defence-works');
    expect(list.body.items.map((x: any) => x.id)).toEqual([work]);
    const logged = await reads(work);
    expect(logged.map((x) => x.username)).toEqual(['rfb_editor', 'dc_zby', 'dc_ld', 'sz_ld', 'dc_zby']);
    expect(logged[4].data).toEqual({ via: 'list' });
  });

  it('is invisible to other departments, townships and the sibling county (404, not listed, nothing logged)', async () => {
    const before = (await reads(work)).length;
    for (const who of ['dc_ga_xxy', 'cgz_xxy', 'cgz_zyfzr', 'xs_xxk']) {
      expect((await t.call(who, 'GET', `/api/resources/air-defence-works/${work}`)).status, who).toBe(404);
      expect((await t.call(who, 'GET', '/api/resources/air-defence-works')).body.items, who).toEqual([]);
    }
    expect((await reads(work)).length).toBe(before);
  });

  it('command posts and key economic targets are internal too; only the owner’s editors keep them', async () => {
    const cp = await t.call('rfb_editor', 'POST', '/api/resources/command-posts', {
      unitId: rfb,
      name: '东城区人防指挥所',
      checkedOn: '2026-11-01',
    });
    expect(cp.status).toBe(201);
    expect(cp.body).toMatchObject({ internal: true, checkedOn: '2026-11-01' });
    const kt = await t.call('dc_xxk', 'POST', '/api/resources/key-targets', {
      unitId: u['东城区'],
      name: '东城变电站',
      targetType: '电力',
    });
    expect(kt.status).toBe(201);
    expect((await t.call('dc_ga_xxy', 'GET', `/api/resources/key-targets/${kt.body.id}`)).status).toBe(404);
    expect(
      (await t.call('dc_xxk', 'POST', '/api/resources/command-posts', { unitId: rfb, name: '越权' })).status,
    ).toBe(403);
  });

  it('the Excel export holds them only for those who see them, each read logged', async () => {
    const rows = async (who: string) => {
      const r = await t.app.inject({
        method: 'GET',
        url: '/api/resources/air-defence-works/export',
        headers: { authorization: `Bearer ${await t.token(who)}` },
      });
      expect(r.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      const out: string[] = [];
      wb.worksheets[0].eachRow((row, n) => {
        if (n > 1) out.push(String(row.getCell(1).value));
      });
      return out;
    };
    const before = (await reads(work)).length;
    expect(await rows('dc_zby')).toEqual(['人民广场地下人员掩蔽工程']);
    expect((await reads(work)).length).toBe(before + 1);
    expect(await rows('dc_ga_xxy')).toEqual([]);
    expect((await reads(work)).length).toBe(before + 1);
  });
});
