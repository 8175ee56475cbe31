import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../../../tests/helpers/app.js';
import { sweepAll } from '../../floor/timers.js';
import { TIMERS } from '../../server/modules.js';

let t: TestApp;
const u: Record<string, string> = {};
let eventId: string;
let planId: string;
const MIN = 60_000;

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  for (const n of [
    '东城区',
    '西山县',
    '城关街道',
    '东城区公安分局',
    '东城区应急管理局（应急办）',
    '西山县委办公室',
    '城关街道党政办',
    '河西镇',
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
  await mk('xs_ld', '西山县委办公室', ['leader', 'editor']);
  await mk('cg_editor', '城关街道党政办', ['editor']);
  const ev = await t.call('cgz_xxy', 'POST', '/api/events', {
    title: '城关街道一商场起火',
    categoryCode: '12G02',
    level: 'IV',
    occurredAt: new Date(t.clock.now().getTime() - 10 * MIN).toISOString(),
    place: { address: '城关街道人民路1号', lng: 116.41, lat: 39.905 },
  });
  expect(ev.status).toBe(201);
  eventId = ev.body.id;
});
afterAll(async () => t?.close());

const plan = (over: Record<string, unknown> = {}) => ({
  title: '东城区火灾事故应急预案',
  kind: 'special',
  ownerUnitId: u['东城区'],
  categoryCodes: ['12G00'],
  levels: ['II', 'III', 'IV'],
  reviseBy: '2029-12-31',
  tasks: [
    { level: 'IV', title: '封控现场、疏导交通', unitId: u['东城区公安分局'], withinMinutes: 15 },
    { level: 'IV', title: '组织群众疏散并报告伤亡', unitId: u['城关街道'], withinMinutes: 30 },
    {
      level: 'III',
      title: '调集救援物资和专家到场',
      unitId: u['东城区应急管理局（应急办）'],
      withinMinutes: 60,
    },
  ],
  supplies: [{ itemCode: 'D01', quantity: 200 }],
  ...over,
});
const plans = async () => (await t.tdb.pool.query('select count(*)::int n from plans')).rows[0].n as number;

describe('plans', () => {
  it('an editor of the owner registers a plan: version 1 in force, tasks per level, supplies; logged', async () => {
    const r = await t.call('dc_xxk', 'POST', '/api/plans', plan());
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      title: '东城区火灾事故应急预案',
      kind: 'special',
      ownerUnitId: u['东城区'],
      version: 1,
      status: 'published',
      categoryCodes: ['12G00'],
      levels: ['II', 'III', 'IV'],
      reviseBy: '2029-12-31',
      supplies: [{ itemCode: 'D01', itemName: '灭火器', unit: '具', quantity: 200 }],
      can: { edit: true, activate: false },
    });
    expect(r.body.tasks[0]).toMatchObject({ unitName: '东城区公安分局', withinMinutes: 15 });
    planId = r.body.id;
    const log = await t.tdb.pool.query(
      `select count(*)::int n from audit_log where stream = $1 and action = 'plan_created'`,
      [`plan:${planId}`],
    );
    expect(log.rows[0].n).toBe(1);
    // read across the county and by the city; the leader of the area may activate it
    expect((await t.call('dc_ld', 'GET', `/api/plans/${planId}`)).body.can.activate).toBe(true);
    expect((await t.call('sz_xxk', 'GET', '/api/plans')).body.items.map((p: any) => p.id)).toContain(planId);
    expect((await t.call('xs_ld', 'GET', `/api/plans/${planId}`)).status).toBe(404);
    expect((await t.call('xs_ld', 'GET', '/api/plans')).body.items).toEqual([]);
  });

  it('refuses a wrong role (403 before the body), another unit’s editor, bad levels, units outside the area', async () => {
    const before = await plans();
    expect((await t.call('dc_zby', 'POST', '/api/plans', { nonsense: 1 })).status).toBe(403);
    expect((await t.call('cg_editor', 'POST', '/api/plans', plan())).status).toBe(403);
    expect((await t.call('xs_ld', 'POST', '/api/plans', plan())).status).toBe(403);
    const lvl = await t.call('dc_xxk', 'POST', '/api/plans', plan({ levels: ['IV'] }));
    expect(lvl.status).toBe(422);
    expect(lvl.body.error.code).toBe('plan_task_level_not_in_plan');
    const far = await t.call(
      'dc_xxk',
      'POST',
      '/api/plans',
      plan({ tasks: [{ level: 'IV', title: '越界', unitId: u['河西镇'], withinMinutes: 10 }] }),
      { 'accept-language': 'en' },
    );
    expect(far.status).toBe(422);
    expect(far.body.error.code).toBe('plan_task_unit_out_of_area');
    expect(far.body.error.message).toContain("owner's area");
    const noCat = await t.call('dc_xxk', 'POST', '/api/plans', plan({ categoryCodes: [] }));
    expect(noCat.status).toBe(400);
    expect(noCat.body.error.message).toContain('总体预案');
    expect(await plans()).toBe(before);
  });
});

describe('activation', () => {
  const activate = (who: string, level: string, id = planId) =>
    t.call(who, 'POST', `/api/plans/${id}/activate`, { eventId, level });

  it('refuses an editor (role), a township principal for a county plan, and the sibling county', async () => {
    const r = await activate('dc_xxk', 'IV');
    expect(r.status).toBe(403);
    expect(r.body.error.details.requiredRoles).toEqual(['leader', 'principal', 'duty_leader']);
    const town = await activate('cgz_zyfzr', 'IV');
    expect(town.status).toBe(403);
    expect((await activate('xs_ld', 'IV')).status).toBe(404);
    expect((await t.tdb.pool.query('select count(*)::int n from plan_activations')).rows[0].n).toBe(0);
  });

  it('the area’s leader activates level Ⅳ: its tasks become supervised tasks due withinMinutes later, duty rooms alerted urgently', async () => {
    const now = t.clock.now().getTime();
    const r = await activate('dc_ld', 'IV');
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ planId, eventId, level: 'IV', planVersion: 1, warning: null });
    expect(r.body.tasks).toHaveLength(2);
    const police = r.body.tasks.find((x: any) => x.unitId === u['东城区公安分局']);
    expect(police).toMatchObject({
      title: '封控现场、疏导交通',
      status: 'open',
      dueAt: new Date(now + 15 * MIN).toISOString(),
    });
    const task = await t.call('dc_ga_xxy', 'GET', `/api/tasks/${police.id}`);
    expect(task.status).toBe(200);
    expect(task.body).toMatchObject({
      source: 'event',
      sourceId: eventId,
      ownerUnitId: u['东城区公安分局'],
      sourceLink: `/events/${eventId}`,
    });
    // the county duty room (for the police) and the township office (no duty room) get an urgent alert to acknowledge
    const alerted = await t.tdb.pool.query(
      `select distinct us.username from notifications n join users us on us.id = n.user_id
       where n.kind = 'plan.activated' and n.urgent order by 1`,
    );
    const names = alerted.rows.map((x) => x.username);
    expect(names).toEqual(expect.arrayContaining(['dc_zby', 'dc_dbld', 'cgz_xxy']));
    const log = await t.tdb.pool.query(
      `select data from audit_log where stream = $1 and action = 'plan_activated'`,
      [`event:${eventId}`],
    );
    expect(log.rows[0].data).toMatchObject({ planId, planVersion: 1, level: 'IV' });
  });

  it('the same plan at the same level twice is 409; raising the level adds only that level’s tasks', async () => {
    const again = await activate('dc_dbld', 'IV');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('plan_already_activated');
    const tasksBefore = (
      await t.tdb.pool.query(`select count(*)::int n from tasks where source_id = $1`, [eventId])
    ).rows[0].n;
    const up = await activate('dc_dbld', 'III');
    expect(up.status).toBe(201);
    expect(up.body.tasks.map((x: any) => x.title)).toEqual(['调集救援物资和专家到场']);
    const tasksAfter = (
      await t.tdb.pool.query(`select count(*)::int n from tasks where source_id = $1`, [eventId])
    ).rows[0].n;
    expect(tasksAfter - tasksBefore).toBe(1);
  });

  it('a level without tasks activates with a warning; a level the plan does not cover is 422', async () => {
    const r = await activate('dc_ld', 'II', planId);
    expect(r.status).toBe(201);
    expect(r.body.tasks).toEqual([]);
    expect(r.body.warning).toBe('no_tasks_for_level');
    expect(r.body.warningText).toContain('没有预设任务');
    const bad = await activate('dc_ld', 'I');
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('plan_level_not_in_plan');
  });

  it('the event page lists the activations and their tasks, tracked to done', async () => {
    const list = await t.call('cgz_xxy', 'GET', `/api/events/${eventId}/plan-activations`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((x: any) => x.level)).toEqual(['IV', 'III', 'II']);
    const townTask = list.body.items[0].tasks.find((x: any) => x.unitId === u['城关街道']);
    const done = await t.call('cgz_xxy', 'POST', `/api/tasks/${townTask.id}/progress`, {
      text: '已疏散群众320人，无伤亡',
      done: true,
    });
    expect(done.status).toBe(200);
    const after = await t.call('dc_ld', 'GET', `/api/events/${eventId}/plan-activations`);
    expect(after.body.items[0].tasks.find((x: any) => x.id === townTask.id).status).toBe('done');
    expect((await t.call('xs_ld', 'GET', `/api/events/${eventId}/plan-activations`)).status).toBe(404);
  });
});

describe('revisions', () => {
  const newEvent = async (title: string) => {
    const ev = await t.call('cgz_xxy', 'POST', '/api/events', {
      title,
      categoryCode: '12G01',
      level: 'IV',
      occurredAt: new Date(t.clock.now().getTime() - 5 * MIN).toISOString(),
      place: { address: '城关街道' },
    });
    expect(ev.status).toBe(201);
    return ev.body.id as string;
  };
  const revisedTasks = () => [
    { level: 'IV', title: '封控现场、疏导交通', unitId: u['东城区公安分局'], withinMinutes: 10 },
    { level: 'IV', title: '开放应急避难场所', unitId: u['城关街道'], withinMinutes: 60 },
  ];

  it('an editor drafts version 2; the version in force (1) stays activatable meanwhile; one open revision at a time', async () => {
    const r = await t.call('dc_xxk', 'POST', `/api/plans/${planId}/revisions`, {
      tasks: revisedTasks(),
      note: '根据演练发现的问题调整疏散任务',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      version: 2,
      status: 'draft',
      inForce: false,
      note: '根据演练发现的问题调整疏散任务',
    });
    expect((await t.call('dc_xxk', 'GET', `/api/plans/${planId}`)).body.version).toBe(1);
    const twice = await t.call('dc_xxk', 'POST', `/api/plans/${planId}/revisions`, {});
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('plan_revision_open');
    expect((await t.call('cg_editor', 'POST', `/api/plans/${planId}/revisions`, {})).status).toBe(403);
    expect((await t.call('dc_zby', 'POST', `/api/plans/${planId}/revisions`, {})).status).toBe(403);
    const ev = await newEvent('城关街道居民楼起火（修订期间）');
    const a = await t.call('dc_ld', 'POST', `/api/plans/${planId}/activate`, { eventId: ev, level: 'IV' });
    expect(a.status).toBe(201);
    expect(a.body.planVersion).toBe(1);
    expect(a.body.tasks.map((x: any) => x.title)).toEqual(['封控现场、疏导交通', '组织群众疏散并报告伤亡']);
  });

  it('draft → review by the editor; published by a leader of the area (not an editor, not a township); then in force', async () => {
    const sub = await t.call('dc_xxk', 'POST', `/api/plans/${planId}/revisions/2/submit`);
    expect(sub.status).toBe(200);
    expect(sub.body.status).toBe('review');
    expect((await t.call('dc_xxk', 'POST', `/api/plans/${planId}/revisions/2/submit`)).body.error.code).toBe(
      'plan_revision_not_draft',
    );
    expect((await t.call('dc_xxk', 'POST', `/api/plans/${planId}/revisions/2/publish`)).status).toBe(403);
    expect((await t.call('cgz_zyfzr', 'POST', `/api/plans/${planId}/revisions/2/publish`)).status).toBe(403);
    expect((await t.call('xs_ld', 'POST', `/api/plans/${planId}/revisions/2/publish`)).status).toBe(404);
    const pub = await t.call('dc_ld', 'POST', `/api/plans/${planId}/revisions/2/publish`);
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({ version: 2, status: 'published', inForce: true });
    const plan = await t.call('dc_xxk', 'GET', `/api/plans/${planId}`);
    expect(plan.body.version).toBe(2);
    expect(plan.body.tasks.map((x: any) => x.title)).toContain('开放应急避难场所');
    const ev = await newEvent('城关街道仓库起火（修订后）');
    const a = await t.call('dc_ld', 'POST', `/api/plans/${planId}/activate`, { eventId: ev, level: 'IV' });
    expect(a.body.planVersion).toBe(2);
    expect(a.body.tasks.map((x: any) => x.title)).toEqual(['封控现场、疏导交通', '开放应急避难场所']);
    const versions = await t.call('sz_xxk', 'GET', `/api/plans/${planId}/versions`);
    expect(versions.body.items.map((v: any) => [v.version, v.status, v.inForce])).toEqual([
      [1, 'published', false],
      [2, 'published', true],
    ]);
    const log = await t.tdb.pool.query(`select action from audit_log where stream = $1 order by seq`, [
      `plan:${planId}`,
    ]);
    expect(log.rows.map((x) => x.action)).toEqual([
      'plan_created',
      'plan_revision_drafted',
      'plan_revision_submitted',
      'plan_published',
    ]);
  });
});

describe('revision reminder', () => {
  it('30 days before the revision date the owner’s editors are reminded, once', async () => {
    const r = await t.call(
      'dc_xxk',
      'POST',
      '/api/plans',
      plan({ title: '东城区防汛应急预案', categoryCodes: ['11A00'], tasks: [], reviseBy: '2027-01-31' }),
    );
    expect(r.status).toBe(201);
    const sweep = () => sweepAll({ db: t.tdb.db, clock: t.clock, timers: TIMERS });
    const reminders = async () =>
      (
        await t.tdb.pool.query(
          `select u.username, n.title from notifications n join users u on u.id = n.user_id
           where n.kind = 'plan.revise_due' and n.data->>'planId' = $1`,
          [r.body.id],
        )
      ).rows;
    await sweep();
    expect(await reminders()).toEqual([]);
    t.clock.set('2027-01-01T16:00:00Z'); // 2027-01-02 00:00 Beijing: 30 days before the end of 2027-01-31
    await sweep();
    await sweep();
    const got = await reminders();
    expect(got.map((x) => x.username)).toEqual(['dc_xxk']);
    expect(got[0].title).toBe('【预案修订提醒】东城区防汛应急预案须于2027-01-31前完成修订');
  });
});
