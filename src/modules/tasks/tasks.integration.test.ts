import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';
import { inTx, systemCtx } from '../../floor/context.js';
import { sweepAll } from '../../floor/timers.js';
import { TIMERS } from '../../server/modules.js';
import { issueTask } from './index.js';

let t: TestApp;
let cg: string; // 城关街道
let dh: string; // 东湖街道
let hx: string; // 河西镇 (another county)
let dcOffice: string; // 东城区委办公室
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  cg = await t.unitId('城关街道');
  dh = await t.unitId('东湖街道');
  hx = await t.unitId('河西镇');
  dcOffice = await t.unitId('东城区委办公室');
});
afterAll(async () => t?.close());

/** A call with a fresh sign-in (the clock tests move time past the 7-day life of the cached sessions). */
async function fresh(username: string, method: 'GET' | 'POST', url: string, body?: unknown) {
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: 'Jibao@2026' },
  });
  return t.call(null, method, url, body, { authorization: `Bearer ${login.json().token}` });
}
const sweep = () => sweepAll({ db: t.tdb.db, clock: t.clock, timers: TIMERS });
const inDays = (n: number) => new Date(t.clock.now().getTime() + n * DAY).toISOString();
const task = (over: Record<string, unknown> = {}) => ({
  title: '落实区委常委会议关于燃气安全排查的部署',
  source: 'meeting',
  ownerUnitId: cg,
  dueAt: inDays(10),
  ...over,
});
const count = async (q: string, params: unknown[] = []) =>
  (await t.tdb.pool.query(q, params)).rows[0].n as number;
const taskCount = () => count('select count(*)::int n from tasks');
const logCount = (taskId: string, action: string) =>
  count(`select count(*)::int n from audit_log where stream = $1 and action = $2`, [
    `task:${taskId}`,
    action,
  ]);
const notes = (taskId: string, kind: string) =>
  count(`select count(*)::int n from notifications where kind = $1 and data->>'taskId' = $2`, [kind, taskId]);
const noteUsers = async (taskId: string, kind: string) =>
  (
    await t.tdb.pool.query(
      `select distinct u.username from notifications n join users u on u.id = n.user_id
       where n.kind = $1 and n.data->>'taskId' = $2 order by 1`,
      [kind, taskId],
    )
  ).rows.map((r) => r.username);

describe('issuing a supervised task', () => {
  it('refuses without sign-in (401), a role that does not issue (403, before the body is read) and a department (403)', async () => {
    const before = await taskCount();
    expect((await t.call(null, 'POST', '/api/tasks', task())).status).toBe(401);
    expect((await t.call(null, 'GET', '/api/tasks')).status).toBe(401);
    const duty = await t.call('dc_zby', 'POST', '/api/tasks', { nonsense: true });
    expect(duty.status).toBe(403);
    const reporter = await t.call('cgz_xxy', 'POST', '/api/tasks', task());
    expect(reporter.status).toBe(403);
    // a principal, but of a department, not of an area's office
    const dept = await t.call('dc_ga_ld', 'POST', '/api/tasks', task());
    expect(dept.status).toBe(403);
    expect(dept.body.error.code).toBe('task_issuer_not_office');
    // an owner outside the issuing area
    const far = await t.call('dc_ld', 'POST', '/api/tasks', task({ ownerUnitId: hx }));
    expect(far.status).toBe(403);
    expect(far.body.error.message).toContain('不在您所在区域');
    expect(await taskCount()).toBe(before);
  });

  it('bad input is a 400 in the caller’s language and writes nothing', async () => {
    const before = await taskCount();
    const zh = await t.call('dc_ld', 'POST', '/api/tasks', task({ title: '  ', dueAt: 'next friday' }));
    expect(zh.status).toBe(400);
    expect(zh.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    const en = await t.call('dc_ld', 'POST', '/api/tasks', task({ source: 'rumour' }), {
      'accept-language': 'en',
    });
    expect(en.status).toBe(400);
    expect(en.body.error.message).not.toMatch(/[\u4e00-\u9fff]/);
    const noDue = await t.call('dc_ld', 'POST', '/api/tasks', task({ dueAt: undefined }), {
      'accept-language': 'en',
    });
    expect(noDue.status).toBe(400);
    expect(noDue.body.error.code).toBe('task_due_required');
    expect(noDue.body.error.message).toContain('due time');
    expect(await taskCount()).toBe(before);
  });

  it('a date-only due means the end of that day, Beijing time; the issuer sees it open, the owner may report', async () => {
    const r = await t.call(
      'dc_ld',
      'POST',
      '/api/tasks',
      task({ dueAt: '2027-04-30', leaderName: '林书记' }),
    );
    expect(r.status).toBe(201);
    expect(r.body.dueAt).toBe('2027-04-30T15:59:59.999Z');
    expect(r.body).toMatchObject({
      status: 'open',
      overdue: false,
      completedAt: null,
      ownerUnitId: cg,
      ownerUnitName: '城关街道',
      issuerUnitName: '东城区',
      leaderName: '林书记',
      can: { progress: false, reopen: false },
    });
    const owner = await t.call('cgz_xxy', 'GET', `/api/tasks/${r.body.id}`);
    expect(owner.status).toBe(200);
    expect(owner.body.can).toEqual({ progress: true, reopen: false });
    // the owner unit was told
    expect(await noteUsers(r.body.id, 'task.assigned')).toEqual(
      expect.arrayContaining(['cgz_xxy', 'cgz_zyfzr']),
    );
    expect(await logCount(r.body.id, 'task_issued')).toBe(1);
  });

  it('an office given as the owner stands for its area; "5 工作日" skips the weekend', async () => {
    const office = await t.unitId('城关街道党政办');
    const r = await t.call('dc_xxk', 'POST', '/api/tasks', {
      title: '报送冬季安全生产工作方案',
      source: 'document',
      ownerUnitId: office,
      dueInDays: 5,
      workingDays: true,
    });
    expect(r.status).toBe(201);
    expect(r.body.ownerUnitId).toBe(cg);
    // Monday 2026-11-23 + 5 working days = Monday 2026-11-30, end of day
    expect(r.body.dueAt).toBe('2026-11-30T15:59:59.999Z');
  });

  it('a repeat with the same Idempotency-Key returns the first task and creates nothing', async () => {
    const before = await taskCount();
    const h = { 'idempotency-key': 'task-repeat-1' };
    const a = await t.call('dc_ld', 'POST', '/api/tasks', task({ title: '重复提交测试' }), h);
    const b = await t.call('dc_ld', 'POST', '/api/tasks', task({ title: '重复提交测试' }), h);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(await taskCount()).toBe(before + 1);
    const other = await t.call('dc_ld', 'POST', '/api/tasks', task({ title: '换了内容' }), h);
    expect(other.status).toBe(422);
  });
});

describe('seeing and progressing a task', () => {
  it('a sibling unit and another county get 404; lists never show them the task', async () => {
    const r = await t.call(
      'dc_ld',
      'POST',
      '/api/tasks',
      task({ ownerUnitId: dh, title: '东湖街道专项督办' }),
    );
    expect(r.status).toBe(201);
    for (const who of ['cgz_xxy', 'hsz_xxy']) {
      expect((await t.call(who, 'GET', `/api/tasks/${r.body.id}`)).status).toBe(404);
      expect((await t.call(who, 'POST', `/api/tasks/${r.body.id}/progress`, { text: '冒充' })).status).toBe(
        404,
      );
      const list = await t.call(who, 'GET', '/api/tasks');
      expect(list.body.items.map((x: any) => x.id)).not.toContain(r.body.id);
    }
    // the county sees it; the city above too
    expect((await t.call('dc_zby', 'GET', `/api/tasks/${r.body.id}`)).status).toBe(200);
    expect((await t.call('sz_ld', 'GET', `/api/tasks/${r.body.id}`)).status).toBe(200);
  });

  it('a past due (paper task entered afterwards) is overdue at once and listed first', async () => {
    const r = await t.call(
      'dc_ld',
      'POST',
      '/api/tasks',
      task({ title: '补录：十月排查报告', dueAt: '2026-10-31' }),
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'overdue', overdue: true });
    const list = await t.call('cgz_xxy', 'GET', '/api/tasks');
    expect(list.status).toBe(200);
    const statuses = list.body.items.map((x: any) => x.status);
    expect(statuses[0]).toBe('overdue');
    expect(statuses.lastIndexOf('overdue')).toBeLessThan(statuses.indexOf('open'));
    const overdue = await t.call('cgz_xxy', 'GET', '/api/tasks?status=overdue');
    expect(overdue.body.items.every((x: any) => x.overdue)).toBe(true);
    expect(overdue.body.items.map((x: any) => x.id)).toContain(r.body.id);
  });

  it('only the owner unit reports; done sets completedAt; the issuer reopens with a reason, nobody else', async () => {
    const r = await t.call('dc_ld', 'POST', '/api/tasks', task({ title: '办结与退回' }));
    const id = r.body.id;
    expect((await t.call('dc_ld', 'POST', `/api/tasks/${id}/progress`, { text: '替写' })).status).toBe(403);
    const p1 = await t.call('cgz_xxy', 'POST', `/api/tasks/${id}/progress`, { text: '已排查 12 户' });
    expect(p1.status).toBe(200);
    expect(p1.body).toMatchObject({ status: 'open', completedAt: null });
    expect(p1.body.lastProgressAt).toBe(t.clock.now().toISOString());
    // not done yet: nothing to reopen
    expect((await t.call('dc_ld', 'POST', `/api/tasks/${id}/reopen`, { reason: '未完' })).status).toBe(409);
    const p2 = await t.call('cgz_xxy', 'POST', `/api/tasks/${id}/progress`, {
      text: '全部整改完毕',
      done: true,
    });
    expect(p2.body).toMatchObject({
      status: 'done',
      completedAt: t.clock.now().toISOString(),
      overdue: false,
    });
    expect(p2.body.progress.map((x: any) => [x.text, x.done])).toEqual([
      ['已排查 12 户', false],
      ['全部整改完毕', true],
    ]);
    expect(await noteUsers(id, 'task.done')).toEqual(['dc_ld']);
    expect((await t.call('cgz_xxy', 'POST', `/api/tasks/${id}/progress`, { text: '再报' })).status).toBe(409);
    // reopen: the owner may not, a duty officer may not, a reason is required
    expect(
      (await t.call('cgz_zyfzr', 'POST', `/api/tasks/${id}/reopen`, { reason: '自己退回' })).status,
    ).toBe(403);
    expect((await t.call('dc_zby', 'POST', `/api/tasks/${id}/reopen`, { reason: '值班退回' })).status).toBe(
      403,
    );
    const noReason = await t.call('dc_ld', 'POST', `/api/tasks/${id}/reopen`, { reason: ' ' });
    expect(noReason.status).toBe(400);
    const issuerView = await t.call('dc_ld', 'GET', `/api/tasks/${id}`);
    expect(issuerView.body.can.reopen).toBe(true);
    const re = await t.call('dc_ld', 'POST', `/api/tasks/${id}/reopen`, { reason: '整改照片不全，请补充' });
    expect(re.status).toBe(200);
    expect(re.body).toMatchObject({ status: 'open', completedAt: null });
    expect(re.body.progress.at(-1)).toMatchObject({ kind: 'reopen', text: '整改照片不全，请补充' });
    expect(await logCount(id, 'task_done')).toBe(1);
    expect(await logCount(id, 'task_reopened')).toBe(1);
    expect(await notes(id, 'task.reopened')).toBeGreaterThan(0);
  });
});

describe('issued by another module', () => {
  it('another module issues a task inside its own transaction (no HTTP, no role check)', async () => {
    const ctx = systemCtx({ db: t.tdb.db, clock: t.clock });
    const dcArea = (await t.tdb.pool.query('select parent_id from units where id = $1', [dcOffice])).rows[0]
      .parent_id;
    const { id } = await inTx(ctx, (c) =>
      issueTask(c, {
        title: '重大隐患挂牌督办：城关街道某加油站',
        source: 'hazard',
        sourceId: 'hz-1',
        ownerUnitId: cg,
        dueAt: '2027-01-15',
        issuerUnitId: dcArea,
      }),
    );
    const got = await t.call('cgz_xxy', 'GET', `/api/tasks/${id}`);
    expect(got.body).toMatchObject({ source: 'hazard', sourceId: 'hz-1', dueAt: '2027-01-15T15:59:59.999Z' });
    expect(await logCount(id, 'task_issued')).toBe(1);
    const bySource = await t.call('dc_ld', 'GET', '/api/tasks?source=hazard&sourceId=hz-1');
    expect(bySource.status, JSON.stringify(bySource.body)).toBe(200);
    expect(bySource.body.items.map((x: any) => x.id)).toEqual([id]);
  });
});

describe('collection tasks', () => {
  it('one task per addressed unit; the issuer sees who has not filed', async () => {
    const r = await t.call('dc_ld', 'POST', '/api/tasks/collections', {
      title: '各街道将会议传达贯彻情况于月底前书面报区委办',
      unitIds: [cg, dh],
      dueAt: '2026-11-30',
    });
    expect(r.status).toBe(201);
    expect(r.body.tasks).toHaveLength(2);
    expect(r.body.tasks.map((x: any) => x.ownerUnitName).sort()).toEqual(['东湖街道', '城关街道'].sort());
    const mine = r.body.tasks.find((x: any) => x.ownerUnitId === cg);
    await t.call('cgz_xxy', 'POST', `/api/tasks/${mine.id}/progress`, { text: '已传达到各社区', done: true });
    const c = await t.call('dc_ld', 'GET', `/api/tasks/collections/${r.body.collectionId}`);
    expect(c.status).toBe(200);
    expect(c.body.counts).toEqual({ total: 2, filed: 1, notFiled: 1, overdue: 0 });
    expect(c.body.notFiled.map((x: any) => x.unitName)).toEqual(['东湖街道']);
    const list = await t.call('dc_ld', 'GET', `/api/tasks?collectionId=${r.body.collectionId}`);
    expect(list.body.items).toHaveLength(2);
    // an addressed unit sees its own task, not the collection's answers of others
    expect((await t.call('cgz_xxy', 'GET', `/api/tasks/collections/${r.body.collectionId}`)).status).toBe(
      404,
    );
    const theirs = await t.call('cgz_xxy', 'GET', `/api/tasks?collectionId=${r.body.collectionId}`);
    expect(theirs.body.items.map((x: any) => x.ownerUnitName)).toEqual(['城关街道']);
    const cols = await t.call('dc_ld', 'GET', '/api/tasks/collections');
    expect(cols.body.items.find((x: any) => x.id === r.body.collectionId)).toMatchObject({
      total: 2,
      filed: 1,
    });
    // a collection with a unit outside the area creates nothing
    const before = await taskCount();
    const bad = await t.call('dc_ld', 'POST', '/api/tasks/collections', {
      title: '越界',
      unitIds: [cg, hx],
      dueAt: '2026-11-30',
    });
    expect(bad.status).toBe(403);
    expect(await taskCount()).toBe(before);
  });
});

describe('task clocks', () => {
  it('reminds at 50 % and 80 %, flags a missed progress report without changing the status, escalates once when due', async () => {
    const r = await fresh(
      'dc_ld',
      'POST',
      '/api/tasks',
      task({ title: '时钟测试', dueAt: inDays(10), reportEveryDays: 3 }),
    );
    const id = r.body.id;
    t.clock.advance(3 * DAY + 60_000); // the first progress report is due and missed
    await sweep();
    const missed = await fresh('cgz_xxy', 'GET', `/api/tasks/${id}`);
    expect(missed.body).toMatchObject({ progressMissed: true, status: 'open' });
    expect(await logCount(id, 'task_progress_missed')).toBe(1);
    await fresh('cgz_xxy', 'POST', `/api/tasks/${id}/progress`, { text: '正在排查' });
    expect((await fresh('cgz_xxy', 'GET', `/api/tasks/${id}`)).body.progressMissed).toBe(false);
    t.clock.advance(2 * DAY); // day 5: 50 %
    await sweep();
    expect(await logCount(id, 'task_reminded')).toBe(1);
    // the report of day 6 came in time (day 3 + a bit): not missed
    t.clock.advance(3 * DAY); // day 8: 80 %, report of day 6 checked (progress on day 3 is in its period)
    await sweep();
    expect(await logCount(id, 'task_reminded')).toBe(2);
    expect(await logCount(id, 'task_progress_missed')).toBe(1);
    t.clock.advance(2 * DAY + 60_000); // past due
    await sweep();
    await sweep();
    expect(await logCount(id, 'task_overdue')).toBe(1);
    expect((await fresh('dc_ld', 'GET', `/api/tasks/${id}`)).body.status).toBe('overdue');
    expect(await noteUsers(id, 'task.overdue')).toEqual(['cgz_zyfzr', 'dc_ld'].sort());
    t.clock.advance(5 * DAY);
    await sweep();
    expect(await logCount(id, 'task_overdue')).toBe(1);
    expect(await logCount(id, 'task_reminded')).toBe(2);
  });

  it('a task done in time is never escalated', async () => {
    const r = await fresh('dc_ld', 'POST', '/api/tasks', task({ title: '按时办结', dueAt: inDays(2) }));
    await fresh('cgz_xxy', 'POST', `/api/tasks/${r.body.id}/progress`, { text: '办结', done: true });
    t.clock.advance(3 * DAY);
    await sweep();
    expect(await logCount(r.body.id, 'task_overdue')).toBe(0);
    expect(await logCount(r.body.id, 'task_reminded')).toBe(0);
  });

  it('a paper task entered with past dates gets its verdict and one escalation, no stale reminders', async () => {
    const r = await fresh(
      'dc_ld',
      'POST',
      '/api/tasks',
      task({
        title: '补录纸质督办单',
        issuedAt: new Date(t.clock.now().getTime() - 40 * DAY).toISOString(),
        dueAt: new Date(t.clock.now().getTime() - 10 * DAY).toISOString(),
        reportEveryDays: 5,
      }),
    );
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('overdue');
    await sweep();
    await sweep();
    expect(await logCount(r.body.id, 'task_overdue')).toBe(1);
    expect(await logCount(r.body.id, 'task_reminded')).toBe(0);
    expect(await logCount(r.body.id, 'task_progress_missed')).toBe(0);
  });
});
