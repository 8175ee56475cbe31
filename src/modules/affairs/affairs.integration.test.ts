import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../../../tests/helpers/app.js';
import { sweepAll } from '../../floor/timers.js';
import { TIMERS } from '../../server/modules.js';

let t: TestApp;
const u: Record<string, string> = {};
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  for (const n of [
    '城关街道',
    '东湖街道',
    '河西镇',
    '东城区',
    '东城区委办公室',
    '东城区政府办公室',
    '城关街道党政办',
    '东城区公安分局',
    '示例市委办公室',
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
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  };
  await mk('af_cg_editor', '城关街道党政办', ['editor']); // a township's editor
  await mk('af_gov_editor', '东城区政府办公室', ['editor']); // the county government office's section
});
afterAll(async () => t?.close());

const sweep = () => sweepAll({ db: t.tdb.db, clock: t.clock, timers: TIMERS });
const count = async (q: string, params: unknown[] = []) =>
  (await t.tdb.pool.query(q, params)).rows[0].n as number;
const logs = (stream: string, action: string) =>
  count('select count(*)::int n from audit_log where stream = $1 and action = $2', [stream, action]);
const piece = (over: Record<string, unknown> = {}) => ({
  title: '城关街道“当天采集”推进老旧小区改造',
  kind: 'dynamic',
  body: '<h2>主要做法</h2><p style="mso-line-height:1">一是摸底排查。</p><script>alert(1)</script>',
  ...over,
});

async function sentPiece(over: Record<string, unknown> = {}) {
  const d = await t.call('cgz_xxy', 'POST', '/api/affairs/pieces', piece(over));
  expect(d.status, JSON.stringify(d.body)).toBe(201);
  expect((await t.call('cgz_xxy', 'POST', `/api/affairs/pieces/${d.body.id}/submit`)).status).toBe(200);
  const a = await t.call('cgz_fgld', 'POST', `/api/affairs/pieces/${d.body.id}/approve`);
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  return a.body;
}

describe('pieces (信息): drafted, approved inside the unit, sent to the two general offices', () => {
  it('a township reporter drafts for the township; the body is sanitised; nobody outside the unit sees the draft', async () => {
    const r = await t.call('cgz_xxy', 'POST', '/api/affairs/pieces', piece({ eventDate: '2026-11-23' }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      status: 'draft',
      unitId: u['城关街道'],
      unitName: '城关街道',
      toAreaId: u['东城区'],
      version: 1,
      can: { submitPiece: true, approvePiece: false },
    });
    expect(r.body.body).toBe('<h2>主要做法</h2><p>一是摸底排查。</p>');
    expect(r.body.recipients.map((x: any) => x.id).sort()).toEqual(
      [u['东城区委办公室'], u['东城区政府办公室']].sort(),
    );
    expect(await logs(`affairs_piece:${r.body.id}`, 'piece_drafted')).toBe(1);
    // the unit's approver sees it; the county's editor and leader and a sibling township do not
    expect((await t.call('cgz_fgld', 'GET', `/api/affairs/pieces/${r.body.id}`)).status).toBe(200);
    for (const who of ['dc_xxk', 'dc_ld', 'hsz_xxy']) {
      expect((await t.call(who, 'GET', `/api/affairs/pieces/${r.body.id}`)).status, who).toBe(404);
      const list = await t.call(who, 'GET', '/api/affairs/pieces');
      expect(list.body.items.map((p: any) => p.id)).not.toContain(r.body.id);
    }
  });

  it('a paste from Word keeps headings, lists and tables; styles and scripts go; the image becomes a file', async () => {
    const png =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const word = `<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><style>p.MsoNormal{mso-style-unhide:no;mso-pagination:widow-orphan}</style></head><body lang=ZH-CN>
<!--StartFragment--><h1 style='mso-outline-level:1'><span lang=EN-US>城关街道“四个一”工作法</span></h1>
<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0'>街道坚持当天采集、当天编写、当天报送。<o:p></o:p></p>
<ol style='margin-top:0cm' start=1 type=1><li class=MsoNormal style='mso-list:l0 level1 lfo1'>一套台账</li><li class=MsoNormal>一张清单</li></ol>
<table class=MsoTableGrid border=1 cellspacing=0 style='border-collapse:collapse;mso-yfti-tbllook:1184'>
<tr style='mso-yfti-irow:0'><td width=100 style='width:75pt'><p class=MsoNormal>社区</p></td><td><p class=MsoNormal>户数</p></td></tr>
<tr><td><p class=MsoNormal>和平社区</p></td><td><p class=MsoNormal>120</p></td></tr></table>
<script>fetch('/api/me')</script><p class=MsoNormal><img width=100 height=80 src="data:image/png;base64,${png}" v:shapes="图片_x0020_1"></p>
<!--EndFragment--></body></html>`;
    const r = await t.call('cgz_xxy', 'POST', '/api/affairs/pieces', piece({ body: word }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.body).toContain('<h1>城关街道“四个一”工作法</h1>');
    expect(r.body.body).toContain('<ol start="1"><li>一套台账</li><li>一张清单</li></ol>');
    expect(r.body.body).toMatch(/<table>.*<td><p>和平社区<\/p><\/td><td><p>120<\/p><\/td>.*<\/table>/s);
    expect(r.body.body).not.toMatch(/mso-|class=|style=|<script|fetch|<img|base64|<o:p/);
    expect(r.body.files).toMatchObject([{ filename: 'image-1.png', mime: 'image/png', size: 70 }]);
    const img = await t.app.inject({
      method: 'GET',
      url: `/api/affairs/files/${r.body.files[0].id}`,
      headers: { authorization: `Bearer ${await t.token('cgz_fgld')}` },
    });
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect((await t.call('hsz_xxy', 'GET', `/api/affairs/files/${r.body.files[0].id}`)).status).toBe(404);
  });

  it('bad input is refused in the caller’s language and writes nothing', async () => {
    const before = await count('select count(*)::int n from affairs_pieces');
    const zh = await t.call('cgz_xxy', 'POST', '/api/affairs/pieces', piece({ kind: 'gossip' }));
    expect(zh.status).toBe(400);
    expect(zh.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    const en = await t.call(
      'cgz_xxy',
      'POST',
      '/api/affairs/pieces',
      piece({ body: '<script>x()</script>' }),
      {
        'accept-language': 'en',
      },
    );
    expect(en.status).toBe(400);
    expect(en.body.error.code).toBe('piece_body_empty');
    expect(en.body.error.message).toContain('empty');
    expect(await count('select count(*)::int n from affairs_pieces')).toBe(before);
  });

  it('submit → approve by the approver sends it; the county offices’ editors get it in their inbox', async () => {
    const sent = await sentPiece();
    expect(sent).toMatchObject({ status: 'sent', can: { approvePiece: false } });
    expect(sent.firstSentAt).toBe(t.clock.now().toISOString());
    for (const a of ['piece_submitted', 'piece_approved', 'piece_sent'])
      expect(await logs(`affairs_piece:${sent.id}`, a), a).toBe(1);
    const inbox = await t.call('dc_xxk', 'GET', '/api/affairs/pieces?inbox=true');
    expect(inbox.body.items.find((p: any) => p.id === sent.id)).toMatchObject({
      can: { adopt: true, instruct: true },
    });
    // the city above sees it (leaders read their subtree) but may not adopt it: it never reached the city
    const city = await t.call('sz_xxk', 'GET', `/api/affairs/pieces/${sent.id}`);
    expect(city.status).toBe(200);
    expect(city.body.can.adopt).toBe(false);
    // a sibling township does not see it
    expect((await t.call('hsz_xxy', 'GET', `/api/affairs/pieces/${sent.id}`)).status).toBe(404);
  });

  it('a principal approves too; a reporter may not approve; another unit’s approver gets 404', async () => {
    const d = await t.call('cgz_xxy2', 'POST', '/api/affairs/pieces', piece({ kind: 'problem' }));
    await t.call('cgz_xxy2', 'POST', `/api/affairs/pieces/${d.body.id}/submit`);
    const rep = await t.call('cgz_xxy', 'POST', `/api/affairs/pieces/${d.body.id}/approve`);
    expect(rep.status).toBe(403);
    expect(rep.body.error.code).toBe('forbidden');
    expect((await t.call('hsz_ld', 'POST', `/api/affairs/pieces/${d.body.id}/approve`)).status).toBe(404);
    // a county leader above cannot approve a township's piece either (the piece is not even visible to it yet)
    expect((await t.call('dc_zyfzr', 'POST', `/api/affairs/pieces/${d.body.id}/approve`)).status).toBe(404);
    const ok = await t.call('cgz_zyfzr', 'POST', `/api/affairs/pieces/${d.body.id}/approve`);
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('sent');
  });

  it('the approver returns with a reason; the writer edits (a new version) and submits again', async () => {
    const d = await t.call('cgz_xxy', 'POST', '/api/affairs/pieces', piece());
    await t.call('cgz_xxy', 'POST', `/api/affairs/pieces/${d.body.id}/submit`);
    expect((await t.call('cgz_fgld', 'POST', `/api/affairs/pieces/${d.body.id}/return`, {})).status).toBe(
      400,
    );
    const back = await t.call('cgz_fgld', 'POST', `/api/affairs/pieces/${d.body.id}/return`, {
      reason: '数据需核实',
    });
    expect(back.body).toMatchObject({ status: 'returned', returnReason: '数据需核实' });
    const ed = await t.call('cgz_xxy', 'PATCH', `/api/affairs/pieces/${d.body.id}`, {
      body: '<p>核实后的数据</p>',
    });
    expect(ed.status).toBe(200);
    expect(ed.body.version).toBe(2);
    expect(ed.body.versions.map((v: any) => v.body)).toEqual([
      '<h2>主要做法</h2><p>一是摸底排查。</p>',
      '<p>核实后的数据</p>',
    ]);
    expect((await t.call('cgz_xxy', 'POST', `/api/affairs/pieces/${d.body.id}/submit`)).body.status).toBe(
      'awaiting_approval',
    );
  });

  it('an editor of a receiving office edits a sent piece (the sender sees the versions) or returns it: 退回修改', async () => {
    const s = await sentPiece();
    const ed = await t.call('dc_xxk', 'PATCH', `/api/affairs/pieces/${s.id}`, {
      title: '城关街道老旧小区改造见成效',
      note: '改标题',
    });
    expect(ed.status).toBe(200);
    const mine = await t.call('cgz_xxy', 'GET', `/api/affairs/pieces/${s.id}`);
    expect(mine.body.versions.map((v: any) => v.title)).toEqual([
      piece().title,
      '城关街道老旧小区改造见成效',
    ]);
    // the township's own editor is no receiving section
    expect(
      (await t.call('af_cg_editor', 'POST', `/api/affairs/pieces/${s.id}/return`, { reason: 'x' })).status,
    ).toBe(403);
    const r = await t.call('dc_xxk', 'POST', `/api/affairs/pieces/${s.id}/return`, {
      reason: '请补充数据来源',
    });
    expect(r.body.status).toBe('returned_by_section');
    expect(await logs(`affairs_piece:${s.id}`, 'piece_returned_by_section')).toBe(1);
  });

  it('before adopting, the editor is warned of stale figures and of the media reporting first', async () => {
    const s = await sentPiece({
      body: '<p>截至2024年底，街道已改造小区12个；落实《2025年行动方案》。</p>',
      eventDate: '2026-11-22',
      mediaReportedAt: new Date(t.clock.now().getTime() - 5 * HOUR).toISOString(),
    });
    const got = await t.call('dc_xxk', 'GET', `/api/affairs/pieces/${s.id}`);
    expect(got.body.warnings).toEqual([
      { code: 'stale_year', years: [2024] },
      { code: 'media_first', mediaReportedAt: new Date(t.clock.now().getTime() - 5 * HOUR).toISOString() },
    ]);
  });
});

describe('merged and forwarded pieces (综合加工)', () => {
  it('the county writes its own piece from pieces sent to it; it goes to the city and links its sources', async () => {
    const a = await sentPiece();
    const b = await sentPiece({ title: '东湖街道经验' });
    const r = await t.call(
      'dc_xxk',
      'POST',
      '/api/affairs/pieces',
      piece({ title: '东城区推进老旧小区改造', sourcePieceIds: [a.id, b.id] }),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ unitId: u['东城区'], sourcePieceIds: [a.id, b.id] });
    expect(r.body.recipients.map((x: any) => x.id)).toContain(u['示例市委办公室']);
    // a township cannot pass another unit's piece off as a source
    const bad = await t.call('cgz_xxy', 'POST', '/api/affairs/pieces', piece({ sourcePieceIds: [a.id] }));
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('piece_sources_unknown');
  });
});

describe('adoptions (采用) and instructions (批示)', () => {
  it('an editor of a receiving office adopts; the same where twice by one office is 409 already_adopted', async () => {
    const s = await sentPiece();
    const a = await t.call('dc_xxk', 'POST', `/api/affairs/pieces/${s.id}/adoptions`, { where: 'own_daily' });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ where: 'own_daily', points: 3, officeId: u['东城区委办公室'] });
    const again = await t.call('dc_xxk', 'POST', `/api/affairs/pieces/${s.id}/adoptions`, {
      where: 'own_daily',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_adopted');
    // the government office keeps its own publications: its adoption is its own
    expect(
      (await t.call('af_gov_editor', 'POST', `/api/affairs/pieces/${s.id}/adoptions`, { where: 'own_daily' }))
        .status,
    ).toBe(201);
    // city adoption is recorded by the county section
    expect(
      (await t.call('dc_xxk', 'POST', `/api/affairs/pieces/${s.id}/adoptions`, { where: 'city_daily' })).body
        .points,
    ).toBe(5);
    expect(await logs(`affairs_piece:${s.id}`, 'piece_adopted')).toBe(3);
  });

  it('a township editor, a section the piece never reached and a reporter cannot adopt', async () => {
    const s = await sentPiece();
    const town = await t.call('af_cg_editor', 'POST', `/api/affairs/pieces/${s.id}/adoptions`, {
      where: 'own_daily',
    });
    expect(town.status).toBe(403);
    expect(
      (await t.call('sz_xxk', 'POST', `/api/affairs/pieces/${s.id}/adoptions`, { where: 'own_daily' }))
        .status,
    ).toBe(403);
    expect(
      (await t.call('cgz_xxy', 'POST', `/api/affairs/pieces/${s.id}/adoptions`, { where: 'own_daily' }))
        .status,
    ).toBe(403);
    // another county's editor: the piece does not exist for them
    const d = await t.call('hsz_xxy', 'POST', '/api/affairs/pieces', piece());
    expect(
      (await t.call('dc_xxk', 'POST', `/api/affairs/pieces/${d.body.id}/adoptions`, { where: 'own_daily' }))
        .status,
    ).toBe(404);
    expect(await count('select count(*)::int n from affairs_adoptions where piece_id = $1', [s.id])).toBe(0);
  });

  it('an instruction scores once per level; the leader records their own; a reporter cannot', async () => {
    const s = await sentPiece();
    const at = t.clock.now().toISOString();
    const c = await t.call('dc_ld', 'POST', `/api/affairs/pieces/${s.id}/instructions`, {
      leaderLevel: 'county',
      leaderName: '林书记',
      text: '很好，请在全区推广。',
      at,
    });
    expect(c.status).toBe(201);
    expect(c.body.points).toBe(3);
    const twice = await t.call('dc_xxk', 'POST', `/api/affairs/pieces/${s.id}/instructions`, {
      leaderLevel: 'county',
      leaderName: '区长',
      text: '同意',
      at,
    });
    // recorded, but the level counts once
    expect(twice.status).toBe(201);
    expect(twice.body).toMatchObject({ points: 0, counted: false });
    const city = await t.call('dc_xxk', 'POST', `/api/affairs/pieces/${s.id}/instructions`, {
      leaderLevel: 'city',
      leaderName: '高市长',
      text: '各区借鉴',
      at,
    });
    expect(city.body.points).toBe(5);
    expect(
      (
        await t.call('cgz_xxy', 'POST', `/api/affairs/pieces/${s.id}/instructions`, {
          leaderLevel: 'province',
          leaderName: 'x',
          text: 'y',
          at,
        })
      ).status,
    ).toBe(403);
    const got = await t.call('cgz_xxy', 'GET', `/api/affairs/pieces/${s.id}`);
    expect(got.body.points).toBe(8);
  });

  it('an instruction may become a supervised task of the piece’s unit, linked back to the piece', async () => {
    const s = await sentPiece();
    const r = await t.call('dc_ld', 'POST', `/api/affairs/pieces/${s.id}/instructions`, {
      leaderLevel: 'county',
      leaderName: '林书记',
      text: '请城关街道总结经验，月底前报送落实情况。',
      at: t.clock.now().toISOString(),
      task: { dueAt: '2026-11-30' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.taskId).toBeTruthy();
    const task = await t.call('cgz_xxy', 'GET', `/api/tasks/${r.body.taskId}`);
    expect(task.status).toBe(200);
    expect(task.body).toMatchObject({
      source: 'affairs',
      ownerUnitId: u['城关街道'],
      issuerUnitId: u['东城区'],
      leaderName: '林书记',
      sourceLink: `/affairs/pieces/${s.id}`,
      dueAt: '2026-11-30T15:59:59.999Z',
    });
    expect(await logs(`task:${r.body.taskId}`, 'task_issued')).toBe(1);
  });
});

describe('commissions (约稿) judged by the injected clock', () => {
  it('only an area office’s editor commissions, to a unit of its area; an office id means its area', async () => {
    const dueAt = new Date(t.clock.now().getTime() + 48 * HOUR).toISOString();
    const body = { toUnitId: u['城关街道党政办'], title: '老旧小区改造经验', dueAt };
    expect((await t.call('cgz_xxy', 'POST', '/api/affairs/commissions', body)).status).toBe(403);
    expect((await t.call('af_cg_editor', 'POST', '/api/affairs/commissions', body)).status).toBe(403);
    const far = await t.call('dc_xxk', 'POST', '/api/affairs/commissions', {
      ...body,
      toUnitId: u['河西镇'],
    });
    expect(far.status).toBe(403);
    expect(far.body.error.code).toBe('commission_out_of_scope');
    const r = await t.call('dc_xxk', 'POST', '/api/affairs/commissions', body);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ toUnitId: u['城关街道'], status: 'open', overdue: false });
    expect(await logs(`affairs_commission:${r.body.id}`, 'commission_issued')).toBe(1);
    // the township sees it; a sibling does not
    expect(
      (await t.call('cgz_xxy', 'GET', '/api/affairs/commissions')).body.items.map((c: any) => c.id),
    ).toContain(r.body.id);
    expect((await t.call('hsz_xxy', 'GET', `/api/affairs/commissions/${r.body.id}`)).status).toBe(404);
    // a piece for someone else's commission is refused
    const other = await t.call(
      'dc_ga_xxy',
      'POST',
      '/api/affairs/pieces',
      piece({ commissionId: r.body.id }),
    );
    expect(other.status).toBe(422);
  });

  it('a piece first sent by dueAt delivers the commission', async () => {
    const c = await t.call('dc_xxk', 'POST', '/api/affairs/commissions', {
      toUnitId: u['城关街道'],
      title: '按时约稿',
      dueAt: new Date(t.clock.now().getTime() + HOUR).toISOString(),
    });
    await sentPiece({ commissionId: c.body.id });
    const got = await t.call('dc_xxk', 'GET', `/api/affairs/commissions/${c.body.id}`);
    expect(got.body).toMatchObject({ status: 'delivered' });
    expect(await logs(`affairs_commission:${c.body.id}`, 'commission_delivered')).toBe(1);
  });

  it('overdue from dueAt, late when first sent within 24 h after, and the −10 goes to the unit', async () => {
    const c = await t.call('dc_xxk', 'POST', '/api/affairs/commissions', {
      toUnitId: u['东城区公安分局'],
      title: '迟报约稿',
      dueAt: new Date(t.clock.now().getTime() + HOUR).toISOString(),
    });
    t.clock.advance(2 * HOUR);
    await sweep();
    const over = await t.call('dc_ga_xxy', 'GET', `/api/affairs/commissions/${c.body.id}`);
    expect(over.body).toMatchObject({ status: 'open', overdue: true });
    expect(await logs(`affairs_commission:${c.body.id}`, 'commission_overdue')).toBe(1);
    const d = await t.call('dc_ga_xxy', 'POST', '/api/affairs/pieces', piece({ commissionId: c.body.id }));
    await t.call('dc_ga_xxy', 'POST', `/api/affairs/pieces/${d.body.id}/submit`);
    await t.call('dc_ga_ld', 'POST', `/api/affairs/pieces/${d.body.id}/approve`);
    const late = await t.call('dc_xxk', 'GET', `/api/affairs/commissions?status=late`);
    expect(late.body.items.map((x: any) => x.id)).toContain(c.body.id);
    t.clock.advance(30 * HOUR);
    await sweep();
    expect((await t.call('dc_xxk', 'GET', `/api/affairs/commissions/${c.body.id}`)).body.status).toBe('late');
    expect(await logs(`affairs_commission:${c.body.id}`, 'commission_missed')).toBe(0);
  });

  it('a commission entered on paper after its due time and never delivered is missed at once (final)', async () => {
    const c = await t.call('dc_xxk', 'POST', '/api/affairs/commissions', {
      toUnitId: u['东湖街道'],
      title: '纸质约稿',
      dueAt: new Date(t.clock.now().getTime() - 30 * HOUR).toISOString(),
    });
    expect(c.status).toBe(201);
    expect(c.body.status).toBe('missed');
    await sweep();
    expect(await logs(`affairs_commission:${c.body.id}`, 'commission_missed')).toBe(1);
    expect(await logs(`affairs_commission:${c.body.id}`, 'commission_overdue')).toBe(0);
  });

  it('an editor records an offline delivery with its time (logged); twice is 409; a reporter cannot', async () => {
    const c = await t.call('dc_xxk', 'POST', '/api/affairs/commissions', {
      toUnitId: u['东湖街道'],
      title: '线下报送',
      dueAt: new Date(t.clock.now().getTime() - 2 * HOUR).toISOString(),
    });
    expect(c.body).toMatchObject({ status: 'open', overdue: true, can: { recordDelivery: true } });
    const at = new Date(t.clock.now().getTime() - 3 * HOUR).toISOString();
    expect(
      (await t.call('cgz_xxy', 'POST', `/api/affairs/commissions/${c.body.id}/delivery`, { at })).status,
    ).toBe(403);
    const d = await t.call('dc_xxk', 'POST', `/api/affairs/commissions/${c.body.id}/delivery`, {
      at,
      note: '纸质稿',
    });
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ status: 'delivered', offlineDeliveredAt: at });
    expect(await logs(`affairs_commission:${c.body.id}`, 'commission_delivered_offline')).toBe(1);
    expect(
      (await t.call('dc_xxk', 'POST', `/api/affairs/commissions/${c.body.id}/delivery`, { at })).status,
    ).toBe(409);
  });
});

describe('scores (积分)', () => {
  it('every unit in scope is listed with zeros; points go to the unit acted for; person points to the drafter', async () => {
    const r = await t.call('dc_xxk', 'GET', '/api/affairs/scores?by=unit');
    expect(r.status).toBe(200);
    const by = new Map(r.body.items.map((i: any) => [i.unitId, i]));
    expect(by.get(u['东湖街道'])).toBeDefined();
    expect(by.has(u['河西镇'])).toBe(false);
    expect(by.has(u['城关街道党政办'])).toBe(false);
    // 城关街道: adoptions 3 + 3 + 5 and instructions 3 + 5, 3 (the one that became a task; see above)
    expect((by.get(u['城关街道']) as any).points).toBe(22);
    // the one dated piece it sent reported the day before: not sent the same day
    expect((by.get(u['城关街道']) as any).sameDayRate).toBe(0);
    expect((by.get(u['东湖街道']) as any).sameDayRate).toBe(null);
    // 公安分局: late −10; 东湖街道: missed −10, the offline one delivered
    expect((by.get(u['东城区公安分局']) as any).points).toBe(-10);
    expect((by.get(u['东湖街道']) as any).points).toBe(-10);
    const people = await t.call('dc_xxk', 'GET', '/api/affairs/scores?by=person');
    const me = people.body.items.find((i: any) => i.name === '李晓梅');
    expect(me.points).toBe(22);
    const other = people.body.items.find((i: any) => i.name === '何磊');
    expect(other.points).toBe(0);
  });

  it('the table exports to Excel with a Chinese header row, one unit a row', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/affairs/scores.xlsx',
      headers: { authorization: `Bearer ${await t.token('dc_xxk')}` },
    });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const ws = wb.getWorksheet('信息积分')!;
    expect(ws.getRow(1).values).toEqual([
      undefined,
      '名次',
      '单位',
      '积分',
      '报送条数',
      '采用条数',
      '采用率',
      '当天报送率',
    ]);
    const rows = ws.getSheetValues().slice(2) as unknown[][];
    expect(rows.find((r) => r[2] === '城关街道')?.[3]).toBe(22);
  });

  it('a period before the adoptions scores nothing; a township sees only itself', async () => {
    const r = await t.call('dc_xxk', 'GET', '/api/affairs/scores?from=2026-01-01&to=2026-01-31');
    expect(r.body.items.every((i: any) => i.points === 0)).toBe(true);
    const town = await t.call('cgz_xxy', 'GET', '/api/affairs/scores');
    expect(town.body.items.map((i: any) => i.unitId)).toEqual([u['城关街道']]);
  });
});

describe('topics (调研题目) and priorities (报送要点)', () => {
  it('propose against a priority (unknown → 422), screen (reason for merge/decline), schedule, commission', async () => {
    const p = await t.call('dc_xxk', 'POST', '/api/affairs/priorities', { title: '城市更新' });
    expect(p.status).toBe(201);
    const unknown = await t.call('cgz_xxy', 'POST', '/api/affairs/topics', {
      title: 'x',
      priority: '不存在的要点',
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('unknown_priority');
    const a = await t.call('cgz_xxy', 'POST', '/api/affairs/topics', {
      title: '老旧小区改造',
      priority: '城市更新',
    });
    expect(a.body).toMatchObject({ status: 'proposed', priorityId: p.body.id, unitId: u['城关街道'] });
    const b = await t.call('cgz_xxy2', 'POST', '/api/affairs/topics', {
      title: '小区改造资金',
      priority: p.body.id,
    });
    const c = await t.call('cgz_xxy', 'POST', '/api/affairs/topics', { title: '无关题目' });
    // a township editor and another section cannot screen
    expect(
      (
        await t.call('af_cg_editor', 'POST', `/api/affairs/topics/${a.body.id}/screen`, {
          decision: 'accept',
        })
      ).status,
    ).toBe(403);
    expect(
      (await t.call('sz_xxk', 'POST', `/api/affairs/topics/${a.body.id}/screen`, { decision: 'accept' }))
        .status,
    ).toBe(403);
    const noReason = await t.call('dc_xxk', 'POST', `/api/affairs/topics/${b.body.id}/screen`, {
      decision: 'merge',
      mergeIntoId: a.body.id,
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.code).toBe('topic_reason_required');
    expect(
      (await t.call('dc_xxk', 'POST', `/api/affairs/topics/${a.body.id}/screen`, { decision: 'accept' })).body
        .status,
    ).toBe('accepted');
    const m = await t.call('dc_xxk', 'POST', `/api/affairs/topics/${b.body.id}/screen`, {
      decision: 'merge',
      mergeIntoId: a.body.id,
      reason: '内容相近',
    });
    expect(m.body).toMatchObject({ status: 'merged', mergeIntoId: a.body.id });
    expect(
      (
        await t.call('dc_xxk', 'POST', `/api/affairs/topics/${c.body.id}/screen`, {
          decision: 'decline',
          reason: '不符合要点',
        })
      ).body.status,
    ).toBe('declined');
    const sch = await t.call('dc_xxk', 'POST', '/api/affairs/topics/schedule', { topicIds: [a.body.id] });
    expect(sch.body.items[0]).toMatchObject({ status: 'scheduled', scheduleOrder: 1 });
    expect(
      (await t.call('dc_xxk', 'POST', '/api/affairs/topics/schedule', { topicIds: [c.body.id] })).status,
    ).toBe(409);
    const com = await t.call('dc_xxk', 'POST', '/api/affairs/commissions', {
      toUnitId: u['城关街道'],
      title: '老旧小区改造',
      dueAt: new Date(t.clock.now().getTime() + 72 * HOUR).toISOString(),
      topicId: a.body.id,
    });
    expect(com.status).toBe(201);
    expect((await t.call('cgz_xxy', 'GET', `/api/affairs/topics/${a.body.id}`)).body.status).toBe(
      'commissioned',
    );
    expect(await logs(`affairs_topic:${a.body.id}`, 'topic_commissioned')).toBe(1);
  });
});
