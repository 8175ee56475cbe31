import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../helpers/app.js';
import { multipart, SAMPLES } from '../helpers/files.js';

// Issue #9, point 4: a county admin registered an event another county owes; a county listed and downloaded a
// township's draft attachments and saw the file name on the timeline.
let t: TestApp;
const U: Record<string, string> = {};

const minutesAgo = (m: number) => new Date(t.clock.now().getTime() - m * 60_000).toISOString();
const eventBody = (over: Record<string, unknown> = {}) => ({
  title: '河西镇山体滑坡',
  categoryCode: '12G03',
  level: 'IV',
  occurredAt: minutesAgo(10),
  place: { address: '河西镇北山村' },
  ...over,
});
const eventCount = async (title: string) =>
  Number((await t.tdb.pool.query('select count(*) from events where title = $1', [title])).rows[0].count);

async function createUser(username: string, unit: string, roles: string[]) {
  const r = await t.call('admin', 'POST', '/api/users', {
    username,
    password: DEMO_PASSWORD,
    name: username,
    unitId: U[unit],
    roles,
  });
  expect(r.status).toBe(201);
}

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  for (const n of ['城关街道', '东城区', '河西镇', '西山县', '西山县委办公室', '东城区公安分局'])
    U[n] = await t.unitId(n);
  // an administrator of 西山县 who also reports, and one who only administers
  await createUser('xs_admin', '西山县委办公室', ['admin', 'reporter']);
  await createUser('xs_admin_only', '西山县委办公室', ['admin']);
});
afterAll(async () => t?.close());

describe('events are registered and changed only for the area one acts for', () => {
  it("a county administrator cannot register an event that another county's unit owes (403, nothing written)", async () => {
    for (const unit of ['城关街道', '东城区', '东城区公安分局']) {
      const title = `西山县管理员登记东城区事件-${unit}`;
      const r = await t.call(
        'xs_admin',
        'POST',
        '/api/events',
        eventBody({ title, responsibleUnitId: U[unit] }),
      );
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('responsible_unit_out_of_scope');
      expect(await eventCount(title)).toBe(0);
    }
  });

  it('the same administrator registers events of their own county', async () => {
    const r = await t.call('xs_admin', 'POST', '/api/events', eventBody({ responsibleUnitId: U['河西镇'] }));
    expect(r.status).toBe(201);
    expect(r.body.responsibleUnitId).toBe(U['河西镇']);
  });

  it("a county administrator cannot hand their county's event to another county (403, unchanged)", async () => {
    const ev = await t.call('xs_admin', 'POST', '/api/events', eventBody({ title: '石桥乡道路塌方' }));
    const p = await t.call('xs_admin', 'PATCH', `/api/events/${ev.body.id}`, {
      responsibleUnitId: U['城关街道'],
      reason: '改由城关街道负责',
    });
    expect(p.status).toBe(403);
    const after = await t.call('xs_admin', 'GET', `/api/events/${ev.body.id}`);
    expect(after.body.responsibleUnitId).toBe(ev.body.responsibleUnitId);
    expect(after.body.changes).toEqual([]);
  });

  it("a county administrator cannot change another county's event (404, unchanged)", async () => {
    const ev = await t.call(
      'cgz_xxy',
      'POST',
      '/api/events',
      eventBody({ title: '城关街道燃气泄漏', place: { address: '城关街道' } }),
    );
    const p = await t.call('xs_admin', 'PATCH', `/api/events/${ev.body.id}`, { level: 'I', reason: '升级' });
    expect(p.status).toBe(404);
    expect((await t.call('cgz_xxy', 'GET', `/api/events/${ev.body.id}`)).body.level).toBe('IV');
  });

  it('the administrator role alone neither registers nor changes events (403)', async () => {
    const title = '仅管理员登记的事件';
    for (const user of ['xs_admin_only', 'admin']) {
      const r = await t.call(
        user,
        'POST',
        '/api/events',
        eventBody({ title, responsibleUnitId: U['河西镇'] }),
      );
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('cannot_register_events');
    }
    expect(await eventCount(title)).toBe(0);
    const ev = await t.call('hsz_xxy', 'POST', '/api/events', eventBody({ title: '河西镇民房倒塌' }));
    const p = await t.call('xs_admin_only', 'PATCH', `/api/events/${ev.body.id}`, {
      level: 'III',
      reason: 'x',
    });
    expect(p.status).toBe(403);
    expect((await t.call('hsz_xxy', 'GET', `/api/events/${ev.body.id}`)).body.level).toBe('IV');
  });

  it("a township asked to report on the county's event cannot change the county's event (403)", async () => {
    const ev = await t.call(
      'dc_xxk',
      'POST',
      '/api/events',
      eventBody({
        title: '东城区化工厂泄漏',
        place: { address: '东城区工业园' },
        responsibleUnitId: U['东城区'],
      }),
    );
    expect(ev.status).toBe(201);
    const q = await t.call('dc_xxk', 'POST', `/api/events/${ev.body.id}/requests`, {
      toUnitId: U['城关街道'],
      message: '请报告辖区内受影响情况',
    });
    expect(q.status).toBe(201);
    expect((await t.call('cgz_xxy', 'GET', `/api/events/${ev.body.id}`)).status).toBe(200);
    const p = await t.call('cgz_xxy', 'PATCH', `/api/events/${ev.body.id}`, { level: 'I', reason: '升级' });
    expect(p.status).toBe(403);
    expect(p.body.error.code).toBe('event_out_of_scope');
    expect((await t.call('dc_xxk', 'GET', `/api/events/${ev.body.id}`)).body.level).toBe('IV');
    const pub = await t.call('cgz_xxy', 'POST', `/api/events/${ev.body.id}/publish`, { text: '对外通报' });
    expect(pub.status).toBe(403);
    const n = await t.tdb.pool.query('select count(*) from event_publications where event_id = $1', [
      ev.body.id,
    ]);
    expect(Number(n.rows[0].count)).toBe(0);
  });
});

describe("a township's draft is invisible above it until it is sent", () => {
  const FILENAME = '草稿现场照片-机密.png';
  const ABOVE = ['dc_zby', 'dc_ld', 'dc_xxk', 'sz_ld', 'sz_zby', 'admin'];
  let eventId: string;
  let draftId: string;
  let attId: string;

  beforeAll(async () => {
    const ev = await t.call(
      'cgz_xxy',
      'POST',
      '/api/events',
      eventBody({ title: '城关街道物流园仓库起火', level: 'III', place: { address: '城关街道物流园' } }),
    );
    eventId = ev.body.id;
    const rep = await t.call('cgz_xxy', 'POST', `/api/events/${eventId}/reports`, {
      kind: 'initial',
      elements: {
        occurredAt: minutesAgo(10),
        place: '城关街道物流园',
        cause: '电线老化起火',
        scope: '一座仓库',
        casualties: { dead: 0, missing: 0, seriouslyInjured: 0, lightlyInjured: 1, trapped: 0 },
        loss: '正在核实',
        measures: '消防已到场',
        nextSteps: '清理现场',
        contact: '李晓梅 13800000000',
      },
    });
    draftId = rep.body.id;
    const m = multipart(FILENAME, 'image/png', SAMPLES.png);
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/reports/${draftId}/attachments`,
      headers: { authorization: `Bearer ${await t.token('cgz_xxy')}`, 'content-type': m.contentType },
      payload: m.payload,
    });
    expect(up.statusCode).toBe(201);
    attId = up.json().id;
  });

  it('the writing unit sees its draft, its file and the file on the timeline', async () => {
    expect((await t.call('cgz_xxy', 'GET', `/api/reports/${draftId}/attachments`)).body.items).toHaveLength(
      1,
    );
    expect((await t.call('cgz_xxy', 'GET', `/api/attachments/${attId}`)).status).toBe(200);
    const tl = await t.call('cgz_xxy', 'GET', `/api/events/${eventId}/timeline`);
    expect(JSON.stringify(tl.body)).toContain(FILENAME);
  });

  it('county and city duty officers, leaders and administrators see the event but cannot list or download its draft files (404)', async () => {
    for (const user of ABOVE) {
      expect((await t.call(user, 'GET', `/api/events/${eventId}`)).status, user).toBe(200);
      expect((await t.call(user, 'GET', `/api/reports/${draftId}/attachments`)).status, user).toBe(404);
      expect((await t.call(user, 'GET', `/api/attachments/${attId}`)).status, user).toBe(404);
    }
  });

  it('the timeline, the trace and the registration log above the township show no trace of the draft or its file', async () => {
    for (const user of ABOVE) {
      for (const url of [
        `/api/events/${eventId}/timeline`,
        `/api/events/${eventId}/trace`,
        `/api/audit/log?stream=event:${eventId}`,
        `/api/events/${eventId}`,
      ]) {
        const r = await t.call(user, 'GET', url);
        expect(r.status, `${user} ${url}`).toBe(200);
        const text = JSON.stringify(r.body);
        expect(text, `${user} ${url}`).not.toContain(FILENAME);
        expect(text, `${user} ${url}`).not.toContain(draftId);
        expect(text, `${user} ${url}`).not.toContain(attId);
      }
    }
    // the log itself is not rewritten
    const log = await t.tdb.pool.query(
      `select count(*) from audit_log where stream = $1 and data->>'filename' = $2`,
      [`event:${eventId}`, FILENAME],
    );
    expect(Number(log.rows[0].count)).toBe(1);
  });

  it('search and the Excel export above the township show no trace of the draft', async () => {
    const s = await t.call('dc_zby', 'GET', `/api/events?q=${encodeURIComponent('物流园仓库')}`);
    const item = s.body.items.find((x: any) => x.id === eventId);
    expect(item.reportsCount).toBe(0);
    expect(JSON.stringify(s.body)).not.toContain(FILENAME);
    const x = await t.app.inject({
      method: 'GET',
      url: '/api/stats/events.xlsx?groupBy=unit',
      headers: { authorization: `Bearer ${await t.token('dc_ld')}` },
    });
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.value)))));
    expect(cells.join('\n')).not.toContain(FILENAME);
  });

  it('live messages about the draft reach only the writing unit', async () => {
    const rows = await t.tdb.pool.query(`select distinct audience from outbox where data->>'reportId' = $1`, [
      draftId,
    ]);
    expect(rows.rows.map((r) => r.audience)).toEqual([`unit:${U['城关街道']}`]);
  });

  it('once the report is sent, the county and the city see it, its file and the timeline entries', async () => {
    const s = await t.call('cgz_xxy', 'POST', `/api/reports/${draftId}/submit`, { fastTrack: true });
    expect(s.body.status).toBe('sent');
    for (const user of ['dc_zby', 'dc_ld', 'sz_ld']) {
      const list = await t.call(user, 'GET', `/api/reports/${draftId}/attachments`);
      expect(list.status, user).toBe(200);
      expect(list.body.items.map((a: any) => a.filename)).toEqual([FILENAME]);
      expect((await t.call(user, 'GET', `/api/attachments/${attId}`)).status, user).toBe(200);
      const tl = await t.call(user, 'GET', `/api/events/${eventId}/timeline`);
      const actions = tl.body.items.filter(
        (i: any) => i.entityId === draftId || i.data?.reportId === draftId,
      );
      expect(actions.map((i: any) => i.action)).toEqual(
        expect.arrayContaining(['report_drafted', 'attachment_added', 'report_sent']),
      );
      expect(JSON.stringify(tl.body)).toContain(FILENAME);
    }
  });
});

describe('the registration log of units and people', () => {
  it("a county administrator reads their own county's unit and people streams, not a sibling county's", async () => {
    const cgzUser = (await t.tdb.pool.query(`select id from users where username = 'cgz_xxy'`)).rows[0].id;
    const xsUser = (await t.tdb.pool.query(`select id from users where username = 'xs_admin'`)).rows[0].id;
    // 西山县's admin: own county's office and people yes, 东城区's township and its officer no
    const own = await t.call('xs_admin_only', 'GET', `/api/audit/log?stream=user:${xsUser}`);
    expect(own.status).toBe(200);
    for (const stream of [`unit:${U['城关街道']}`, `user:${cgzUser}`, 'login:cgz_xxy', 'system:x']) {
      const r = await t.call('xs_admin_only', 'GET', `/api/audit/log?stream=${encodeURIComponent(stream)}`);
      expect(r.status, stream).toBe(404);
    }
    // the root administrator reads them all
    const root = await t.call('admin', 'GET', `/api/audit/log?stream=user:${cgzUser}`);
    expect(root.status).toBe(200);
    // a duty officer is no administrator at all
    const duty = await t.call('dc_zby', 'GET', `/api/audit/log?stream=user:${cgzUser}`);
    expect(duty.status).toBe(403);
  });
});

describe('malformed requests', () => {
  it('a broken %-escape in the path or raw bytes in the query answer in the contract shape and language', async () => {
    for (const url of ['/api/events/%E4%ZZ', '/api/events?q=%E4%ZZ']) {
      const r = await t.app.inject({ method: 'GET', url, headers: { 'accept-language': 'en' } });
      expect([400, 401, 404], url).toContain(r.statusCode);
      expect(r.headers['content-type'], url).toMatch(/^application\/json/);
      expect(r.json().error.code, url).toBeTruthy();
      expect(r.json().error.message, url).not.toMatch(/FST_|Bad Request/);
    }
  });
});
