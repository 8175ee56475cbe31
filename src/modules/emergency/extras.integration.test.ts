import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';

let t: TestApp;
let eventId: string;
const U: Record<string, string> = {};
beforeAll(async () => {
  t = await createTestApp({ demo: true });
  for (const n of ['城关街道', '东湖街道', '东城区', '河西镇']) U[n] = await t.unitId(n);
  const ev = await t.call('cgz_xxy', 'POST', '/api/events', {
    title: '城关街道一仓库起火',
    categoryCode: '12G03',
    level: 'III',
    occurredAt: new Date(t.clock.now().getTime() - 600_000).toISOString(),
    place: { address: '城关街道物流园' },
    casualties: { lightlyInjured: 1 },
  });
  eventId = ev.body.id;
});
afterAll(async () => t?.close());

describe('rule sets are versioned data', () => {
  it('the default must-report rule set is version 1 and lists the seven rules', async () => {
    const r = await t.call('dc_xxk', 'GET', '/api/rule-sets/must_report');
    expect(r.body.version).toBe(1);
    expect(r.body.body.rules.map((x: any) => x.id)).toEqual([
      'statutory',
      'serious',
      'mass_incident',
      'special_persons',
      'sensitive',
      'may_escalate',
      'requested',
    ]);
  });

  it('an administrator saves a new version; old events keep the version they were judged with', async () => {
    const cur = (await t.call('admin', 'GET', '/api/rule-sets/must_report')).body.body;
    const next = { ...cur, sensitivePlaces: [...cur.sensitivePlaces, '物流园'] };
    const saved = await t.call('admin', 'PUT', '/api/rule-sets/must_report', {
      body: next,
      note: '增加物流园',
    });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(2);
    const old = await t.call('cgz_xxy', 'GET', `/api/events/${eventId}`);
    expect(old.body.mustReport.ruleSetVersion).toBe(1);
    expect(old.body.mustReport.rules).not.toContain('sensitive');
    const ev = await t.call('cgz_xxy', 'POST', '/api/events', {
      title: '物流园纠纷',
      categoryCode: '14Y00',
      level: null,
      occurredAt: t.clock.now().toISOString(),
      place: { address: '城关街道物流园' },
    });
    expect(ev.body.mustReport).toMatchObject({ required: true, rules: ['sensitive'], ruleSetVersion: 2 });
  });

  it('non-admins cannot change rules; an invalid table is refused and no version is written', async () => {
    expect((await t.call('dc_xxk', 'PUT', '/api/rule-sets/timeliness', { body: {} })).status).toBe(403);
    const cur = (await t.call('admin', 'GET', '/api/rule-sets/timeliness')).body;
    const overlapping = { ...cur.body, rows: [...cur.body.rows, { ...cur.body.rows[0], key: 'dup' }] };
    const r = await t.call('admin', 'PUT', '/api/rule-sets/timeliness', { body: overlapping });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('bad_rule_set');
    expect((await t.call('admin', 'GET', '/api/rule-sets/timeliness')).body.version).toBe(cur.version);
  });
});

describe('leader instructions (批示)', () => {
  it('a county leader instructs the township, which acknowledges and reports back; all on the timeline', async () => {
    const ins = await t.call('dc_ld', 'POST', `/api/events/${eventId}/instructions`, {
      text: '全力救治伤员，尽快查明起火原因',
      toUnitIds: [U['城关街道']],
      dueAt: new Date(t.clock.now().getTime() + 3600_000).toISOString(),
    });
    expect(ins.status).toBe(201);
    expect(ins.body.targets).toEqual([expect.objectContaining({ unitId: U['城关街道'], ackedAt: null })]);
    expect((await t.call('hsz_xxy', 'POST', `/api/instructions/${ins.body.id}/ack`)).status).toBe(403);
    const ack = await t.call('cgz_fgld', 'POST', `/api/instructions/${ins.body.id}/ack`);
    expect(ack.body.targets[0].ackedAt).toBeTruthy();
    const fb = await t.call('cgz_xxy', 'POST', `/api/instructions/${ins.body.id}/feedback`, {
      text: '伤员已送医，火灾原因初步判断为电线老化',
    });
    expect(fb.body.targets[0].feedback).toContain('电线老化');
    const tl = await t.call('dc_ld', 'GET', `/api/events/${eventId}/timeline`);
    expect(tl.body.items.map((x: any) => x.action)).toEqual(
      expect.arrayContaining([
        'event_registered',
        'instruction_given',
        'instruction_acknowledged',
        'instruction_feedback',
      ]),
    );
  });

  it('an instruction to a unit outside the leader area is refused', async () => {
    const r = await t.call('dc_ld', 'POST', `/api/events/${eventId}/instructions`, {
      text: 'x',
      toUnitIds: [U['河西镇']],
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('instruction_targets_invalid');
  });

  it('a reporter cannot give instructions', async () => {
    expect(
      (
        await t.call('cgz_xxy', 'POST', `/api/events/${eventId}/instructions`, {
          text: 'x',
          toUnitIds: [U['城关街道']],
        })
      ).status,
    ).toBe(403);
  });
});

describe('attachments', () => {
  it('a photo attached to a report can be downloaded by the receiving office', async () => {
    const rep = await t.call('cgz_xxy', 'POST', `/api/events/${eventId}/reports`, {
      kind: 'followup',
      elements: { measures: '消防已扑灭明火' },
    });
    const boundary = '----jibao';
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="现场.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/reports/${rep.body.id}/attachments`,
      headers: {
        authorization: `Bearer ${await t.token('cgz_xxy')}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload,
    });
    expect(up.statusCode).toBe(201);
    expect(up.json()).toMatchObject({ filename: '现场.jpg', size: 7, mime: 'image/jpeg' });
    await t.call('cgz_xxy', 'POST', `/api/reports/${rep.body.id}/submit`, { fastTrack: true });
    const dl = await t.app.inject({
      method: 'GET',
      url: `/api/attachments/${up.json().id}`,
      headers: { authorization: `Bearer ${await t.token('dc_xxk')}` },
    });
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.length).toBe(7);
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/attachments/${up.json().id}`,
      headers: { authorization: `Bearer ${await t.token('hsz_xxy')}` },
    });
    expect(other.statusCode).toBe(404);
  });
});

describe('trace-back', () => {
  it('shows each step with how long it sat and who held it', async () => {
    const r = await t.call('dc_xxk', 'GET', `/api/events/${eventId}/trace`);
    expect(r.status).toBe(200);
    expect(r.body.steps[0]).toMatchObject({ action: 'event_registered', unitId: U['城关街道'] });
    expect(r.body.steps[0].dwellSeconds).toBe(600);
    expect(r.body.deadlines.length).toBeGreaterThan(0);
  });
});

describe('off-hours arrivals', () => {
  it('at night a report alerts the duty officer, and a named person acknowledges it', async () => {
    t.clock.set('2026-11-24T14:00:00Z'); // 22:00 Beijing time, a Tuesday
    const ev = await t.call('cgz_xxy', 'POST', '/api/events', {
      title: '夜间燃气泄漏',
      categoryCode: '12P00',
      level: 'IV',
      occurredAt: '2026-11-24T13:50:00Z',
      place: { address: '城关街道幸福小区' },
    });
    const rep = await t.call('cgz_xxy', 'POST', `/api/events/${ev.body.id}/reports`, {
      kind: 'initial',
      fastTrack: true,
      elements: {
        occurredAt: '2026-11-24T13:50:00Z',
        place: '城关街道幸福小区',
        cause: '燃气管道破裂',
        scope: '一栋楼',
        casualties: { dead: 0 },
        loss: '无',
        measures: '已关阀疏散',
        nextSteps: '抢修',
        contact: '13800000000',
      },
    });
    await t.call('cgz_xxy', 'POST', `/api/reports/${rep.body.id}/submit`);
    const intake = await t.call('dc_zby', 'GET', '/api/intake');
    const item = intake.body.items.find((x: any) => x.reportId === rep.body.id);
    expect(item).toMatchObject({ offHours: true, ackedAt: null });
    const n = await t.tdb.pool.query(
      `select n.urgent from notifications n join users u on u.id = n.user_id
       where u.username = 'dc_zby' and n.kind = 'report.arrived' and n.data->>'reportId' = $1`,
      [rep.body.id],
    );
    expect(n.rows[0]?.urgent).toBe(true);
    const ack = await t.call('dc_xxk', 'POST', `/api/reports/${rep.body.id}/ack`);
    expect(ack.status).toBe(200);
    expect(ack.body.ackedBy).toBeTruthy();
    const tl = await t.call('dc_xxk', 'GET', `/api/events/${ev.body.id}/timeline`);
    expect(tl.body.items.find((x: any) => x.action === 'acknowledged')).toMatchObject({ userName: '刘芳' });
  });
});

describe('messages a person can read', () => {
  it('missing elements are named in Chinese, or in English when asked', async () => {
    const zh = await t.call('cgz_xxy', 'POST', `/api/events/${eventId}/reports`, {
      kind: 'initial',
      elements: { place: '城关街道' },
    });
    expect(zh.status).toBe(422);
    expect(zh.body.error.message).toContain('事发时间、事由、范围、伤亡情况');
    expect(zh.body.error.details.missing).toContain('occurredAt');
    const en = await t.call(
      'cgz_xxy',
      'POST',
      `/api/events/${eventId}/reports`,
      { kind: 'initial', elements: { place: '城关街道' } },
      { 'accept-language': 'en' },
    );
    expect(en.body.error.message).toContain('time of occurrence, what happened and why');
  });
});
