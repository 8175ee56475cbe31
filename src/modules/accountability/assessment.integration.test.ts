import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';

let t: TestApp;
let town: string;
let hedong: string;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
  town = await t.unitId('城关街道');
  hedong = await t.unitId('东湖街道');
});
afterAll(async () => t?.close());

const ELEMENTS = (occurredAt: string) => ({
  occurredAt,
  place: '城关街道',
  cause: '追尾',
  scope: '一条车道',
  casualties: { dead: 0 },
  loss: '轻微',
  measures: '已处置',
  nextSteps: '恢复通行',
  contact: '13800000000',
});

/** A Ⅳ road accident in 城关街道, reported by the township `afterMinutes` after it happened. */
async function townReport(title: string, afterMinutes: number, over: Record<string, unknown> = {}) {
  const occurredAt = t.clock.now().toISOString();
  const ev = await t.call('cgz_xxy', 'POST', '/api/events', {
    title,
    categoryCode: '12H00',
    level: 'IV',
    occurredAt,
    place: { address: '城关街道' },
    ...over,
  });
  expect(ev.status).toBe(201);
  t.clock.advanceMinutes(afterMinutes);
  const rep = await t.call('cgz_xxy', 'POST', `/api/events/${ev.body.id}/reports`, {
    kind: 'initial',
    elements: ELEMENTS(occurredAt),
    fastTrack: true,
  });
  expect(rep.status).toBe(201);
  const sent = await t.call('cgz_xxy', 'POST', `/api/reports/${rep.body.id}/submit`);
  expect(sent.body.status).toBe('sent');
  return ev.body;
}

const dayStart = () => new Date(`${t.clock.now().toISOString().slice(0, 10)}T00:00:00+08:00`).toISOString();

describe('deductions and notices', () => {
  let first: any;
  let second: any;

  it('a late report deducts 0.5 in a numbered notice that lists the offence', async () => {
    const ev = await townReport('城关街道追尾事故', 70); // written limit 60 min → late by 10 min
    const n = await t.call('dc_xxk', 'POST', '/api/notices', {
      from: dayStart(),
      to: t.clock.now().toISOString(),
    });
    expect(n.status).toBe(201);
    first = n.body;
    expect(first.number).toBe('东城区委办〔2026〕1号');
    expect(first.title).toContain('紧急信息报送情况的通报');
    const mine = first.offences.filter((o: any) => o.unitId === town);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: 'late', eventId: ev.id, points: 0.5, repeat: 0, limitMinutes: 60 });
    expect(mine[0].text).toContain('城关街道');
    expect(mine[0].text).toContain('城关街道追尾事故');
    expect(mine[0].text).toContain('超时10分');
    const d = await t.call('dc_xxk', 'GET', `/api/deductions?noticeId=${first.id}`);
    expect(d.body.items.find((x: any) => x.unitId === town)).toMatchObject({ offence: 'late', points: 0.5 });
  });

  it('a second late report in the year deducts 1.0, and the first is not deducted again', async () => {
    t.clock.advanceMinutes(30);
    await townReport('城关街道第二起事故', 65);
    const n = await t.call('dc_xxk', 'POST', '/api/notices', {
      from: dayStart(),
      to: t.clock.now().toISOString(),
    });
    expect(n.status).toBe(201);
    second = n.body;
    expect(second.number).toBe('东城区委办〔2026〕2号');
    const mine = second.offences.filter((o: any) => o.unitId === town);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: 'late', points: 1, repeat: 1, eventTitle: '城关街道第二起事故' });
    expect(mine[0].text).toContain('加倍');
  });

  it('ranks units by the annual target score minus deductions', async () => {
    const r = await t.call('dc_ld', 'GET', '/api/rankings?year=2026');
    expect(r.status).toBe(200);
    expect(r.body.annualTarget).toBe(100);
    const row = r.body.items.find((i: any) => i.unitId === town);
    expect(row).toMatchObject({ deducted: 1.5, score: 98.5 });
    const clean = r.body.items.find((i: any) => i.unitId === hedong);
    expect(clean.score).toBe(100);
    expect(row.rank).toBeGreaterThan(clean.rank);
    // townships see no ranking of their superiors' subtree beyond their own
    const own = await t.call('cgz_xxy', 'GET', '/api/rankings?year=2026');
    expect(own.body.items.every((i: any) => i.unitId !== hedong)).toBe(true);
  });

  it('the notice downloads as a Word file with the number, title, offences and date', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/notices/${second.id}.docx`,
      headers: { authorization: `Bearer ${await t.token('dc_xxk')}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('wordprocessingml');
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const zip = await JSZip.loadAsync(res.rawPayload);
    const xml = await zip.file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).toContain('中共东城区委办公室文件');
    expect(text).toContain('东城区委办〔2026〕2号');
    expect(text).toContain(second.title);
    expect(text).toContain('城关街道第二起事故');
    expect(text).toContain('2026年11月23日');
    expect(xml).toContain('E60012'); // the red masthead and line
  });

  it('lists notices and shows one; a reporter may not issue one', async () => {
    const list = await t.call('dc_ld', 'GET', '/api/notices');
    expect(list.body.items.map((n: any) => n.number)).toEqual(
      expect.arrayContaining(['东城区委办〔2026〕1号', '东城区委办〔2026〕2号']),
    );
    const one = await t.call('dc_ld', 'GET', `/api/notices/${first.id}`);
    expect(one.body.offences.length).toBeGreaterThan(0);
    const refused = await t.call('cgz_xxy', 'POST', '/api/notices', {
      from: dayStart(),
      to: t.clock.now().toISOString(),
    });
    expect(refused.status).toBe(403);
    const bad = await t.call('dc_xxk', 'POST', '/api/notices', {
      from: t.clock.now().toISOString(),
      to: dayStart(),
    });
    expect(bad.status).toBe(400);
  });

  it('a finding of concealment is deducted once, by severity', async () => {
    const ev = await townReport('瞒报测试事件', 5, { level: 'III' });
    const f = await t.call('dc_xxk', 'POST', `/api/events/${ev.id}/findings`, {
      unitId: town,
      kind: 'concealed',
      reason: '隐瞒受伤人数',
    });
    expect(f.status).toBe(201);
    t.clock.advanceMinutes(1);
    const n = await t.call('dc_xxk', 'POST', '/api/notices', {
      from: dayStart(),
      to: t.clock.now().toISOString(),
    });
    const c = n.body.offences.find((o: any) => o.findingId === f.body.id);
    expect(c).toMatchObject({ kind: 'concealed', points: 3 });
    const again = await t.call('dc_xxk', 'POST', '/api/notices', {
      from: dayStart(),
      to: t.clock.now().toISOString(),
    });
    expect(again.body.offences.find((o: any) => o.findingId === f.body.id)).toBeUndefined();
  });

  it('numbering starts again at 1 in a new year', async () => {
    t.clock.set('2027-01-04T02:00:00Z');
    // sessions expire while the clock jumps: sign in again
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'dc_xxk', password: 'Jibao@2026' },
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/notices',
      headers: { authorization: `Bearer ${login.json().token}` },
      payload: { from: '2026-12-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().number).toBe('东城区委办〔2027〕1号');
    expect(res.json().periodText).toBe('2026年12月');
  });
});

describe('event statistics', () => {
  it('groups the subtree’s events by category, level, unit and month with the year-on-year sentence', async () => {
    const t2 = await createTestApp({ demo: true });
    try {
      const ev = (
        title: string,
        categoryCode: string,
        level: string | null,
        occurredAt: string,
        user = 'cgz_xxy',
      ) =>
        t2.call(user, 'POST', '/api/events', {
          title,
          categoryCode,
          level,
          occurredAt,
          place: { address: '东城区' },
          ...(level ? {} : { flags: { mayEscalate: true } }),
        });
      const now = t2.clock.now().toISOString();
      expect((await ev('火灾一', '12G00', 'IV', now)).status).toBe(201);
      expect((await ev('火灾二', '12G00', 'III', now)).status).toBe(201);
      expect((await ev('暴雨', '11B00', 'IV', now)).status).toBe(201);
      expect((await ev('治安案件', '14B00', null, now, 'dc_ga_xxy')).status).toBe(201);
      // a year earlier: 5 events in the same period
      for (let i = 0; i < 5; i++)
        expect((await ev(`去年事件${i}`, '12H00', 'IV', '2025-11-20T02:00:00Z')).status).toBe(201);
      const q = '?from=2026-01-01T00:00:00%2B08:00&to=2027-01-01T00:00:00%2B08:00';
      const byCat = await t2.call('dc_xxk', 'GET', `/api/stats/events${q}&groupBy=category`);
      expect(byCat.status).toBe(200);
      const cat = Object.fromEntries(byCat.body.items.map((i: any) => [i.key, i]));
      expect(cat['12000']).toMatchObject({ count: 2, previous: 5, label: '事故灾难' });
      expect(cat['11000'].count).toBe(1);
      expect(cat['14000'].count).toBe(1);
      expect(byCat.body.total).toBe(4);
      expect(byCat.body.summary).toBe('4 起，同比减少 1 起，下降 20.0%');
      const byLevel = await t2.call('dc_xxk', 'GET', `/api/stats/events${q}&groupBy=level`);
      const lv = Object.fromEntries(byLevel.body.items.map((i: any) => [i.key, i.count]));
      expect(lv).toMatchObject({ III: 1, IV: 2, none: 1 });
      const byUnit = await t2.call('dc_xxk', 'GET', `/api/stats/events${q}&groupBy=unit`);
      const police = await t2.unitId('东城区公安分局');
      const un = Object.fromEntries(byUnit.body.items.map((i: any) => [i.key, i.count]));
      expect(un[await t2.unitId('城关街道')]).toBe(3);
      expect(un[police]).toBe(1);
      const byMonth = await t2.call('dc_xxk', 'GET', `/api/stats/events${q}&groupBy=month`);
      expect(byMonth.body.items).toEqual([
        expect.objectContaining({ key: '2026-11', label: '2026年11月', count: 4, previous: 5 }),
      ]);
      const en = await t2.call('dc_xxk', 'GET', `/api/stats/events${q}`, undefined, {
        'accept-language': 'en',
      });
      expect(en.body.summary).toBe('4 events, 1 fewer than a year earlier (down 20.0%)');
      // the township sees only its own events
      const own = await t2.call('cgz_xxy', 'GET', `/api/stats/events${q}&groupBy=unit`);
      expect(own.body.total).toBe(3);

      const x = await t2.app.inject({
        method: 'GET',
        url: `/api/stats/events.xlsx${q}`,
        headers: { authorization: `Bearer ${await t2.token('dc_xxk')}` },
      });
      expect(x.statusCode).toBe(200);
      const ExcelJS = (await import('exceljs')).default;
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(x.rawPayload as any);
      const ws = wb.getWorksheet('按类别')!;
      expect(ws.getRow(1).values).toEqual(expect.arrayContaining(['类别', '事件数（起）', '去年同期（起）']));
      const tl = await t2.app.inject({
        method: 'GET',
        url: '/api/stats/timeliness.xlsx',
        headers: { authorization: `Bearer ${await t2.token('dc_xxk')}` },
      });
      expect(tl.statusCode).toBe(200);
      const wb2 = new ExcelJS.Workbook();
      await wb2.xlsx.load(tl.rawPayload as any);
      expect(wb2.getWorksheet('报送时效')!.getRow(1).values).toEqual(
        expect.arrayContaining(['单位', '按时报送率', '报送用时中位数']),
      );
    } finally {
      await t2.close();
    }
  });
});
