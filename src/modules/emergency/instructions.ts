import { sql } from 'drizzle-orm';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit } from '../../floor/audit.js';
import { runCommand } from '../../floor/command.js';
import type { Ctx } from '../../floor/context.js';
import { badRequest, conflict, forbidden, notFound } from '../../floor/errors.js';
import { requiredText } from '../../floor/floor.schema.js';
import type { App } from '../../floor/http.js';
import { idParam } from '../../floor/http.js';
import { publish, unitAudience } from '../../floor/outbox.js';
import type { TimerHandler } from '../../floor/timers.js';
import { inScope, requireRole } from '../auth/policy.js';
import { notify, usersActingFor } from '../notify/notify.js';
import { completeLinkedTask, issueTask, linkedTasks, linkTaskSource } from '../tasks/index.js';
import { actingUnitIdOf } from '../units/acting.js';
import { getVisibleEvent, unitRow } from './emergency.repo.js';

/** What this module's timers do when they fall due (composed by the server; see floor/timers.ts). */
export const instructionTimers = new Map<string, TimerHandler>();

/** 批示: a leader's instruction on an event or report, sent down to named units, acknowledged and answered. */
export async function giveInstruction(
  ctx: Ctx,
  eventId: string,
  input: { text: string; toUnitIds: string[]; dueAt?: string | null; reportId?: string | null },
) {
  const a = ctx.actor!;
  requireRole(a, 'leader', 'principal', 'duty_leader');
  const ev = await getVisibleEvent(ctx, eventId);
  if (!ev) throw notFound();
  const targets: string[] = [];
  for (const id of [...new Set(input.toUnitIds)]) {
    const u = await unitRow(ctx, id);
    if (!u || !inScope(a, u.path)) throw badRequest('instruction_targets_invalid');
    targets.push(actingUnitIdOf({ id: u.id, kind: u.kind, parentId: u.parent_id }));
  }
  const now = ctx.clock.now();
  const dueAt = input.dueAt ? new Date(input.dueAt) : null;
  const ins = (
    await ctx.tx.execute<any>(sql`insert into instructions (event_id, report_id, user_id, unit_id, text, at, due_at)
      values (${eventId}, ${input.reportId ?? null}, ${a.id}, ${a.acting.id}, ${input.text.trim()}, ${now.toISOString()},
        ${dueAt?.toISOString() ?? null}) returning *`)
  ).rows[0];
  for (const u of [...new Set(targets)]) {
    await ctx.tx.execute(
      sql`insert into instruction_targets (instruction_id, unit_id) values (${ins.id}, ${u}) on conflict do nothing`,
    );
    // with a feedback due time each unit gets a supervised task (督办) on the tasks clocks — reminders at 50/80 %,
    // overdue escalated once — closed by its 落实反馈; the instruction notice below stands for the task's own
    const task = dueAt
      ? await issueTask(ctx, {
          title: `落实${a.name}批示：${ev.title}`,
          source: 'instruction',
          sourceId: ins.id,
          ownerUnitId: u,
          dueAt,
          leaderName: a.name,
          quiet: true,
        })
      : null;
    await ctx.tx.execute(
      sql`insert into event_units (event_id, unit_id, reason) values (${eventId}, ${u}, 'instruction') on conflict do nothing`,
    );
    const users = await usersActingFor(ctx, u, ['principal', 'approver', 'reporter', 'editor']);
    await notify(ctx, {
      userIds: users,
      kind: 'instruction.received',
      title: `【领导批示】${ev.title}`,
      body: `${a.name}批示：${ins.text}${dueAt ? `（请于 ${dueAt.toISOString()} 前反馈落实情况）` : ''}`,
      data: { eventId, instructionId: ins.id, ...(task ? { taskId: task.id } : {}) },
      urgent: true,
      eventId,
    });
    await publish(ctx, [unitAudience(u)], 'instruction.received', { eventId, instructionId: ins.id });
  }
  await audit(ctx, {
    stream: `event:${eventId}`,
    action: 'instruction_given',
    entityType: 'instruction',
    entityId: ins.id,
    data: { text: ins.text, toUnitIds: targets, dueAt: dueAt?.toISOString() ?? null },
  });
  return (await listInstructions(ctx, eventId)).items.find((x) => x.id === ins.id);
}

export async function listInstructions(ctx: Ctx, eventId: string) {
  if (!(await getVisibleEvent(ctx, eventId))) throw notFound();
  const rows = (
    await ctx.tx.execute<any>(sql`select i.*, u.name as user_name from instructions i
    join users u on u.id = i.user_id where i.event_id = ${eventId} order by i.at`)
  ).rows;
  const targets = rows.length
    ? (
        await ctx.tx.execute<any>(sql`select t.*, un.name as unit_name from instruction_targets t join units un on un.id = t.unit_id
          where t.instruction_id in (${sql.join(
            rows.map((r) => sql`${r.id}`),
            sql`, `,
          )})`)
      ).rows
    : [];
  const tasks = await linkedTasks(
    ctx,
    'instruction',
    rows.map((r) => r.id),
  );
  const taskOf = (insId: string, unitId: string) =>
    tasks.find((k) => k.sourceId === insId && k.ownerUnitId === unitId) ?? null;
  return {
    items: rows.map((i) => ({
      id: i.id,
      eventId: i.event_id,
      reportId: i.report_id,
      userId: i.user_id,
      userName: i.user_name,
      unitId: i.unit_id,
      text: i.text,
      at: i.at,
      dueAt: i.due_at,
      targets: targets
        .filter((t) => t.instruction_id === i.id)
        .map((t) => ({
          unitId: t.unit_id,
          unitName: t.unit_name,
          ackedAt: t.acked_at,
          feedback: t.feedback,
          feedbackAt: t.feedback_at,
          /** the unit's supervised task (督办) for this instruction, when it has a feedback due time */
          taskId: taskOf(i.id, t.unit_id)?.id ?? null,
          taskStatus: taskOf(i.id, t.unit_id)?.status ?? null,
        })),
    })),
    nextCursor: null,
  };
}

async function targetRow(ctx: Ctx, instructionId: string) {
  const a = ctx.actor!;
  const r =
    await ctx.tx.execute<any>(sql`select t.*, i.event_id from instruction_targets t join instructions i on i.id = t.instruction_id
    where t.instruction_id = ${instructionId} and t.unit_id = ${a.acting.id} for update of t`);
  if (!r.rows[0]) {
    const exists = await ctx.tx.execute(sql`select 1 from instructions where id = ${instructionId}`);
    if (!exists.rowCount) throw notFound();
    throw forbidden('not_a_target');
  }
  return r.rows[0];
}

export async function acknowledgeInstruction(ctx: Ctx, id: string) {
  const t = await targetRow(ctx, id);
  if (t.acked_at) throw conflict('already_acknowledged');
  await ctx.tx.execute(sql`update instruction_targets set acked_at = ${ctx.clock.now().toISOString()}, acked_by = ${ctx.actor!.id}
    where instruction_id = ${id} and unit_id = ${t.unit_id}`);
  await audit(ctx, {
    stream: `event:${t.event_id}`,
    action: 'instruction_acknowledged',
    entityType: 'instruction',
    entityId: id,
    data: {},
  });
  return (await listInstructions(ctx, t.event_id)).items.find((x) => x.id === id);
}

export async function feedbackInstruction(ctx: Ctx, id: string, text: string) {
  const t = await targetRow(ctx, id);
  const now = ctx.clock.now().toISOString();
  await ctx.tx.execute(sql`update instruction_targets set feedback = ${text.trim()}, feedback_at = ${now},
    feedback_by = ${ctx.actor!.id}, acked_at = coalesce(acked_at, ${now}), acked_by = coalesce(acked_by, ${ctx.actor!.id})
    where instruction_id = ${id} and unit_id = ${t.unit_id}`);
  await audit(ctx, {
    stream: `event:${t.event_id}`,
    action: 'instruction_feedback',
    entityType: 'instruction',
    entityId: id,
    data: { text: text.trim() },
  });
  // the unit's supervised task for this instruction is done (its clocks stop); the leader is told just below
  await completeLinkedTask(ctx, {
    source: 'instruction',
    sourceId: id,
    ownerUnitId: t.unit_id,
    text: text.trim(),
  });
  const ins = (await ctx.tx.execute<any>(sql`select * from instructions where id = ${id}`)).rows[0];
  await notify(ctx, {
    userIds: [ins.user_id],
    kind: 'instruction.feedback',
    title: `【落实反馈】${ctx.actor!.acting.name}`,
    body: text.trim(),
    data: { eventId: t.event_id, instructionId: id },
    eventId: t.event_id,
  });
  return (await listInstructions(ctx, t.event_id)).items.find((x) => x.id === id);
}

/**
 * The instruction's own feedback clock, retired: an instruction with a due time now gives each unit a supervised
 * task whose clock escalates once to the same people (the unit's principal and 分管领导) and the leader. Kept
 * only for `instruction.due` timers set before that change; a unit with a linked task is never told twice.
 */
instructionTimers.set('instruction.due', async (ctx, timers) => {
  for (const tm of timers) {
    const open = (
      await ctx.tx.execute<any>(sql`select t.unit_id, i.event_id, i.text from instruction_targets t join instructions i on i.id = t.instruction_id
        where t.instruction_id = ${tm.ref_id} and t.feedback_at is null`)
    ).rows;
    const tasked = new Set((await linkedTasks(ctx, 'instruction', [tm.ref_id])).map((k) => k.ownerUnitId));
    for (const o of open) {
      if (tasked.has(o.unit_id)) continue;
      const users = await usersActingFor(ctx, o.unit_id, ['principal', 'approver']);
      await notify(ctx, {
        userIds: users,
        kind: 'instruction.overdue',
        title: '【批示落实反馈已超时】',
        body: `批示“${o.text}”的落实情况尚未反馈，请立即反馈。`,
        data: { eventId: o.event_id, instructionId: tm.ref_id },
        urgent: true,
        eventId: o.event_id,
      });
    }
  }
});

// a task issued for an instruction links back to the event page the instruction is on
linkTaskSource('instruction', async (ctx, instructionId) => {
  const r = await ctx.tx.execute<{ event_id: string }>(
    sql`select event_id from instructions where id::text = ${instructionId}`,
  );
  return r.rows[0] ? `/events/${r.rows[0].event_id}` : null;
});

export function registerInstructionRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['instructions'];
  r.post(
    '/api/events/:id/instructions',
    {
      schema: {
        tags,
        summary: '领导批示 / give an instruction',
        params: idParam,
        body: z.object({
          text: requiredText(4000),
          toUnitIds: z.array(z.uuid()).min(1).max(50),
          dueAt: z.iso.datetime({ offset: true }).nullish(),
          reportId: z.uuid().nullish(),
        }),
      },
    },
    async (req, reply) => runCommand(req, reply, 201, (ctx) => giveInstruction(ctx, req.params.id, req.body)),
  );
  r.get('/api/events/:id/instructions', { schema: { tags, params: idParam } }, async (req) =>
    listInstructions(req.ctx, req.params.id),
  );
  r.post(
    '/api/instructions/:id/ack',
    { schema: { tags, summary: '签收批示 / acknowledge', params: idParam } },
    async (req, reply) => runCommand(req, reply, 200, (ctx) => acknowledgeInstruction(ctx, req.params.id)),
  );
  r.post(
    '/api/instructions/:id/feedback',
    {
      schema: {
        tags,
        summary: '落实反馈 / report back',
        params: idParam,
        body: z.object({ text: requiredText(4000) }),
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 200, (ctx) => feedbackInstruction(ctx, req.params.id, req.body.text)),
  );
}
