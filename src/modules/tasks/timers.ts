import { audit } from '../../floor/audit.js';
import type { Ctx } from '../../floor/context.js';
import { publish, unitAudience } from '../../floor/outbox.js';
import { addTimer, type TimerHandler } from '../../floor/timers.js';
import { notify, usersActingFor } from '../notify/notify.js';
import { beijingText, dueEscalates, remindApplies, reportCheck, type TaskClockState } from './schedule.js';
import { loadTasksByIds, setTaskFields, type TaskRow } from './tasks.repo.js';

/**
 * What the task clocks do when they fall due (fired once each, in the claiming transaction):
 * `task.remind` — the owner unit is reminded (50 %, 80 %); `task.due` — an open task is overdue: logged and
 * escalated to the owner's principal(s) and the issuer; `task.report` — a periodic progress report not made
 * in its period is flagged `progressMissed` and reminded (the status stays), and the next one is scheduled.
 */
const OWNER_ROLES = ['principal', 'approver', 'reporter', 'editor', 'leader'];

/**
 * Who in the owner unit an overdue task is escalated to: its principal(s); for a leader's instruction (批示) also
 * the 分管领导 (approver) — the people the instruction's own feedback clock told before it was folded in here.
 */
const ESCALATE_ROLES: Record<string, string[]> = { instruction: ['principal', 'approver'] };

const state = (t: TaskRow): TaskClockState => ({
  dueAt: new Date(t.due_at),
  issuedAt: new Date(t.issued_at),
  completedAt: t.completed_at,
  lastProgressAt: t.last_progress_at,
  reportEveryDays: t.report_every_days,
  overdueEscalatedAt: t.overdue_escalated_at,
});

async function tasksOf(ctx: Ctx, refIds: string[]) {
  return new Map((await loadTasksByIds(ctx, [...new Set(refIds)])).map((t) => [t.id, t]));
}

const remind: TimerHandler = async (ctx, timers) => {
  const tasks = await tasksOf(
    ctx,
    timers.map((t) => t.ref_id),
  );
  for (const tm of timers) {
    const t = tasks.get(tm.ref_id);
    if (!t || !remindApplies(state(t), tm.payload)) continue;
    const pct = Math.round(Number(tm.payload.fraction ?? 0) * 100);
    await notify(ctx, {
      userIds: await usersActingFor(ctx, t.owner_unit_id, OWNER_ROLES),
      kind: 'task.reminder',
      title: `【督办提醒】${t.title}`,
      body: `办理时限已过 ${pct}%，请于 ${beijingText(new Date(t.due_at))} 前办结并报送落实情况。`,
      data: { taskId: t.id, fraction: tm.payload.fraction },
      dedupeKey: `task.reminder:${t.id}:${new Date(tm.due_at).toISOString()}`,
    });
    await audit(ctx, {
      stream: `task:${t.id}`,
      action: 'task_reminded',
      entityType: 'task',
      entityId: t.id,
      unitId: t.owner_unit_id,
      data: { fraction: tm.payload.fraction },
    });
  }
};

const due: TimerHandler = async (ctx, timers) => {
  const tasks = await tasksOf(
    ctx,
    timers.map((t) => t.ref_id),
  );
  const now = ctx.clock.now();
  for (const tm of timers) {
    const t = tasks.get(tm.ref_id);
    if (!t || !dueEscalates(state(t), now)) continue;
    t.overdue_escalated_at = now;
    await setTaskFields(ctx, t.id, { overdueEscalatedAt: now });
    const principals = await usersActingFor(ctx, t.owner_unit_id, ESCALATE_ROLES[t.source] ?? ['principal']);
    const issuer = t.issuer_user_id
      ? [t.issuer_user_id]
      : await usersActingFor(ctx, t.issuer_unit_id, ['leader', 'editor']);
    await notify(ctx, {
      userIds: [...new Set([...principals, ...issuer])],
      kind: 'task.overdue',
      title: `【督办超期】${t.title}`,
      body: `${t.owner_name}未在 ${beijingText(new Date(t.due_at))} 前办结，已超期。`,
      data: { taskId: t.id },
      urgent: true,
      dedupeKey: `task.overdue:${t.id}:${now.toISOString()}`,
    });
    await audit(ctx, {
      stream: `task:${t.id}`,
      action: 'task_overdue',
      entityType: 'task',
      entityId: t.id,
      unitId: t.owner_unit_id,
      data: {
        dueAt: new Date(t.due_at).toISOString(),
        escalatedTo: [...new Set([...principals, ...issuer])],
      },
    });
    await publish(ctx, [unitAudience(t.owner_unit_id), unitAudience(t.issuer_unit_id)], 'task.changed', {
      taskId: t.id,
    });
  }
};

const report: TimerHandler = async (ctx, timers) => {
  const tasks = await tasksOf(
    ctx,
    timers.map((t) => t.ref_id),
  );
  for (const tm of timers) {
    const t = tasks.get(tm.ref_id);
    if (!t) continue;
    const at = new Date(tm.due_at);
    const check = reportCheck(state(t), at);
    if (check.missed) {
      await setTaskFields(ctx, t.id, { progressMissed: true });
      await notify(ctx, {
        userIds: await usersActingFor(ctx, t.owner_unit_id, OWNER_ROLES),
        kind: 'task.report_missed',
        title: `【督办进展未报】${t.title}`,
        body: `按要求每 ${t.report_every_days} 天报送一次进展，本期尚未报送，请及时报送。`,
        data: { taskId: t.id },
      });
      await audit(ctx, {
        stream: `task:${t.id}`,
        action: 'task_progress_missed',
        entityType: 'task',
        entityId: t.id,
        unitId: t.owner_unit_id,
        data: { periodEnd: at.toISOString() },
      });
    }
    if (check.next) await addTimer(ctx, 'task.report', t.id, check.next, { dueAt: tm.payload.dueAt });
  }
};

export const taskTimers = new Map<string, TimerHandler>([
  ['task.remind', remind],
  ['task.due', due],
  ['task.report', report],
]);
