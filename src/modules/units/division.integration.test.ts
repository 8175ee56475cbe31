import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
});
afterAll(async () => t?.close());

const q = async (text: string, params: unknown[] = []) => (await t.tdb.pool.query(text, params)).rows;

describe('areas from the national division table', () => {
  it('the picker lists provinces, then the children of a code', async () => {
    const top = await t.call('admin', 'GET', '/api/divisions');
    expect(top.status).toBe(200);
    expect(top.body.items.find((d: any) => d.code === '440000')).toMatchObject({
      name: '广东省',
      level: 'province',
      hasChildren: true,
    });
    const gd = await t.call('admin', 'GET', '/api/divisions?parent=440000');
    expect(gd.body.items).toHaveLength(21);
    expect(gd.body.items.find((d: any) => d.code === '440300')).toMatchObject({
      name: '深圳市',
      level: 'city',
    });
    const dg = await t.call('admin', 'GET', '/api/divisions?parent=441900');
    expect(dg.body.items.length).toBeGreaterThan(30);
    expect(dg.body.items.every((d: any) => d.level === 'township' && d.code.startsWith('441900'))).toBe(true);
    const bj = await t.call('admin', 'GET', '/api/divisions?parent=110000');
    expect(bj.body.items.find((d: any) => d.code === '110101')).toMatchObject({
      name: '东城区',
      level: 'county',
    });
    const one = await t.call('admin', 'GET', '/api/divisions/440305001');
    expect(one.body.ancestors.map((a: any) => a.name)).toEqual(['广东省', '深圳市', '南山区']);
  });

  it('creates all of 广东省 with real names, codes and parents in a few seconds, under the nation', async () => {
    const started = Date.now();
    const r = await t.call('admin', 'POST', '/api/units/from-division', {
      code: '440000',
      withOffices: true,
    });
    const seconds = (Date.now() - started) / 1000;
    expect(r.status).toBe(201);
    expect(r.body.created).toMatchObject({ province: 1, city: 21 });
    expect(r.body.created.township).toBeGreaterThan(1500);
    expect(seconds).toBeLessThan(10);
    console.log(`广东省: ${JSON.stringify(r.body.created)} in ${seconds.toFixed(2)} s`);

    const [gd] = await q(
      `select u.*, p.level as parent_level from units u join units p on p.id = u.parent_id where u.division_code = '440000'`,
    );
    expect(gd).toMatchObject({ name: '广东省', kind: 'area', level: 'province', parent_level: 'nation' });
    const [sz] = await q(`select * from units where division_code = '440300'`);
    expect(sz).toMatchObject({ name: '深圳市', level: 'city', parent_id: gd.id });
    const [ns] = await q(`select * from units where division_code = '440305'`);
    expect(ns).toMatchObject({ name: '南山区', level: 'county', parent_id: sz.id });
    expect(ns.path).toEqual([...sz.path, ns.id]);
    const [dg] = await q(`select * from units where division_code = '441900'`);
    expect(dg).toMatchObject({ name: '东莞市', level: 'city', parent_id: gd.id });
    const dgTowns = await q(`select * from units where parent_id = $1 and kind = 'area'`, [dg.id]);
    expect(dgTowns.length).toBeGreaterThan(30);
    expect(dgTowns.every((u) => u.level === 'township' && /^441900\d{3}$/.test(u.division_code))).toBe(true);
    expect(dgTowns.map((u) => u.name)).toContain('虎门镇');
    const [zs] = await q(`select * from units where division_code = '442000'`);
    expect(zs).toMatchObject({ name: '中山市', level: 'city' });
    // the counts match the table: every division of the province once
    const [{ n }] = await q(
      `select count(*)::int as n from units where kind = 'area' and division_code like '44%'`,
    );
    expect(n).toBe(r.body.created.areas);
    const [{ n: towns }] = await q(
      `select count(*)::int as n from units where level = 'township' and division_code like '44%'`,
    );
    expect(towns).toBe(r.body.created.township);
    // offices: the two general offices and the duty room above township level, one 党政办 per township
    const offices = await q(
      `select name, kind from units where parent_id = $1 and kind <> 'area' order by kind`,
      [sz.id],
    );
    expect(offices).toEqual([
      { name: '深圳市总值班室', kind: 'duty_room' },
      { name: '深圳市人民政府办公室', kind: 'gov_office' },
      { name: '深圳市委办公室', kind: 'party_office' },
    ]);
    const [hm] = await q(
      `select o.name, o.kind from units o join units t on t.id = o.parent_id where t.name = '虎门镇' and t.division_code like '441900%'`,
    );
    expect(hm).toEqual({ name: '虎门镇党政办', kind: 'party_office' });
    const [{ n: gdOffices }] = await q(
      `select count(*)::int as n from units o join units a on a.id = o.parent_id where o.kind <> 'area' and a.division_code like '44%'`,
    );
    expect(gdOffices).toBe(r.body.created.offices);
    // registered in the log
    const log = await q(`select * from audit_log where action = 'units_created_from_division'`);
    expect(log).toHaveLength(1);
    expect(log[0].data.areasCreated).toBe(r.body.created.areas);
  });

  it('a second run skips what is already there and creates nothing', async () => {
    const before = await q(`select count(*)::int as n from units`);
    const r = await t.call('admin', 'POST', '/api/units/from-division', {
      code: '440300',
      withOffices: true,
    });
    expect(r.status).toBe(201);
    expect(r.body.created.areas).toBe(0);
    expect(r.body.created.offices).toBe(0);
    expect(r.body.skipped.areas).toBeGreaterThan(10);
    expect(await q(`select count(*)::int as n from units`)).toEqual(before);
  });

  it('attaches a county under the existing area of its parent code, without townships when asked', async () => {
    const r = await t.call('admin', 'POST', '/api/units/from-division', {
      code: '110101',
      includeTownships: false,
    });
    // 北京市 is not there yet, so a county cannot be placed
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('division_parent_missing');
    const bj = await t.call('admin', 'POST', '/api/units/from-division', {
      code: '110000',
      includeTownships: false,
    });
    expect(bj.status).toBe(201);
    expect(bj.body.created).toMatchObject({ province: 1, city: 0, township: 0 });
    expect(bj.body.created.county).toBe(16);
    const [dc] = await q(
      `select u.name, p.name as parent from units u join units p on p.id = u.parent_id where u.division_code = '110101'`,
    );
    expect(dc).toEqual({ name: '东城区', parent: '北京市' });
    // now the townships of one district, attached to the existing district
    const towns = await t.call('admin', 'POST', '/api/units/from-division', { code: '110101' });
    expect(towns.body.created.township).toBeGreaterThan(10);
    expect(towns.body.skipped.areas).toBe(1);
  });

  it('refuses a non-admin, an unknown code, and a parent of a lower level', async () => {
    expect((await t.call('cgz_xxy', 'POST', '/api/units/from-division', { code: '440000' })).status).toBe(
      403,
    );
    const unknown = await t.call('admin', 'POST', '/api/units/from-division', { code: '999999' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('999999');
    const town = await t.unitId('城关街道');
    const low = await t.call('admin', 'POST', '/api/units/from-division', { code: '440300', parentId: town });
    expect(low.status).toBe(400);
    expect(low.body.error.code).toBe('division_parent_not_higher');
  });

  it('a repeat with the same Idempotency-Key returns the first result and creates nothing more', async () => {
    const h = { 'idempotency-key': 'tianjin-1' };
    const first = await t.call('admin', 'POST', '/api/units/from-division', { code: '120000' }, h);
    expect(first.status).toBe(201);
    const n = await q(`select count(*)::int as n from units`);
    const again = await t.call('admin', 'POST', '/api/units/from-division', { code: '120000' }, h);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await q(`select count(*)::int as n from units`)).toEqual(n);
  });

  it('the endpoints are described in the OpenAPI document', async () => {
    const doc = await t.call(null, 'GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    for (const path of [
      '/api/divisions',
      '/api/units/from-division',
      '/api/units/import',
      '/api/users/export.xlsx',
      '/api/units/{id}/responsible-persons',
      '/api/units/defects',
      '/api/units/staffing',
    ])
      expect(Object.keys(doc.body.paths)).toContain(path);
  });
});
