import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';

let t: TestApp;
const U: Record<string, string> = {};
beforeAll(async () => {
  t = await createTestApp({ demo: true });
  for (const n of [
    '城关街道',
    '东湖街道',
    '东城区',
    '示例市',
    '示例省',
    '东城区公安分局',
    '东城区应急管理局（应急办）',
    '城关街道党政办',
    '东城区委办公室',
  ])
    U[n] = await t.unitId(n);
});
afterAll(async () => t?.close());

const minutesAgo = (m: number) => new Date(t.clock.now().getTime() - m * 60_000).toISOString();
const fullElements = (over: Record<string, unknown> = {}) => ({
  occurredAt: minutesAgo(10),
  place: '城关街道人民路与建设路交叉口',
  cause: '一辆货车与电动自行车相撞',
  scope: '路口单向交通受阻',
  casualties: { dead: 0, missing: 0, seriouslyInjured: 1, lightlyInjured: 2, trapped: 0 },
  loss: '车辆受损，损失正在核实',
  measures: '交警、120 已到场，伤者送医',
  nextSteps: '疏导交通，调查事故原因',
  contact: '李晓梅 13800000000',
  ...over,
});
const eventBody = (over: Record<string, unknown> = {}) => ({
  title: '城关街道人民路货车与电动车相撞',
  categoryCode: '12H00',
  level: 'IV',
  occurredAt: minutesAgo(10),
  place: { address: '城关街道人民路与建设路交叉口', divisionCode: '990102001' },
  casualties: { dead: 0, seriouslyInjured: 1, lightlyInjured: 2 },
  ...over,
});

describe('a township report travels to the county and on to the city', () => {
  let eventId: string;
  let reportId: string;

  it('registering an Ⅳ event makes it must-report and opens the chain of deadlines', async () => {
    const r = await t.call('cgz_xxy', 'POST', '/api/events', eventBody());
    expect(r.status).toBe(201);
    eventId = r.body.id;
    expect(r.body.responsibleUnitId).toBe(U['城关街道']);
    expect(r.body.mustReport).toMatchObject({ required: true, rules: ['statutory'], ruleSetVersion: 1 });
    expect(r.body.flags.invertedFlow).toEqual([]);
    const d = r.body.deadlines.map((x: any) => [x.fromUnitId, x.toUnitId, x.channel, x.status]);
    expect(d).toEqual(
      expect.arrayContaining([
        [U['城关街道'], U['东城区'], 'written', 'pending'],
        [U['东城区'], U['示例市'], 'phone', 'pending'],
        [U['东城区'], U['示例市'], 'written', 'pending'],
      ]),
    );
    expect(r.body.deadlines).toHaveLength(3); // Ⅳ: no phone limit for the township, and it stops at the city
    const w = r.body.deadlines.find((x: any) => x.fromUnitId === U['城关街道']);
    expect(new Date(w.dueAt).getTime() - new Date(r.body.occurredAt).getTime()).toBe(60 * 60_000);
  });

  it('an initial report missing elements is refused with 422 and the names of what is missing', async () => {
    const { cause: _c, casualties: _k, ...partial } = fullElements();
    const r = await t.call('cgz_xxy', 'POST', `/api/events/${eventId}/reports`, {
      kind: 'initial',
      elements: partial,
    });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('missing_elements');
    expect(r.body.error.details.missing).toEqual(['cause', 'casualties']);
    expect(r.body.error.message).toContain('报告缺少要素');
  });

  it('a missing element marked 待核实 with a reason is accepted and stays visible', async () => {
    const { loss: _l, ...partial } = fullElements();
    const r = await t.call('cgz_xxy', 'POST', `/api/events/${eventId}/reports`, {
      kind: 'initial',
      elements: partial,
      pendingElements: { loss: '损失正在核实' },
    });
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('draft');
    reportId = r.body.id;
  });

  it('submitting puts an Ⅳ report in front of the leader in charge', async () => {
    const r = await t.call('cgz_xxy', 'POST', `/api/reports/${reportId}/submit`);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('awaiting_approval');
    const inbox = await t.call('cgz_fgld', 'GET', '/api/inbox');
    expect(inbox.body.awaitingApproval.map((x: any) => x.id)).toContain(reportId);
  });

  it('a leader of another township cannot approve it (403) and cannot even see the event (404)', async () => {
    const r = await t.call('hsz_ld', 'POST', `/api/reports/${reportId}/approve`);
    expect(r.status).toBe(404);
    const dc = await t.call('dc_fgld', 'POST', `/api/reports/${reportId}/approve`);
    expect(dc.status).toBe(403);
    expect(dc.body.error.code).toBe('not_your_unit');
  });

  it('the county intake does not have it before approval', async () => {
    const r = await t.call('dc_xxk', 'GET', '/api/intake');
    expect(r.body.items.map((x: any) => x.reportId)).not.toContain(reportId);
  });

  it('approval by the leader in charge sends it: the township written deadline is met and the county intake has it', async () => {
    t.clock.advanceMinutes(5);
    const r = await t.call('cgz_fgld', 'POST', `/api/reports/${reportId}/approve`, { comment: '同意报出' });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('sent');
    const ev = await t.call('cgz_xxy', 'GET', `/api/events/${eventId}`);
    const w = ev.body.deadlines.find((x: any) => x.fromUnitId === U['城关街道'] && x.channel === 'written');
    expect(w.status).toBe('met');
    expect(w.metAt).toBe(r.body.sentAt instanceof Date ? r.body.sentAt.toISOString() : r.body.sentAt);
    expect(ev.body.pendingElements.map((p: any) => p.element)).toEqual(['loss']);
    const intake = await t.call('dc_zby', 'GET', '/api/intake');
    const item = intake.body.items.find((x: any) => x.reportId === reportId);
    expect(item).toMatchObject({ eventId, fromUnitId: U['城关街道'], signedAt: null });
  });

  it('a unit the report was not addressed to cannot sign for it', async () => {
    const r = await t.call('sz_xxk', 'POST', `/api/reports/${reportId}/sign`);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('not_addressed_to_you');
  });

  it('the first signature at the county counts; a second officer sees the same signature', async () => {
    t.clock.advanceMinutes(1);
    const a = await t.call('dc_zby', 'POST', `/api/reports/${reportId}/sign`);
    expect(a.status).toBe(200);
    expect(a.body.signedAt).toBeTruthy();
    t.clock.advanceMinutes(1);
    const b = await t.call('dc_xxk', 'POST', `/api/reports/${reportId}/sign`);
    expect(b.body.signedAt).toBe(a.body.signedAt);
    const intake = await t.call('dc_xxk', 'GET', '/api/intake');
    expect(intake.body.items.find((x: any) => x.reportId === reportId).signedAt).toBe(a.body.signedAt);
  });

  it('the county composes its own report from the township report and sends it up to the city', async () => {
    const draft = await t.call('dc_xxk', 'POST', `/api/events/${eventId}/reports`, {
      kind: 'initial',
      elements: fullElements({ contact: '刘芳 0992-810000' }),
      sourceReportIds: [reportId],
    });
    expect(draft.status).toBe(201);
    expect(draft.body.unitId).toBe(U['东城区']);
    const sub = await t.call('dc_xxk', 'POST', `/api/reports/${draft.body.id}/submit`);
    expect(sub.body.status).toBe('awaiting_approval');
    const ok = await t.call('dc_fgld', 'POST', `/api/reports/${draft.body.id}/approve`);
    expect(ok.body.status).toBe('sent');
    const city = await t.call('sz_xxk', 'GET', '/api/intake');
    expect(city.body.items.find((x: any) => x.reportId === draft.body.id)).toMatchObject({
      fromUnitId: U['东城区'],
    });
    const ev = await t.call('sz_xxk', 'GET', `/api/events/${eventId}`);
    const cw = ev.body.deadlines.find((x: any) => x.fromUnitId === U['东城区'] && x.channel === 'written');
    expect(cw.status).toBe('met');
    const phone = ev.body.deadlines.find((x: any) => x.fromUnitId === U['东城区'] && x.channel === 'phone');
    expect(phone.status).toBe('pending'); // a written report never replaces the call
  });

  it('follow-ups are numbered 续报一, 续报二 and need at least one element', async () => {
    const empty = await t.call('cgz_xxy', 'POST', `/api/events/${eventId}/reports`, {
      kind: 'followup',
      elements: {},
    });
    expect(empty.status).toBe(422);
    const a = await t.call('cgz_xxy', 'POST', `/api/events/${eventId}/reports`, {
      kind: 'followup',
      elements: { loss: '直接经济损失约 3 万元' },
    });
    const b = await t.call('cgz_xxy', 'POST', `/api/events/${eventId}/reports`, {
      kind: 'followup',
      elements: { measures: '路口已恢复通行' },
    });
    expect([a.body.label, b.body.label]).toEqual(['续报一', '续报二']);
  });

  it('a follow-up showing fewer deaths without an explanation is flagged as a contradiction', async () => {
    const ev = await t.call('cgz_xxy', 'POST', '/api/events', eventBody({ title: '矛盾测试', level: 'IV' }));
    const first = await t.call('cgz_xxy', 'POST', `/api/events/${ev.body.id}/reports`, {
      kind: 'initial',
      elements: fullElements({ casualties: { dead: 2 } }),
      fastTrack: true,
    });
    await t.call('cgz_xxy', 'POST', `/api/reports/${first.body.id}/submit`);
    const f = await t.call('cgz_xxy', 'POST', `/api/events/${ev.body.id}/reports`, {
      kind: 'followup',
      elements: { casualties: { dead: 1 } },
    });
    expect(f.body.contradictions).toEqual([
      expect.objectContaining({ type: 'deaths_decreased', before: 2, after: 1 }),
    ]);
    const explained = await t.call('cgz_xxy', 'POST', `/api/events/${ev.body.id}/reports`, {
      kind: 'followup',
      elements: { casualties: { dead: 1 }, correction: '经核实，其中 1 人为重复统计' },
    });
    expect(explained.body.contradictions).toEqual([]);
  });
});

describe('fast track and approvals', () => {
  it('a Ⅱ report on fast track is sent at submit and the skipped leaders owe countersignatures', async () => {
    const ev = await t.call(
      'cgz_xxy',
      'POST',
      '/api/events',
      eventBody({ title: '化工厂爆炸', categoryCode: '12D02', level: 'II' }),
    );
    expect(ev.body.mustReport.rules).toEqual(['statutory', 'serious']);
    const phone = ev.body.deadlines.find((x: any) => x.fromUnitId === U['城关街道'] && x.channel === 'phone');
    expect(new Date(phone.dueAt).getTime() - new Date(ev.body.occurredAt).getTime()).toBe(10 * 60_000);
    expect(
      ev.body.deadlines.some((x: any) => x.fromUnitId === U['示例市'] && x.toUnitId === U['示例省']),
    ).toBe(true);
    const rep = await t.call('cgz_xxy', 'POST', `/api/events/${ev.body.id}/reports`, {
      kind: 'initial',
      elements: fullElements(),
      fastTrack: true,
    });
    const sub = await t.call('cgz_xxy', 'POST', `/api/reports/${rep.body.id}/submit`);
    expect(sub.body.status).toBe('sent');
    expect(sub.body.countersignatures.map((c: any) => [c.step, c.status])).toEqual([
      ['approver', 'outstanding'],
      ['principal', 'outstanding'],
    ]);
    const notes = await t.tdb.pool.query(
      `select n.kind from notifications n join users u on u.id = n.user_id where u.username = 'cgz_fgld' and n.kind = 'countersign.needed'`,
    );
    expect(notes.rowCount).toBeGreaterThan(0);
    const c1 = await t.call('cgz_fgld', 'POST', `/api/reports/${rep.body.id}/countersign`);
    expect(c1.body.countersignatures[0]).toMatchObject({ step: 'approver', status: 'done' });
    expect(c1.body.countersignatures[1]).toMatchObject({ step: 'principal', status: 'outstanding' });
    const again = await t.call('cgz_fgld', 'POST', `/api/reports/${rep.body.id}/countersign`);
    expect(again.status).toBe(409);
    const c2 = await t.call('cgz_zyfzr', 'POST', `/api/reports/${rep.body.id}/countersign`);
    expect(c2.body.countersignatures.every((c: any) => c.status === 'done')).toBe(true);
  });

  it('a Ⅲ report needs the leader in charge and then the principal', async () => {
    const ev = await t.call('cgz_xxy', 'POST', '/api/events', eventBody({ title: '三级事件', level: 'III' }));
    const rep = await t.call('cgz_xxy', 'POST', `/api/events/${ev.body.id}/reports`, {
      kind: 'initial',
      elements: fullElements(),
    });
    await t.call('cgz_xxy', 'POST', `/api/reports/${rep.body.id}/submit`);
    const a = await t.call('cgz_fgld', 'POST', `/api/reports/${rep.body.id}/approve`);
    expect(a.body.status).toBe('awaiting_approval');
    expect((await t.call('cgz_fgld', 'POST', `/api/reports/${rep.body.id}/approve`)).status).toBe(403);
    const b = await t.call('cgz_zyfzr', 'POST', `/api/reports/${rep.body.id}/approve`);
    expect(b.body.status).toBe('sent');
  });

  it('a principal approving first completes the steps below', async () => {
    const ev = await t.call(
      'cgz_xxy',
      'POST',
      '/api/events',
      eventBody({ title: '主要负责人先签', level: 'III' }),
    );
    const rep = await t.call('cgz_xxy', 'POST', `/api/events/${ev.body.id}/reports`, {
      kind: 'initial',
      elements: fullElements(),
    });
    await t.call('cgz_xxy', 'POST', `/api/reports/${rep.body.id}/submit`);
    const b = await t.call('cgz_zyfzr', 'POST', `/api/reports/${rep.body.id}/approve`);
    expect(b.body.status).toBe('sent');
  });

  it('one person holding both roles approves once per role', async () => {
    const ev = await t.call(
      'hsz_xxy',
      'POST',
      '/api/events',
      eventBody({ title: '河西镇三级事件', level: 'III', place: { address: '河西镇' } }),
    );
    const rep = await t.call('hsz_xxy', 'POST', `/api/events/${ev.body.id}/reports`, {
      kind: 'initial',
      elements: fullElements(),
    });
    await t.call('hsz_xxy', 'POST', `/api/reports/${rep.body.id}/submit`);
    const a = await t.call('hsz_ld', 'POST', `/api/reports/${rep.body.id}/approve`);
    expect(a.body.status).toBe('awaiting_approval');
    const b = await t.call('hsz_ld', 'POST', `/api/reports/${rep.body.id}/approve`);
    expect(b.body.status).toBe('sent');
  });

  it('a returned report goes back to its drafter with the reason and can be resubmitted', async () => {
    const ev = await t.call('cgz_xxy', 'POST', '/api/events', eventBody({ title: '退回测试' }));
    const rep = await t.call('cgz_xxy', 'POST', `/api/events/${ev.body.id}/reports`, {
      kind: 'initial',
      elements: fullElements(),
    });
    await t.call('cgz_xxy', 'POST', `/api/reports/${rep.body.id}/submit`);
    const ret = await t.call('cgz_fgld', 'POST', `/api/reports/${rep.body.id}/return`, {
      reason: '伤亡人数请再核实',
    });
    expect(ret.body).toMatchObject({ status: 'returned', returnReason: '伤亡人数请再核实' });
    const again = await t.call('cgz_xxy', 'POST', `/api/reports/${rep.body.id}/submit`);
    expect(again.body.status).toBe('awaiting_approval');
  });
});

describe('refusals', () => {
  it('malformed ids and dates are 400 with the error shape', async () => {
    const a = await t.call('cgz_xxy', 'GET', '/api/events/not-a-uuid');
    expect(a.status).toBe(400);
    expect(a.body.error.code).toBe('validation');
    const b = await t.call('cgz_xxy', 'POST', '/api/events', eventBody({ occurredAt: '昨天下午' }));
    expect(b.status).toBe(400);
    expect(b.body.error.details.issues[0].path).toContain('occurredAt');
  });

  it('a list cursor that is not ours is a 400, not a server error', async () => {
    for (const url of [
      '/api/intake?cursor=-1',
      '/api/events?cursor=eyJ4IjoxfQ',
      `/api/intake?cursor=${Buffer.from('{"u":1,"t":"x","id":"y"}').toString('base64url')}`,
    ]) {
      const r = await t.call('dc_xxk', 'GET', url);
      expect(r.status, url).toBe(400);
      expect(r.body.error.code).toMatch(/bad_cursor|validation/);
    }
  });

  it('an event in the future or with an unknown category is refused and nothing is written', async () => {
    const before = (await t.tdb.pool.query('select count(*)::int n from events')).rows[0].n;
    const f = await t.call(
      'cgz_xxy',
      'POST',
      '/api/events',
      eventBody({ occurredAt: new Date(t.clock.now().getTime() + 3600_000).toISOString() }),
    );
    expect(f.status).toBe(400);
    expect(f.body.error.code).toBe('occurred_in_future');
    const c = await t.call('cgz_xxy', 'POST', '/api/events', eventBody({ categoryCode: '12Z77' }));
    expect(c.status).toBe(400);
    expect(c.body.error.code).toBe('unknown_category');
    expect((await t.tdb.pool.query('select count(*)::int n from events')).rows[0].n).toBe(before);
  });

  it('a repeated Idempotency-Key returns the same report and creates no duplicate', async () => {
    const ev = await t.call('cgz_xxy', 'POST', '/api/events', eventBody({ title: '幂等测试' }));
    const h = { 'idempotency-key': 'rep-1' };
    const body = { kind: 'initial', elements: fullElements() };
    const a = await t.call('cgz_xxy', 'POST', `/api/events/${ev.body.id}/reports`, body, h);
    const b = await t.call('cgz_xxy', 'POST', `/api/events/${ev.body.id}/reports`, body, h);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    const n = await t.tdb.pool.query('select count(*)::int n from reports where event_id = $1', [ev.body.id]);
    expect(n.rows[0].n).toBe(1);
  });

  it('two concurrent requests with one key: one does the work, the other gets its result', async () => {
    const h = { 'idempotency-key': 'evt-concurrent' };
    const body = eventBody({ title: '并发幂等' });
    const [a, b] = await Promise.all([
      t.call('cgz_xxy', 'POST', '/api/events', body, h),
      t.call('cgz_xxy', 'POST', '/api/events', body, h),
    ]);
    expect([a.status, b.status].every((s) => s === 201 || s === 409)).toBe(true);
    const n = await t.tdb.pool.query(`select count(*)::int n from events where title = '并发幂等'`);
    expect(n.rows[0].n).toBe(1);
  });
});

describe('phone reports and inverted flow', () => {
  it('the county records a township call: the phone report is the township own report, not inverted flow', async () => {
    const r = await t.call(
      'dc_zby',
      'POST',
      '/api/events',
      eventBody({
        title: '城关街道民房火灾',
        categoryCode: '12G01',
        level: 'III',
        responsibleUnitId: U['城关街道'],
        source: 'phone',
        callerUnitId: U['城关街道党政办'],
        callerName: '李晓梅',
        callerPhone: '13800000000',
        calledAt: minutesAgo(5),
      }),
    );
    expect(r.status).toBe(201);
    expect(r.body.flags.invertedFlow).toEqual([]);
    const phone = r.body.reports.find((x: any) => x.kind === 'phone');
    expect(phone).toMatchObject({ unitId: U['城关街道'], status: 'recorded', callerName: '李晓梅' });
    const pd = r.body.deadlines.find((x: any) => x.fromUnitId === U['城关街道'] && x.channel === 'phone');
    expect(pd).toMatchObject({ status: 'met', metAt: minutesAgo(5) });
    const wd = r.body.deadlines.find((x: any) => x.fromUnitId === U['城关街道'] && x.channel === 'written');
    expect(wd.status).toBe('pending');
  });

  it('a phone registration without caller fields is refused', async () => {
    const r = await t.call(
      'dc_zby',
      'POST',
      '/api/events',
      eventBody({ source: 'phone', responsibleUnitId: U['城关街道'] }),
    );
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('caller_required');
    expect(r.body.error.details.missing).toEqual(['callerUnitId', 'callerName', 'callerPhone']);
  });

  it('an event the city learns of from the media first flags the township and county, and is judged late at once', async () => {
    const r = await t.call(
      'sz_xxk',
      'POST',
      '/api/events',
      eventBody({
        title: '网传城关街道一工地坍塌',
        categoryCode: '12C00',
        level: 'IV',
        occurredAt: minutesAgo(90),
        responsibleUnitId: U['城关街道'],
        source: 'media',
      }),
    );
    expect(r.status).toBe(201);
    expect(r.body.flags.invertedFlow.sort()).toEqual([U['城关街道'], U['东城区']].sort());
    const w = r.body.deadlines.find((x: any) => x.fromUnitId === U['城关街道']);
    expect(w.status).toBe('late');
    const township = await t.call('cgz_xxy', 'GET', `/api/events/${r.body.id}`);
    expect(township.status).toBe(200);
  });

  it('an event registered 25 hours after it happened, never reported, is missed', async () => {
    const r = await t.call(
      'dc_xxk',
      'POST',
      '/api/events',
      eventBody({
        title: '迟到一天的事件',
        occurredAt: minutesAgo(25 * 60),
        responsibleUnitId: U['城关街道'],
        source: 'public',
      }),
    );
    const w = r.body.deadlines.find((x: any) => x.fromUnitId === U['城关街道']);
    expect(w.status).toBe('missed');
    expect(r.body.flags.invertedFlow).toEqual([U['城关街道']]);
  });
});

describe('changes of level, must-report triggers, requests and 三同时一提前', () => {
  it('raising the level recomputes open deadlines from occurrence and new ones count from the change', async () => {
    const ev = await t.call(
      'cgz_xxy',
      'POST',
      '/api/events',
      eventBody({ title: '升级测试', occurredAt: minutesAgo(5) }),
    );
    t.clock.advanceMinutes(10);
    const p = await t.call('dc_xxk', 'PATCH', `/api/events/${ev.body.id}`, {
      level: 'II',
      reason: '死亡人数上升至 12 人',
    });
    expect(p.status).toBe(200);
    const w = p.body.deadlines.find((x: any) => x.fromUnitId === U['城关街道'] && x.channel === 'written');
    expect(new Date(w.dueAt).getTime() - new Date(ev.body.occurredAt).getTime()).toBe(20 * 60_000);
    const ph = p.body.deadlines.find((x: any) => x.fromUnitId === U['城关街道'] && x.channel === 'phone');
    expect(new Date(ph.dueAt).getTime() - t.clock.now().getTime()).toBe(10 * 60_000);
    expect(p.body.changes).toEqual([
      expect.objectContaining({
        reason: '死亡人数上升至 12 人',
        changes: { level: { from: 'IV', to: 'II' } },
      }),
    ]);
    expect(w.history.length).toBe(1);
    const cityToProvince = p.body.deadlines.find((x: any) => x.fromUnitId === U['示例市']);
    expect(cityToProvince.toUnitId).toBe(U['示例省']);
  });

  it('a change without a reason is refused', async () => {
    const ev = await t.call('cgz_xxy', 'POST', '/api/events', eventBody({ title: '无理由修改' }));
    const r = await t.call('cgz_xxy', 'PATCH', `/api/events/${ev.body.id}`, { level: 'III' });
    expect(r.status).toBe(400);
  });

  it('an ungraded event with no rule firing owes nothing; a request from above makes it must-report from that moment', async () => {
    const ev = await t.call(
      'cgz_xxy',
      'POST',
      '/api/events',
      eventBody({
        title: '邻里纠纷',
        categoryCode: '14Y00',
        level: null,
        casualties: null,
        place: { address: '城关街道某小区' },
      }),
    );
    expect(ev.body.mustReport).toMatchObject({ required: false, rules: [] });
    expect(ev.body.deadlines).toEqual([]);
    t.clock.advanceMinutes(30);
    const q = await t.call('dc_xxk', 'POST', `/api/events/${ev.body.id}/requests`, {
      toUnitId: U['城关街道'],
      message: '请立即核实并书面报告',
    });
    expect(q.status).toBe(201);
    const after = await t.call('cgz_xxy', 'GET', `/api/events/${ev.body.id}`);
    expect(after.body.mustReport.rules).toEqual(['requested']);
    const w = after.body.deadlines.find((x: any) => x.fromUnitId === U['城关街道']);
    expect(new Date(w.dueAt).getTime() - t.clock.now().getTime()).toBe(60 * 60_000);
    const inbox = await t.call('cgz_xxy', 'GET', '/api/inbox');
    expect(inbox.body.requests[0]).toMatchObject({
      eventId: ev.body.id,
      message: '请立即核实并书面报告',
      answeredReportId: null,
    });
    const rep = await t.call('cgz_xxy', 'POST', `/api/events/${ev.body.id}/reports`, {
      kind: 'initial',
      elements: fullElements(),
      fastTrack: true,
    });
    await t.call('cgz_xxy', 'POST', `/api/reports/${rep.body.id}/submit`);
    const answered = await t.call('cgz_xxy', 'GET', '/api/inbox');
    expect(answered.body.requests.find((x: any) => x.eventId === ev.body.id).answeredReportId).toBe(
      rep.body.id,
    );
  });

  it('a township cannot send requests upward', async () => {
    const ev = await t.call('cgz_xxy', 'POST', '/api/events', eventBody({ title: '反向调度' }));
    const r = await t.call('cgz_fgld', 'POST', `/api/events/${ev.body.id}/requests`, {
      toUnitId: U['东城区'],
      message: 'x',
    });
    expect(r.status).toBe(403);
  });

  it('a department report reaches the party office of its area; release is refused until then', async () => {
    const ev = await t.call(
      'dc_ga_xxy',
      'POST',
      '/api/events',
      eventBody({
        title: '东城区一商场发生盗窃案',
        categoryCode: '14B00',
        level: null,
        flags: { mayEscalate: true },
      }),
    );
    expect(ev.body.responsibleUnitId).toBe(U['东城区公安分局']);
    const pub = await t.call('dc_ga_xxy', 'POST', `/api/events/${ev.body.id}/publish`, { text: '警情通报' });
    expect(pub.status).toBe(409);
    expect(pub.body.error.code).toBe('party_office_not_informed');
    const rep = await t.call('dc_ga_xxy', 'POST', `/api/events/${ev.body.id}/reports`, {
      kind: 'initial',
      elements: fullElements(),
      recipients: [U['东城区应急管理局（应急办）']],
      fastTrack: true,
    });
    await t.call('dc_ga_xxy', 'POST', `/api/reports/${rep.body.id}/submit`);
    const intake = await t.call('dc_xxk', 'GET', '/api/intake');
    expect(intake.body.items.some((x: any) => x.reportId === rep.body.id)).toBe(true);
    const ok = await t.call('dc_ga_xxy', 'POST', `/api/events/${ev.body.id}/publish`, { text: '警情通报' });
    expect(ok.status).toBe(201);
  });
});
