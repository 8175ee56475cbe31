import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../../../tests/helpers/app.js';

let t: TestApp;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  const users = await t.tdb.pool.query('select id, username from users');
  for (const u of users.rows) ids[u.username] = u.id;
});
afterAll(async () => t?.close());

async function sentPiece(title: string, body: string) {
  const d = await t.call('cgz_xxy', 'POST', '/api/affairs/pieces', { title, kind: 'experience', body });
  expect(d.status, JSON.stringify(d.body)).toBe(201);
  await t.call('cgz_xxy', 'POST', `/api/affairs/pieces/${d.body.id}/submit`);
  const a = await t.call('cgz_fgld', 'POST', `/api/affairs/pieces/${d.body.id}/approve`);
  expect(a.body.status).toBe('sent');
  return a.body.id as string;
}

describe('key liaison units (重点联系单位)', () => {
  it('the section sets a yearly quota; progress counts the pieces first sent that year; outside the area is 422', async () => {
    const units = await t.tdb.pool.query(
      `select id, name from units where name in ('东城区公安分局', '河西镇')`,
    );
    const id = (n: string) => units.rows.find((r) => r.name === n).id;
    const r = await t.call('dc_xxk', 'POST', '/api/affairs/liaison-units', {
      unitId: id('东城区公安分局'),
      quota: 12,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.items).toMatchObject([{ unitName: '东城区公安分局', quota: 12, sent: 0, progress: 0 }]);
    const d = await t.call('dc_ga_xxy', 'POST', '/api/affairs/pieces', {
      title: 'x',
      kind: 'dynamic',
      body: '<p>x</p>',
    });
    await t.call('dc_ga_xxy', 'POST', `/api/affairs/pieces/${d.body.id}/submit`);
    await t.call('dc_ga_ld', 'POST', `/api/affairs/pieces/${d.body.id}/approve`);
    const got = await t.call('dc_xxk', 'GET', '/api/affairs/liaison-units');
    expect(got.body.items[0]).toMatchObject({ sent: 1, progress: 0.083 });
    expect(
      (await t.call('dc_xxk', 'POST', '/api/affairs/liaison-units', { unitId: id('河西镇'), quota: 3 }))
        .status,
    ).toBe(422);
    expect(
      (
        await t.call('cgz_xxy', 'POST', '/api/affairs/liaison-units', {
          unitId: id('东城区公安分局'),
          quota: 3,
        })
      ).status,
    ).toBe(403);
  });
});

describe('information staff development (信息队伍建设)', () => {
  it('the section records an officer’s training; units without any this year are listed; another county is 404', async () => {
    const r = await t.call('dc_xxk', 'POST', '/api/affairs/trainings', {
      userId: ids.cgz_xxy,
      kind: 'shadowing',
      date: '2026-11-10',
      hours: 40,
      organiser: '东城区委办公室',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.items).toMatchObject([
      { name: '李晓梅', unitName: '城关街道', kind: 'shadowing', hours: 40 },
    ]);
    const names = r.body.untrainedUnits.map((u: any) => u.unitName);
    expect(names).toContain('东湖街道');
    expect(names).not.toContain('城关街道');
    expect(
      (
        await t.call('dc_xxk', 'POST', '/api/affairs/trainings', {
          userId: ids.hsz_xxy,
          kind: 'rotation',
          date: '2026-11-10',
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await t.call('cgz_xxy', 'POST', '/api/affairs/trainings', {
          userId: ids.cgz_xxy,
          kind: 'rotation',
          date: '2026-11-10',
        })
      ).status,
    ).toBe(403);
  });
});

describe('publications (刊物) and their issues', () => {
  let daily: string;
  let first: string;
  let second: string;
  it('an editor of an area office creates a publication; a township or a reporter cannot', async () => {
    const r = await t.call('dc_xxk', 'POST', '/api/affairs/publications', {
      name: '东城信息',
      kind: 'daily',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: '东城信息', kind: 'daily', can: { compose: true } });
    daily = r.body.id;
    expect(
      (await t.call('cgz_xxy', 'POST', '/api/affairs/publications', { name: 'x', kind: 'daily' })).status,
    ).toBe(403);
  });

  it('composing an issue numbers it per year and adopts its pieces (own_daily, +3) in the same step', async () => {
    first = await sentPiece(
      '城关街道老旧小区改造见成效',
      '<h2>一、主要做法</h2><p>摸底排查全覆盖。</p><ol><li>建立台账</li><li>分类施策</li></ol><table><tr><th>项目</th><th>户数</th></tr><tr><td>改造</td><td>120</td></tr></table>',
    );
    second = await sentPiece('城关街道推行“街巷长制”', '<p>街巷长每日巡查。</p>');
    const r = await t.call('dc_xxk', 'POST', `/api/affairs/publications/${daily}/issues`, {
      pieceIds: [first, second],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ year: 2026, number: 1, totalNumber: 1, label: '2026年第1期（总第1期）' });
    expect(r.body.pieces.map((p: any) => p.id)).toEqual([first, second]);
    const p = await t.call('cgz_xxy', 'GET', `/api/affairs/pieces/${first}`);
    expect(p.body.adoptions).toMatchObject([{ where: 'own_daily', points: 3, issueId: r.body.id }]);
    // a piece the office may not adopt (never sent to it) is refused and nothing is numbered
    const hx = await t.call('hsz_xxy', 'POST', '/api/affairs/pieces', {
      title: 'x',
      kind: 'dynamic',
      body: '<p>x</p>',
    });
    const bad = await t.call('dc_xxk', 'POST', `/api/affairs/publications/${daily}/issues`, {
      pieceIds: [hx.body.id],
    });
    expect(bad.status).toBe(422);
    const w = await t.call('dc_xxk', 'POST', `/api/affairs/issues/${r.body.id}/withdraw`);
    expect(w.body.status).toBe('withdrawn');
    const next = await t.call('dc_xxk', 'POST', `/api/affairs/publications/${daily}/issues`, {
      pieceIds: [second],
    });
    expect(next.body).toMatchObject({ number: 2, totalNumber: 2 });
    // a new Beijing year starts again at 1, the total goes on
    // (a fresh sign-in: the clock moves past the life of the cached session)
    t.clock.set('2026-12-31T16:30:00Z');
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'dc_xxk', password: DEMO_PASSWORD },
    });
    const ny = await t.call(
      null,
      'POST',
      `/api/affairs/publications/${daily}/issues`,
      { pieceIds: [first] },
      { authorization: `Bearer ${login.json().token}` },
    );
    expect(ny.body).toMatchObject({ year: 2027, number: 1, totalNumber: 3 });
    t.clock.set('2026-11-23T02:00:00Z');
    const list = await t.call('cgz_xxy', 'GET', `/api/affairs/publications/${daily}/issues`);
    expect(list.body.items.map((i: any) => i.label)).toEqual([
      '2027年第1期（总第3期）',
      '2026年第2期（总第2期）',
      '2026年第1期（总第1期）',
    ]);
  });

  it('the issue is a Word file: red masthead, issue line, 仿宋 at 16 pt, pieces in order, tables kept', async () => {
    const issues = await t.call('dc_xxk', 'GET', `/api/affairs/publications/${daily}/issues`);
    const firstIssue = issues.body.items.find((i: any) => i.label === '2026年第1期（总第1期）');
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/affairs/issues/${firstIssue.id}/docx`,
      headers: { authorization: `Bearer ${await t.token('cgz_xxy')}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('wordprocessingml');
    const xml = await (await JSZip.loadAsync(res.rawPayload)).file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    expect(xml).toMatch(/<w:color w:val="E60012"\/>[\s\S]*?东城信息/);
    expect(text).toContain('2026年第1期（总第1期）');
    expect(text).toContain('东城区委办公室');
    expect(text).toContain('2026年11月23日');
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    expect(xml).toMatch(/<w:sz w:val="32"\/>/);
    expect(text.indexOf('城关街道老旧小区改造见成效')).toBeLessThan(text.indexOf('城关街道推行“街巷长制”'));
    expect(text).toContain('1. 建立台账');
    expect(xml).toContain('<w:tbl>');
    expect(text).toMatch(/改造\s*120/);
  });

  it('a special report is read only by the leaders on its distribution list', async () => {
    const r = await t.call('dc_xxk', 'POST', '/api/affairs/publications', {
      name: '东城专报',
      kind: 'special',
      distribution: [ids.dc_ld],
    });
    expect(r.status).toBe(201);
    const piece = await sentPiece('专报件', '<p>内容</p>');
    const issue = await t.call('dc_xxk', 'POST', `/api/affairs/publications/${r.body.id}/issues`, {
      pieceIds: [piece],
    });
    expect(issue.status).toBe(201);
    expect((await t.call('dc_ld', 'GET', `/api/affairs/issues/${issue.body.id}`)).status).toBe(200);
    // circulated to the leader, who confirms reading it; the section sees the receipt
    const note = await t.tdb.pool.query(
      `select count(*)::int n from notifications
       where kind = 'affairs.issue_circulated' and user_id = $1 and data->>'issueId' = $2`,
      [ids.dc_ld, issue.body.id],
    );
    expect(note.rows[0].n).toBe(1);
    expect((await t.call('dc_ld', 'POST', `/api/affairs/issues/${issue.body.id}/read`)).status).toBe(200);
    expect((await t.call('dc_ld', 'POST', `/api/affairs/issues/${issue.body.id}/read`)).status).toBe(200);
    const seen = await t.call('dc_xxk', 'GET', `/api/affairs/issues/${issue.body.id}`);
    expect(seen.body.reads).toMatchObject([{ userId: ids.dc_ld, name: '林书记' }]);
    expect((await t.call('dc_zyfzr', 'POST', `/api/affairs/issues/${issue.body.id}/read`)).status).toBe(404);
    for (const who of ['dc_zyfzr', 'sz_ld', 'cgz_xxy']) {
      expect((await t.call(who, 'GET', `/api/affairs/issues/${issue.body.id}`)).status, who).toBe(404);
      const docx = await t.app.inject({
        method: 'GET',
        url: `/api/affairs/issues/${issue.body.id}/docx`,
        headers: { authorization: `Bearer ${await t.token(who)}` },
      });
      expect(docx.statusCode, who).toBe(404);
    }
  });
});
