import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';
import { inTx, systemCtx } from '../../floor/context.js';
import { addTimer, sweepAll } from '../../floor/timers.js';
import { TIMERS } from '../../server/modules.js';

/**
 * 批示 → 督办: an instruction with a feedback due time gives each unit it is sent to a supervised task on the
 * tasks clocks; the unit's 落实反馈 closes its task; overdue is escalated once, by the tasks clock only.
 */
let t: TestApp;
let eventId: string;
let cg: string; // 城关街道
let dh: string; // 东湖街道
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  cg = await t.unitId('城关街道');
  dh = await t.unitId('东湖街道');
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

/** A call with a fresh sign-in (the clock moves). */
async function fresh(username: string, method: 'GET' | 'POST', url: string, body?: unknown) {
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: 'Jibao@2026' },
  });
  return t.call(null, method, url, body, { authorization: `Bearer ${login.json().token}` });
}
const sweep = () => sweepAll({ db: t.tdb.db, clock: t.clock, timers: TIMERS });
const q = async (sql: string, params: unknown[] = []) => (await t.tdb.pool.query(sql, params)).rows;
const tasksOf = (instructionId: string) =>
  q(
    `select t.*, u.name as owner_name from tasks t join units u on u.id = t.owner_unit_id
     where t.source = 'instruction' and t.source_id = $1 order by u.name`,
    [instructionId],
  );
const overdueNoteUsers = async (taskId: string) =>
  (
    await q(
      `select u.username from notifications n join users u on u.id = n.user_id
       where n.kind = 'task.overdue' and n.data->>'taskId' = $1 order by 1`,
      [taskId],
    )
  ).map((r) => r.username);
const oldOverdueNotes = async (instructionId: string) =>
  (
    await q(
      `select count(*)::int n from notifications where kind = 'instruction.overdue' and data->>'instructionId' = $1`,
      [instructionId],
    )
  )[0].n as number;

async function instruct(text: string, dueInHours: number | null, toUnitIds = [cg, dh]) {
  const r = await fresh('dc_ld', 'POST', `/api/events/${eventId}/instructions`, {
    text,
    toUnitIds,
    dueAt: dueInHours === null ? null : new Date(t.clock.now().getTime() + dueInHours * HOUR).toISOString(),
  });
  expect(r.status).toBe(201);
  return r.body;
}

describe('leader instructions become supervised tasks (批示 → 督办)', () => {
  it('an instruction to two units gives each one task: owner, due, leader, source linked', async () => {
    const ins = await instruct('请迅速组织力量扑救，全力救治伤员，2小时内反馈。', 2);
    const rows = await tasksOf(ins.id);
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.owner_unit_id).sort()).toEqual([cg, dh].sort());
    for (const r of rows) {
      expect(new Date(r.due_at).toISOString()).toBe(new Date(ins.dueAt).toISOString());
      expect(r.leader_name).toBe('林书记');
      expect(r.completed_at).toBeNull();
    }
    // the instruction answer names each unit's task and its status
    expect(ins.targets).toHaveLength(2);
    for (const tg of ins.targets) {
      expect(tg.taskId).toBe(rows.find((r) => r.owner_unit_id === tg.unitId).id);
      expect(tg.taskStatus).toBe('open');
    }
    // the unit sees its task, which links back to the event; the instruction notice stands for 【督办】
    const mine = await fresh(
      'cgz_xxy',
      'GET',
      `/api/tasks/${ins.targets.find((x: any) => x.unitId === cg).taskId}`,
    );
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({
      source: 'instruction',
      sourceId: ins.id,
      ownerUnitId: cg,
      leaderName: '林书记',
    });
    expect(mine.body.sourceLink).toBe(`/events/${eventId}`);
    const assigned = await q(
      `select count(*)::int n from notifications where kind = 'task.assigned' and data->>'taskId' = any($1)`,
      [rows.map((r) => r.id)],
    );
    expect(assigned[0].n).toBe(0);
  });

  it('feedback by one unit closes its task only; a second feedback changes nothing more', async () => {
    const ins = await instruct('请核实仓库内是否存放危化品，1小时内反馈。', 1);
    const fb = await fresh('cgz_xxy', 'POST', `/api/instructions/${ins.id}/feedback`, {
      text: '已核实，仓库内无危化品。',
    });
    expect(fb.status).toBe(200);
    expect(fb.body.targets.find((x: any) => x.unitId === cg)).toMatchObject({ taskStatus: 'done' });
    expect(fb.body.targets.find((x: any) => x.unitId === dh)).toMatchObject({ taskStatus: 'open' });
    const [cgTask] = (await tasksOf(ins.id)).filter((r) => r.owner_unit_id === cg);
    const [dhTask] = (await tasksOf(ins.id)).filter((r) => r.owner_unit_id === dh);
    expect(cgTask.completed_at).not.toBeNull();
    expect(dhTask.completed_at).toBeNull();
    const detail = await fresh('cgz_xxy', 'GET', `/api/tasks/${cgTask.id}`);
    expect(detail.body.status).toBe('done');
    expect(detail.body.progress).toEqual([
      expect.objectContaining({ kind: 'progress', done: true, text: '已核实，仓库内无危化品。' }),
    ]);
    const done = await q(`select count(*)::int n from audit_log where stream = $1 and action = 'task_done'`, [
      `task:${cgTask.id}`,
    ]);
    expect(done[0].n).toBe(1);
    // feedback again (a correction): the instruction takes it, the task is not closed twice
    const again = await fresh('cgz_xxy', 'POST', `/api/instructions/${ins.id}/feedback`, {
      text: '补充：已疏散。',
    });
    expect(again.status).toBe(200);
    const done2 = await q(
      `select count(*)::int n from audit_log where stream = $1 and action = 'task_done'`,
      [`task:${cgTask.id}`],
    );
    expect(done2[0].n).toBe(1);
    // the done task is not escalated when the due time passes; the other is, once
    t.clock.advance(HOUR + 60_000);
    await sweep();
    await sweep();
    expect(await overdueNoteUsers(cgTask.id)).toEqual([]);
    expect(await overdueNoteUsers(dhTask.id)).toEqual(['dc_ld']);
  });

  it('overdue: escalated once by the tasks clock to the unit’s principal and 分管领导 and the leader; the old timer stays silent', async () => {
    const ins = await instruct('请做好周边群众疏散安置，30分钟内反馈。', 0.5, [cg]);
    const [task] = await tasksOf(ins.id);
    // an instruction.due timer as set before the change (still in the queue after an upgrade)
    await inTx(systemCtx({ db: t.tdb.db, clock: t.clock }), (c) =>
      addTimer(c, 'instruction.due', ins.id, new Date(ins.dueAt)),
    );
    const before = await q(
      `select count(*)::int n from timers where ref_id = $1 and kind = 'instruction.due'`,
      [ins.id],
    );
    expect(before[0].n).toBe(1);
    t.clock.advance(HOUR);
    await sweep();
    await sweep();
    expect(await overdueNoteUsers(task.id)).toEqual(['cgz_fgld', 'cgz_zyfzr', 'dc_ld']);
    expect(await oldOverdueNotes(ins.id)).toBe(0);
    const list = await fresh('dc_ld', 'GET', `/api/events/${eventId}/instructions`);
    expect(list.body.items.find((x: any) => x.id === ins.id).targets[0].taskStatus).toBe('overdue');
    t.clock.advance(24 * HOUR);
    await sweep();
    expect(await overdueNoteUsers(task.id)).toHaveLength(3);
    const logs = await q(
      `select count(*)::int n from audit_log where stream = $1 and action = 'task_overdue'`,
      [`task:${task.id}`],
    );
    expect(logs[0].n).toBe(1);
    // late feedback still closes the task (completed late)
    await fresh('cgz_xxy', 'POST', `/api/instructions/${ins.id}/feedback`, { text: '已疏散安置完毕。' });
    const done = await fresh('dc_ld', 'GET', `/api/tasks/${task.id}`);
    expect(done.body).toMatchObject({ status: 'done', completedLate: true });
  });

  it('an instruction without a due time gives no task; its old timer still tells units without a task', async () => {
    const ins = await instruct('请注意做好舆情应对。', null, [cg]);
    expect(await tasksOf(ins.id)).toHaveLength(0);
    expect(ins.targets[0]).toMatchObject({ taskId: null, taskStatus: null });
    await inTx(systemCtx({ db: t.tdb.db, clock: t.clock }), (c) =>
      addTimer(c, 'instruction.due', ins.id, new Date(t.clock.now().getTime() + 60_000)),
    );
    t.clock.advance(120_000);
    await sweep();
    expect(await oldOverdueNotes(ins.id)).toBeGreaterThan(0);
  });
});
