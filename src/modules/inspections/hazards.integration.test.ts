import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';
import { sweepAll as sweepWith } from '../../floor/timers.js';
import { TIMERS } from '../../server/modules.js';

let t: TestApp;
let units: Record<string, string>;
const DAY = 24 * 3600_000;
const sweep = () => sweepWith({ db: t.tdb.db, clock: t.clock, timers: TIMERS });
const at = (ms: number) => new Date(t.clock.now().getTime() + ms).toISOString();
// the smallest valid PNG (1×1)
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

async function notes(username: string, kind: string): Promise<string[]> {
  const r = await t.tdb.pool.query(
    `select n.title from notifications n join users u on u.id = n.user_id where u.username = $1 and n.kind = $2 order by n.created_at`,
    [username, kind],
  );
  return r.rows.map((x) => x.title);
}

/** A request with a fresh sign-in (the manual clock moves days ahead: cached sessions expire). */
async function fresh(username: string, method: 'GET' | 'POST', url: string, body?: unknown) {
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: 'Jibao@2026' },
  });
  const r = await t.app.inject({
    method,
    url,
    payload: body as any,
    headers: { authorization: `Bearer ${login.json().token}` },
  });
  return { status: r.statusCode, body: r.json() };
}

function multipart(name: string, bytes: Buffer, type = 'image/jpeg') {
  const boundary = '----jibaoinsp';
  return {
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

beforeAll(async () => {
  t = await createTestApp();
  units = {};
  for (const n of [
    '东城区',
    '城关街道',
    '东湖街道',
    '河西镇',
    '东城区公安分局',
    '东城区应急管理局安全生产科',
  ])
    units[n] = await t.unitId(n);
});
afterAll(async () => t?.close());

let campaignId: string;
const campaign = () => ({
  title: '安全生产“大检查、大整顿”专项行动',
  from: '2026-11-01',
  to: '2026-12-31',
  sectors: [
    { sector: '道路交通', leadUnitId: units['东城区公安分局'] },
    { sector: '消防', leadUnitId: units['东城区应急管理局安全生产科'] },
  ],
  unitIds: [units['城关街道'], units['东湖街道']],
});

describe('campaigns (检查活动)', () => {
  it('an editor of the county office creates a campaign with sectors, lead departments and units', async () => {
    const r = await t.call('dc_xxk', 'POST', '/api/inspections/campaigns', campaign());
    expect(r.status).toBe(201);
    expect(r.body.areaName).toBe('东城区');
    expect(r.body.sectors.map((s: any) => s.leadUnitName)).toEqual([
      '东城区公安分局',
      '东城区应急管理局安全生产科',
    ]);
    expect(r.body.board.byUnit.map((u: any) => u.unitName)).toEqual(
      expect.arrayContaining(['城关街道', '东湖街道']),
    );
    campaignId = r.body.id;
  });

  it('is refused without sign-in, to a township reporter and a duty officer, and with bad input', async () => {
    expect((await t.call(null, 'POST', '/api/inspections/campaigns', campaign())).status).toBe(401);
    expect((await t.call('cgz_xxy', 'POST', '/api/inspections/campaigns', campaign())).status).toBe(403);
    expect((await t.call('dc_zby', 'POST', '/api/inspections/campaigns', campaign())).status).toBe(403);
    const backwards = await t.call('dc_xxk', 'POST', '/api/inspections/campaigns', {
      ...campaign(),
      to: '2026-10-01',
    });
    expect(backwards.status).toBe(422);
    const foreign = await t.call('dc_xxk', 'POST', '/api/inspections/campaigns', {
      ...campaign(),
      unitIds: [units['河西镇']],
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.message).toContain('河西镇');
    const blank = await t.call('dc_xxk', 'POST', '/api/inspections/campaigns', {
      ...campaign(),
      title: '  ',
    });
    expect(blank.status).toBe(400);
    const list = await t.call('dc_xxk', 'GET', '/api/inspections/campaigns');
    expect(list.body.items).toHaveLength(1);
  });

  it('a participating township sees it; a township of another county does not', async () => {
    expect((await t.call('cgz_xxy', 'GET', `/api/inspections/campaigns/${campaignId}`)).status).toBe(200);
    expect((await t.call('hsz_xxy', 'GET', `/api/inspections/campaigns/${campaignId}`)).status).toBe(404);
    const v = await t.call('hsz_xxy', 'POST', '/api/inspections/visits', {
      campaignId,
      place: '河西镇加油站',
      sector: '消防',
    });
    expect(v.status).toBe(404);
  });

  it('every visit counts as a place inspected, with or without findings', async () => {
    const v = await t.call('cgz_xxy', 'POST', '/api/inspections/visits', {
      campaignId,
      place: '城关农贸市场',
      sector: '消防',
    });
    expect(v.status).toBe(201);
    const wrongSector = await t.call('cgz_xxy', 'POST', '/api/inspections/visits', {
      campaignId,
      place: '城关农贸市场',
      sector: '非煤矿山',
    });
    expect(wrongSector.status).toBe(422);
    const d = await t.call('cgz_xxy', 'GET', `/api/inspections/campaigns/${campaignId}`);
    const fire = d.body.board.bySector.find((s: any) => s.sector === '消防');
    expect(fire.placesInspected).toBe(1);
    const cg = d.body.board.byUnit.find((u: any) => u.unitName === '城关街道');
    expect(cg.placesInspected).toBe(1);
  });
});

describe('hazards (隐患): record, rectify, verify', () => {
  let hid: string;
  it('the county office records a major hazard for a township; a repeat with the same key is one hazard', async () => {
    const body = {
      campaignId,
      place: '城关街道幸福路与人民路交叉口',
      sector: '道路交通',
      severity: 'major',
      description: '信号灯损坏，夜间无照明',
      responsibleUnitId: units['城关街道'],
      rectifyBy: at(10 * DAY),
      measures: ['suspend'],
      enforcement: { unitIds: [units['东城区公安分局']], penalty: '罚款 2 万元' },
    };
    const h = { 'idempotency-key': 'hz-1' };
    const a = await t.call('dc_xxk', 'POST', '/api/inspections/hazards', body, h);
    const b = await t.call('dc_xxk', 'POST', '/api/inspections/hazards', body, h);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(a.body).toMatchObject({
      status: 'open',
      overdue: false,
      leadUnitName: '东城区公安分局',
      recordingUnitName: '东城区',
      responsibleUnitName: '城关街道',
    });
    expect(a.body.can).toEqual({ rectify: false, verify: true, addPhoto: true });
    expect(a.body).toMatchObject({
      measures: ['suspend'],
      suspended: true,
      enforcement: { units: [{ unitName: '东城区公安分局' }], penalty: '罚款 2 万元' },
    });
    hid = a.body.id;
    const n = await t.tdb.pool.query('select count(*)::int as n from hazards');
    expect(n.rows[0].n).toBe(1);
    // a major hazard is supervised (督办) at once: one task, owned by the responsible unit, due at the deadline,
    // issued by the county (its offices act as the safety committee office when none is set)
    const tasks = await t.call('cgz_xxy', 'GET', `/api/tasks?ownerUnitId=${units['城关街道']}`);
    const mine = tasks.body.items.filter((x: any) => x.source === 'hazard' && x.sourceId === hid);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      status: 'open',
      ownerUnitId: units['城关街道'],
      issuerUnitId: units['东城区'],
    });
    expect(new Date(mine[0].dueAt).getTime()).toBe(new Date(body.rectifyBy).getTime());
    // the place counts as inspected
    const d = await t.call('dc_xxk', 'GET', `/api/inspections/campaigns/${campaignId}`);
    expect(d.body.board.bySector.find((s: any) => s.sector === '道路交通')).toMatchObject({
      placesInspected: 1,
      hazardsFound: 1,
    });
  });

  it('bad input changes nothing: unknown unit, a deadline before finding, a future finding time', async () => {
    const base = {
      place: '某处',
      sector: '消防',
      severity: 'general',
      description: '灭火器过期',
      responsibleUnitId: units['城关街道'],
      rectifyBy: at(DAY),
    };
    expect(
      (await t.call('dc_xxk', 'POST', '/api/inspections/hazards', { ...base, severity: 'huge' })).status,
    ).toBe(400);
    const early = await t.call('dc_xxk', 'POST', '/api/inspections/hazards', {
      ...base,
      foundAt: at(-DAY),
      rectifyBy: at(-2 * DAY),
    });
    expect(early.status).toBe(400);
    const future = await t.call('dc_xxk', 'POST', '/api/inspections/hazards', { ...base, foundAt: at(DAY) });
    expect(future.status).toBe(400);
    const unknown = await t.call('dc_xxk', 'POST', '/api/inspections/hazards', {
      ...base,
      responsibleUnitId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.status).toBe(422);
    const n = await t.tdb.pool.query('select count(*)::int as n from hazards');
    expect(n.rows[0].n).toBe(1);
  });

  it('a township cannot record a hazard for a unit outside its subtree; another county cannot see it', async () => {
    const r = await t.call('cgz_xxy', 'POST', '/api/inspections/hazards', {
      place: '东湖码头',
      sector: '水上交通',
      severity: 'general',
      description: '救生衣不足',
      responsibleUnitId: units['东湖街道'],
      rectifyBy: at(DAY),
    });
    expect(r.status).toBe(403);
    expect((await t.call('hsz_xxy', 'GET', `/api/inspections/hazards/${hid}`)).status).toBe(404);
    expect((await t.call('hsz_xxy', 'GET', '/api/inspections/hazards')).body.items).toHaveLength(0);
    expect((await t.call(null, 'GET', '/api/inspections/hazards')).status).toBe(401);
  });

  it('photos are checked from their bytes and served with safe headers', async () => {
    const bad = multipart('x.jpg', Buffer.from('<script>alert(1)</script>'));
    const r1 = await t.app.inject({
      method: 'POST',
      url: `/api/inspections/hazards/${hid}/photos`,
      headers: { ...bad.headers, authorization: `Bearer ${await t.token('dc_xxk')}` },
      payload: bad.payload,
    });
    expect(r1.statusCode).toBe(422);
    const ok = multipart('现场.jpg', PNG);
    const r2 = await t.app.inject({
      method: 'POST',
      url: `/api/inspections/hazards/${hid}/photos`,
      headers: { ...ok.headers, authorization: `Bearer ${await t.token('dc_xxk')}` },
      payload: ok.payload,
    });
    expect(r2.statusCode).toBe(201);
    const photo = r2.json().photos[0];
    expect(photo.mime).toBe('image/png');
    const g = await t.app.inject({
      method: 'GET',
      url: `/api/inspections/photos/${photo.id}`,
      headers: { authorization: `Bearer ${await t.token('cgz_xxy')}` },
    });
    expect(g.statusCode).toBe(200);
    expect(g.headers['content-type']).toBe('image/png');
    expect(g.headers['x-content-type-options']).toBe('nosniff');
    const sib = await t.app.inject({
      method: 'GET',
      url: `/api/inspections/photos/${photo.id}`,
      headers: { authorization: `Bearer ${await t.token('hsz_xxy')}` },
    });
    expect(sib.statusCode).toBe(404);
  });

  it('only the responsible unit reports the rectification; a report in the future is refused', async () => {
    expect(
      (await t.call('dc_xxk', 'POST', `/api/inspections/hazards/${hid}/rectification`, { text: '已修复' }))
        .status,
    ).toBe(403);
    const future = await t.call('cgz_xxy', 'POST', `/api/inspections/hazards/${hid}/rectification`, {
      text: '已修复',
      at: at(DAY),
    });
    expect(future.status).toBe(400);
    const verifyEarly = await t.call('dc_xxk', 'POST', `/api/inspections/hazards/${hid}/verify`, {
      accepted: true,
    });
    expect(verifyEarly.status).toBe(409);
    const r = await t.call('cgz_xxy', 'POST', `/api/inspections/hazards/${hid}/rectification`, {
      text: '已更换信号灯并加装路灯',
    });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('reported');
    expect(r.body.can.verify).toBe(false);
    const again = await t.call('cgz_xxy', 'POST', `/api/inspections/hazards/${hid}/rectification`, {
      text: '再报',
    });
    expect(again.status).toBe(409);
  });

  it('the responsible unit can never verify its own rectification (403)', async () => {
    const r = await t.call('cgz_zyfzr', 'POST', `/api/inspections/hazards/${hid}/verify`, { accepted: true });
    expect(r.status).toBe(403);
    const h = await t.call('cgz_xxy', 'GET', `/api/inspections/hazards/${hid}`);
    expect(h.body.status).toBe('reported');
  });

  it('a send-back needs a note, may move the deadline and keeps the first one for statistics', async () => {
    const first = (await t.call('dc_xxk', 'GET', `/api/inspections/hazards/${hid}`)).body.rectifyBy;
    const noNote = await t.call('dc_xxk', 'POST', `/api/inspections/hazards/${hid}/verify`, {
      accepted: false,
    });
    expect(noNote.status).toBe(400);
    expect(noNote.body.error.message).toContain('退回');
    const newBy = at(20 * DAY);
    const back = await t.call('dc_ga_xxy', 'POST', `/api/inspections/hazards/${hid}/verify`, {
      accepted: false,
      note: '路灯仍未通电',
      rectifyBy: newBy,
    });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({
      status: 'open',
      verifyNote: '路灯仍未通电',
      sentBackCount: 1,
      firstRectifyBy: first,
    });
    expect(new Date(back.body.rectifyBy).toISOString()).toBe(newBy);
    const re = await t.call('cgz_xxy', 'POST', `/api/inspections/hazards/${hid}/rectification`, {
      text: '已通电',
    });
    expect(re.body.status).toBe('reported');
    const done = await t.call('dc_xxk', 'POST', `/api/inspections/hazards/${hid}/verify`, { accepted: true });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('closed');
    expect(done.body.closedAt).toBeTruthy();
    // 停产整顿 ends with the verified closure
    expect(done.body.suspended).toBe(false);
    const d = await t.call('dc_xxk', 'GET', `/api/inspections/campaigns/${campaignId}`);
    expect(d.body.board.bySector.find((s: any) => s.sector === '道路交通')).toMatchObject({
      closed: 1,
      rectifiedOnTime: 1,
    });
  });

  it('a hazard entered after its deadline is overdue and listed by status=overdue', async () => {
    const r = await t.call('dc_xxk', 'POST', '/api/inspections/hazards', {
      place: '东湖街道燃气站',
      sector: '燃气',
      severity: 'general',
      description: '管道锈蚀（纸质记录补录）',
      responsibleUnitId: units['东湖街道'],
      foundAt: at(-20 * DAY),
      rectifyBy: at(-5 * DAY),
    });
    expect(r.status).toBe(201);
    expect(r.body.overdue).toBe(true);
    const list = await t.call('dc_xxk', 'GET', '/api/inspections/hazards?status=overdue');
    expect(list.body.items.map((h: any) => h.id)).toEqual([r.body.id]);
    const open = await t.call('dc_xxk', 'GET', `/api/inspections/hazards?status=closed`);
    expect(open.body.items.every((h: any) => h.status === 'closed')).toBe(true);
    // one escalation now, not the 50 %, 80 % and deadline steps all at once
    const timers = await t.tdb.pool.query(
      `select kind from timers where ref_id = $1 and fired_at is null and cancelled_at is null`,
      [r.body.id],
    );
    expect(timers.rows.map((x) => x.kind)).toEqual(['hazard.overdue']);
    const before = (await notes('dc_xxk', 'hazard.overdue')).length;
    await sweep();
    await sweep();
    expect((await notes('dc_xxk', 'hazard.overdue')).length).toBe(before + 1);
  });

  it('statistics: by sector and severity, on-time rate per responsible unit', async () => {
    const s = await t.call('dc_xxk', 'GET', '/api/inspections/stats');
    expect(s.status).toBe(200);
    expect(s.body.bySector).toEqual(
      expect.arrayContaining([
        { sector: '道路交通', general: 0, major: 1 },
        { sector: '燃气', general: 1, major: 0 },
      ]),
    );
    const cg = s.body.byUnit.find((u: any) => u.unitName === '城关街道');
    expect(cg).toMatchObject({ due: 1, onTime: 1, onTimeRate: 1 });
    expect(s.body.yoy.total).toMatchObject({ current: 2, previous: 0, change: 2, direction: 'up' });
    expect(s.body.yoy.major).toMatchObject({ current: 1, previous: 0 });
    const x = await t.app.inject({
      method: 'GET',
      url: '/api/inspections/hazards/export?status=overdue',
      headers: { authorization: `Bearer ${await t.token('dc_xxk')}` },
    });
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as any);
    const ws = wb.getWorksheet('隐患台账')!;
    expect(ws.getRow(1).getCell(1).value).toBe('隐患地点');
    expect(ws.rowCount).toBe(2);
    expect(ws.getRow(2).getCell(1).value).toBe('东湖街道燃气站');
    const dh = s.body.byUnit.find((u: any) => u.unitName === '东湖街道');
    expect(dh).toMatchObject({ due: 1, onTime: 0, overdue: 1, onTimeRate: 0 });
  });
});

describe('the rectification clock (manual clock, durable timers)', () => {
  it('reminds at 50 % and 80 %, escalates at the deadline, each exactly once; a reported one goes to the verifier', async () => {
    const r = await t.call('dc_xxk', 'POST', '/api/inspections/hazards', {
      place: '城关中学食堂',
      sector: '消防',
      severity: 'general',
      description: '消防通道堵塞',
      responsibleUnitId: units['城关街道'],
      rectifyBy: at(10 * DAY),
    });
    expect(r.status).toBe(201);
    const id = r.body.id;
    const count = async (u: string, k: string) =>
      (await notes(u, k)).filter((x) => x.includes('城关中学食堂')).length;
    t.clock.advance(5 * DAY + 60_000);
    await sweep();
    expect(await count('cgz_xxy', 'hazard.reminder')).toBe(1);
    await sweep();
    expect(await count('cgz_xxy', 'hazard.reminder')).toBe(1);
    t.clock.advance(3 * DAY);
    await sweep();
    expect(await count('cgz_xxy', 'hazard.reminder')).toBe(2);
    t.clock.advance(2 * DAY);
    await sweep();
    await sweep();
    expect(await count('cgz_zyfzr', 'hazard.overdue')).toBe(1);
    expect(await count('dc_xxk', 'hazard.overdue')).toBe(1);
    expect(await count('cgz_xxy', 'hazard.overdue')).toBe(0);
    expect((await fresh('cgz_xxy', 'GET', `/api/inspections/hazards/${id}`)).body.overdue).toBe(true);
    // reported late: the verifier is reminded after three days, not the responsible unit
    expect(
      (await fresh('cgz_xxy', 'POST', `/api/inspections/hazards/${id}/rectification`, { text: '已清理' }))
        .status,
    ).toBe(200);
    t.clock.advance(3 * DAY + 60_000);
    await sweep();
    await sweep();
    expect(await count('dc_xxk', 'hazard.verify_due')).toBe(1);
    expect(await count('cgz_xxy', 'hazard.verify_due')).toBe(0);
    const fired = await t.tdb.pool.query(
      `select kind, count(*)::int as n from timers where ref_id = $1 and fired_at is not null group by kind order by kind`,
      [id],
    );
    expect(fired.rows).toEqual([
      { kind: 'hazard.overdue', n: 1 },
      { kind: 'hazard.remind50', n: 1 },
      { kind: 'hazard.remind80', n: 1 },
      { kind: 'hazard.verify', n: 1 },
    ]);
  });
});
