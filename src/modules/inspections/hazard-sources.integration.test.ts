import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../../../tests/helpers/app.js';
import { SAMPLES } from '../../../tests/helpers/files.js';
import { sweepAll as sweepWith } from '../../floor/timers.js';
import { TIMERS } from '../../server/modules.js';

// 重大危险源: the register, its visibility (the owner's county and the areas above, not a sibling county), check-ins
// with photos, a missed check as an urgent notice that must be acknowledged (once per interval, no burst after a
// downtime), monitoring readings from a bearer-token client. 安委办 as an area setting.
let t: TestApp;
const u: Record<string, string> = {};
const sweep = () => sweepWith({ db: t.tdb.db, clock: t.clock, timers: TIMERS });

function multipart(fields: Record<string, string>, file?: { name: string; bytes: Buffer; type?: string }) {
  const boundary = '----jibaosrc';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'image/jpeg'}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const notes = async (kind: string) =>
  (
    await t.tdb.pool.query(
      `select n.id, u.username, n.urgent, n.title from notifications n join users u on u.id = n.user_id
       where n.kind = $1 order by n.created_at, u.username`,
      [kind],
    )
  ).rows;

beforeAll(async () => {
  t = await createTestApp();
  for (const n of [
    '东城区',
    '城关街道',
    '西山县',
    '东城区应急管理局（应急办）',
    '河西镇',
    '东城区政府办公室',
  ])
    u[n] = await t.unitId(n);
});
afterAll(async () => t?.close());

let sid = '';

describe('major hazard sources (重大危险源)', () => {
  it('an editor registers one for a unit of the area; a reporter may not; a unit outside the tree is refused', async () => {
    const body = {
      name: '城关加气站储气罐区',
      unitId: u['城关街道'],
      place: '城关街道人民路 88 号',
      lng: 116.4,
      lat: 39.9,
      level: '三级',
      description: 'LNG 储罐 2×60 m³',
      checkEveryMinutes: 120,
    };
    expect((await t.call('cgz_xxy', 'POST', '/api/resources/hazard-sources', body)).status).toBe(403);
    const r = await t.call('dc_xxk', 'POST', '/api/resources/hazard-sources', body);
    expect(r.status).toBe(201);
    sid = r.body.id;
    expect(r.body).toMatchObject({
      watch: 'ok',
      areaName: '东城区',
      unitName: '城关街道',
      lastCheckAt: null,
    });
    expect(r.body.nextCheckBy).toBe(new Date(t.clock.now().getTime() + 120 * 60_000).toISOString());
    const outside = await t.call('dc_xxk', 'POST', '/api/resources/hazard-sources', {
      ...body,
      unitId: u['河西镇'],
    });
    expect(outside.status).toBe(403);
    const bad = await t.call('dc_xxk', 'POST', '/api/resources/hazard-sources', {
      ...body,
      checkEveryMinutes: 1,
      lat: 200,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation');
    const log = await t.tdb.pool.query(`select action from audit_log where stream = $1`, [
      `hazard_source:${sid}`,
    ]);
    expect(log.rows.map((x) => x.action)).toEqual(['hazard_source_registered']);
  });

  it('is read across the county and by the city above, not by a sibling county (404)', async () => {
    for (const who of ['cgz_xxy', 'dc_zby', 'sz_xxk']) {
      const list = await t.call(who, 'GET', '/api/resources/hazard-sources');
      expect(
        list.body.items.map((s: any) => s.id),
        who,
      ).toContain(sid);
      expect((await t.call(who, 'GET', `/api/resources/hazard-sources/${sid}`)).status, who).toBe(200);
    }
    const sib = await t.call('hsz_xxy', 'GET', '/api/resources/hazard-sources');
    expect(sib.body.items.map((s: any) => s.id)).not.toContain(sid);
    const one = await t.call('hsz_xxy', 'GET', `/api/resources/hazard-sources/${sid}`, undefined, {
      'accept-language': 'en',
    });
    expect(one.status).toBe(404);
    expect(one.body.error.code).toBe('hazard_source_not_found');
    expect(one.body.error.message).toMatch(/hazard source/);
  });

  it('the responsible unit checks in, with a photo checked from its bytes; others may not', async () => {
    const r = await t.call('cgz_xxy', 'POST', `/api/resources/hazard-sources/${sid}/checks`, {
      note: '压力正常',
    });
    expect(r.status).toBe(201);
    expect(r.body.lastCheckAt).toBe(t.clock.now().toISOString());
    expect(r.body.checks[0]).toMatchObject({ note: '压力正常', abnormal: false, photoUrl: null });
    expect(r.body.can).toEqual({ checkSource: true, postReading: true });
    // what the answer promises is what the API keeps: the county reads it, it does not check in
    const seen = await t.call('dc_xxk', 'GET', `/api/resources/hazard-sources/${sid}`);
    expect(seen.body.can.checkSource).toBe(false);
    const county = await t.call('dc_xxk', 'POST', `/api/resources/hazard-sources/${sid}/checks`, {});
    expect(county.status).toBe(403);
    const auth = { authorization: `Bearer ${await t.token('cgz_xxy')}` };
    const html = multipart({ note: '照片' }, { name: 'x.jpg', bytes: SAMPLES.html });
    const r1 = await t.app.inject({
      method: 'POST',
      url: `/api/resources/hazard-sources/${sid}/checks`,
      headers: { ...html.headers, ...auth },
      payload: html.payload,
    });
    expect(r1.statusCode).toBe(422);
    expect(r1.json().error.code).toBe('photo_not_image');
    t.clock.advance(10 * 60_000);
    const ok = multipart({ note: '现场照片', abnormal: 'false' }, { name: '罐区.png', bytes: SAMPLES.png });
    const r2 = await t.app.inject({
      method: 'POST',
      url: `/api/resources/hazard-sources/${sid}/checks`,
      headers: { ...ok.headers, ...auth },
      payload: ok.payload,
    });
    expect(r2.statusCode).toBe(201);
    const check = r2.json().checks[0];
    expect(check.note).toBe('现场照片');
    expect(check.photoUrl).toMatch(/^\/api\/resources\/hazard-source-checks\/.+\/photo$/);
    const photo = await t.app.inject({ method: 'GET', url: check.photoUrl, headers: auth });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expect(photo.headers['x-content-type-options']).toBe('nosniff');
    const sibling = await t.app.inject({
      method: 'GET',
      url: check.photoUrl,
      headers: { authorization: `Bearer ${await t.token('hsz_xxy')}` },
    });
    expect(sibling.statusCode).toBe(404);
    const big = multipart(
      {},
      { name: 'big.png', bytes: Buffer.concat([SAMPLES.png, Buffer.alloc(11 * 1024 * 1024)]) },
    );
    const r3 = await t.app.inject({
      method: 'POST',
      url: `/api/resources/hazard-sources/${sid}/checks`,
      headers: { ...big.headers, ...auth },
      payload: big.payload,
    });
    expect(r3.statusCode).toBe(413);
    expect(r3.json().error.code).toBe('photo_too_large');
  });

  it('a missed check is one urgent notice to the unit’s duty, acknowledged; once per interval, no burst', async () => {
    // the last check was 10 minutes into the clock; its interval is 2 h
    t.clock.advance(119 * 60_000);
    await sweep();
    expect(await notes('hazard_source.missed')).toEqual([]);
    t.clock.advance(2 * 60_000);
    await sweep();
    await sweep();
    const first = await notes('hazard_source.missed');
    expect(first.length).toBeGreaterThan(0);
    // 城关街道 has no duty roster: every person of its 党政办 is told
    expect(new Set(first.map((n) => n.username))).toEqual(
      new Set(['cgz_xxy', 'cgz_xxy2', 'cgz_fgld', 'cgz_zyfzr']),
    );
    expect(first.every((n) => n.urgent)).toBe(true);
    expect(first[0].title).toContain('城关加气站储气罐区');
    const s = await t.call('dc_xxk', 'GET', `/api/resources/hazard-sources/${sid}`);
    expect(s.body.watch).toBe('missed');
    expect(s.body.missedCount).toBe(1);
    // acknowledged through the notification core
    const mine = first.find((n) => n.username === 'cgz_xxy')!;
    const ack = await t.call('cgz_xxy', 'POST', `/api/notifications/${mine.id}/ack`, {
      note: '已安排人员巡查',
    });
    expect(ack.status).toBe(200);
    // the server is down for ten intervals: one more notice, not ten
    t.clock.advance(20 * 3600_000);
    await sweep();
    await sweep();
    const after = await notes('hazard_source.missed');
    expect(after.length).toBe(first.length * 2);
    // a check clears the miss and stops the clock until the next interval
    const c = await t.call('cgz_xxy', 'POST', `/api/resources/hazard-sources/${sid}/checks`, {});
    expect(c.body.watch).toBe('ok');
    t.clock.advance(60 * 60_000);
    await sweep();
    expect((await notes('hazard_source.missed')).length).toBe(after.length);
    const log = await t.tdb.pool.query(
      `select count(*)::int as n from audit_log where stream = $1 and action = 'hazard_source_check_missed'`,
      [`hazard_source:${sid}`],
    );
    expect(log.rows[0].n).toBe(2);
  });

  it('a monitoring system posts readings with its bearer token; bad values are refused; an alarm is urgent', async () => {
    const mk = await t.call('admin', 'POST', '/api/users', {
      username: 'cgz_monitor',
      password: DEMO_PASSWORD,
      name: '加气站监测系统',
      unitId: await t.unitId('城关街道党政办'),
      roles: ['reporter'],
    });
    expect(mk.status).toBe(201);
    const url = `/api/resources/hazard-sources/${sid}/readings`;
    const r = await t.call('cgz_monitor', 'POST', url, { metric: '储罐压力', value: 0.62, unit: 'MPa' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ metric: '储罐压力', value: 0.62, unit: 'MPa', alarm: false });
    for (const bad of [
      { metric: '压力', value: '0.6' },
      { metric: '', value: 1 },
      { value: 1 },
      { metric: 'x', value: 1, at: 'yesterday' },
    ]) {
      const b = await t.call('cgz_monitor', 'POST', url, bad);
      expect(b.status, JSON.stringify(bad)).toBe(400);
      expect(b.body.error.code).toBe('validation');
    }
    const future = await t.call('cgz_monitor', 'POST', url, {
      metric: '压力',
      value: 1,
      at: new Date(t.clock.now().getTime() + 3600_000).toISOString(),
    });
    expect(future.status).toBe(400);
    expect((await t.call('hsz_xxy', 'POST', url, { metric: 'x', value: 1 })).status).toBe(404);
    const alarm = await t.call('cgz_monitor', 'POST', url, {
      metric: '可燃气体浓度',
      value: 25,
      unit: '%LEL',
      alarm: true,
    });
    expect(alarm.status).toBe(201);
    const n = await notes('hazard_source.alarm');
    expect(n.length).toBeGreaterThan(0);
    expect(n.every((x) => x.urgent)).toBe(true);
    const d = await t.call('dc_xxk', 'GET', `/api/resources/hazard-sources/${sid}`);
    expect(d.body.readings.map((x: any) => x.metric)).toEqual(
      expect.arrayContaining(['储罐压力', '可燃气体浓度']),
    );
  });
});

describe('安委办 (an area setting)', () => {
  it('an administrator names the unit; it issues the 督办 task of a major hazard; others are refused', async () => {
    const list = await t.call('admin', 'GET', '/api/inspections/safety-offices');
    const dc = list.body.items.find((x: any) => x.areaId === u['东城区']);
    expect(dc).toMatchObject({ unitId: null, defaultUnitName: '东城区政府办公室', can: { set: true } });
    const path = `/api/inspections/safety-offices/${u['东城区']}`;
    expect((await t.call('dc_xxk', 'PUT', path, { unitId: u['东城区应急管理局（应急办）'] })).status).toBe(
      403,
    );
    const outside = await t.call('admin', 'PUT', path, { unitId: u['河西镇'] });
    expect(outside.status).toBe(422);
    expect(outside.body.error.code).toBe('safety_office_outside_area');
    const r = await t.call('admin', 'PUT', path, { unitId: u['东城区应急管理局（应急办）'] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      unitId: u['东城区应急管理局（应急办）'],
      unitName: '东城区应急管理局（应急办）',
    });
    const log = await t.tdb.pool.query(
      `select data from audit_log where stream = $1 and action = 'safety_office_set'`,
      [`unit:${u['东城区']}`],
    );
    expect(log.rows).toHaveLength(1);
    const h = await t.call('dc_xxk', 'POST', '/api/inspections/hazards', {
      place: '城关加油站',
      sector: '危险化学品',
      severity: 'major',
      description: '卸油区静电接地失效',
      responsibleUnitId: u['城关街道'],
      rectifyBy: new Date(t.clock.now().getTime() + 5 * 86400_000).toISOString(),
    });
    expect(h.status).toBe(201);
    const task = await t.tdb.pool.query(
      `select issuer_unit_id from tasks where source = 'hazard' and source_id = $1`,
      [h.body.id],
    );
    expect(task.rows[0].issuer_unit_id).toBe(u['东城区应急管理局（应急办）']);
    // the hazard's page links its 督办 task; verified closed, the task is done with it
    expect(h.body.supervisedTask).toMatchObject({ status: 'open' });
    const taskPage = await t.call('cgz_xxy', 'GET', `/api/tasks/${h.body.supervisedTask.id}`);
    expect(taskPage.body.sourceLink).toBe(`/inspections/hazards/${h.body.id}`);
    const rep = await t.call('cgz_xxy', 'POST', `/api/inspections/hazards/${h.body.id}/rectification`, {
      text: '已修复接地装置',
    });
    expect(rep.status).toBe(200);
    expect(rep.body.supervisedTask.status).toBe('open');
    const ok = await t.call('dc_xxk', 'POST', `/api/inspections/hazards/${h.body.id}/verify`, {
      accepted: true,
    });
    expect(ok.body.status).toBe('closed');
    expect(ok.body.supervisedTask.status).toBe('done');
  });
});
