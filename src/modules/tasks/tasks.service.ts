import { audit } from '../../floor/audit.js';
import type { Actor, Ctx, UserCtx } from '../../floor/context.js';
import { badRequest, conflict, forbidden, notFound } from '../../floor/errors.js';
import { publish, unitAudience } from '../../floor/outbox.js';
import { authorize, can, canMany } from '../../floor/policy.js';
import { addTimers, cancelTimers } from '../../floor/timers.js';
import { notify, usersActingFor } from '../notify/notify.js';
import { actingUnitIdOf } from '../units/acting.js';
import './messages.js';

import type { TaskSource } from '../../contract/tasks.js';
import { seesTask, type TaskResource, tasksPolicy } from './policy.js';
import { beijingText, dueInDays, parseDue, plannedTimers, type TaskStatus, taskStatus } from './schedule.js';
import {
  type CollectionRow,
  collectionTaskRows,
  insertCollection,
  insertProgress,
  insertTasks,
  linkedTaskRows,
  listCollectionRows,
  listTaskRows,
  loadCollection,
  loadCollectionBySource,
  loadTask,
  type NewTask,
  openLinkedTask,
  type ProgressRow,
  progressOf,
  setTaskFields,
  type TaskFilter,
  type TaskRow,
  type UnitLite,
  unitsByIds,
} from './tasks.repo.js';

export { TASK_SOURCES, type TaskSource } from '../../contract/tasks.js';

/** Who is told in the owner unit: the people who would write the answer and their principal. */
const OWNER_ROLES = ['principal', 'approver', 'reporter', 'editor', 'leader'];

export interface DueInput {
  dueAt?: string | null;
  dueInDays?: number | null;
  workingDays?: boolean | null;
}

/** The due time of a request: `dueAt` (a date only = end of that day, Beijing) or `dueInDays` (+ 工作日). */
export function resolveDue(now: Date, d: DueInput): Date {
  if (d.dueAt && d.dueInDays) throw badRequest('task_due_twice');
  if (d.dueAt) return parseDue(d.dueAt);
  if (d.dueInDays) return dueInDays(now, d.dueInDays, !!d.workingDays);
  throw badRequest('task_due_required');
}

const resource = (t: TaskRow): TaskResource => ({
  ownerUnitId: t.owner_unit_id,
  ownerPath: t.owner_path,
  issuerUnitId: t.issuer_unit_id,
  issuerPath: t.issuer_path,
  done: !!t.completed_at,
});

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function presentTask(actor: Actor | null, t: TaskRow, now: Date, progress?: ProgressRow[]) {
  const status: TaskStatus = taskStatus({ dueAt: new Date(t.due_at), completedAt: t.completed_at }, now);
  return {
    id: t.id,
    title: t.title,
    source: t.source as TaskSource,
    sourceId: t.source_id,
    ownerUnitId: t.owner_unit_id,
    ownerUnitName: t.owner_name,
    issuerUnitId: t.issuer_unit_id,
    issuerUnitName: t.issuer_name,
    issuerUserId: t.issuer_user_id,
    issuerName: t.issuer_user_name,
    leaderName: t.leader_name,
    collectionId: t.collection_id,
    issuedAt: iso(t.issued_at)!,
    dueAt: iso(t.due_at)!,
    reportEveryDays: t.report_every_days,
    createdAt: iso(t.created_at)!,
    completedAt: iso(t.completed_at),
    lastProgressAt: iso(t.last_progress_at),
    status,
    overdue: status === 'overdue',
    /** done after the due time */
    completedLate: !!t.completed_at && new Date(t.completed_at).getTime() > new Date(t.due_at).getTime(),
    progressMissed: t.progress_missed,
    ...(progress
      ? {
          progress: progress.map((p) => ({
            id: p.id,
            kind: p.kind as 'progress' | 'reopen',
            at: iso(p.at)!,
            text: p.text,
            done: p.done,
            userName: p.user_name,
            unitName: p.unit_name,
          })),
        }
      : {}),
    can: canMany(actor, tasksPolicy, ['progress', 'reopen'], resource(t)),
  };
}
export type TaskOut = ReturnType<typeof presentTask>;

export interface IssueInput {
  title: string;
  source: TaskSource;
  sourceId?: string | null;
  ownerUnitId: string;
  dueAt: Date;
  issuedAt?: Date | null;
  reportEveryDays?: number | null;
  leaderName?: string | null;
  issuerUnitId?: string | null;
  collectionId?: string | null;
  /** the caller tells the owner itself (e.g. the instruction notice): no separate 【督办】 notice */
  quiet?: boolean;
}

/**
 * Create tasks in the caller's transaction — no role check (the caller's policy decided): the rows, their
 * timers (reminders at 50 %/80 %, due, periodic reports; past steps skipped, a past due escalated once), the
 * log entries, the owners' notifications and live messages. Owners given as an office stand for its area.
 */
async function createTasks(ctx: Ctx, inputs: IssueInput[], owners: Map<string, UnitLite>): Promise<string[]> {
  const now = ctx.clock.now();
  const rows: NewTask[] = inputs.map((i) => {
    const issuerUnitId = i.issuerUnitId ?? ctx.actor?.acting.id;
    if (!issuerUnitId) throw new Error('issueTask: no issuing unit');
    return {
      title: i.title,
      source: i.source,
      sourceId: i.sourceId || null,
      ownerUnitId: i.ownerUnitId,
      issuerUnitId,
      issuerUserId: ctx.actor?.id ?? null,
      leaderName: i.leaderName ?? null,
      collectionId: i.collectionId ?? null,
      issuedAt: i.issuedAt ?? now,
      dueAt: i.dueAt,
      reportEveryDays: i.reportEveryDays ?? null,
    };
  });
  const ids = await insertTasks(ctx, rows);
  const timers = [];
  for (const [k, r] of rows.entries()) {
    const id = ids[k];
    for (const p of plannedTimers({
      issuedAt: r.issuedAt,
      dueAt: r.dueAt,
      now,
      reportEveryDays: r.reportEveryDays,
    }))
      timers.push({ kind: p.kind, refId: id, dueAt: p.at, payload: p.payload });
    await audit(ctx, {
      stream: `task:${id}`,
      action: 'task_issued',
      entityType: 'task',
      entityId: id,
      data: {
        title: r.title,
        source: r.source,
        sourceId: r.sourceId,
        ownerUnitId: r.ownerUnitId,
        issuerUnitId: r.issuerUnitId,
        dueAt: r.dueAt.toISOString(),
        issuedAt: r.issuedAt.toISOString(),
        reportEveryDays: r.reportEveryDays,
        leaderName: r.leaderName,
        collectionId: r.collectionId,
      },
    });
    const owner = owners.get(r.ownerUnitId);
    if (!inputs[k].quiet)
      await notify(ctx, {
        userIds: await usersActingFor(ctx, r.ownerUnitId, OWNER_ROLES),
        kind: 'task.assigned',
        title: `【督办】${r.title}`,
        body: `${owner?.name ?? ''}：请于 ${beijingText(r.dueAt)} 前办结并报送落实情况。`,
        data: { taskId: id },
      });
    await publish(ctx, [unitAudience(r.ownerUnitId), unitAudience(r.issuerUnitId)], 'task.changed', {
      taskId: id,
    });
  }
  await addTimers(ctx, timers);
  return ids;
}

/** Owners as the database knows them; an office stands for its area. Unknown or disabled → 400. */
async function resolveOwners(ctx: Ctx, ids: string[]): Promise<Map<string, UnitLite>> {
  const found = await unitsByIds(ctx, [...new Set(ids)]);
  const missing = ids.filter((i) => !found.has(i));
  if (missing.length) throw badRequest('task_owner_unknown', { unitIds: missing });
  const acting = new Map<string, string>();
  for (const u of found.values())
    acting.set(u.id, actingUnitIdOf({ id: u.id, kind: u.kind, parentId: u.parent_id }));
  const areas = await unitsByIds(
    ctx,
    [...new Set(acting.values())].filter((i) => !found.has(i)),
  );
  const out = new Map<string, UnitLite>();
  for (const id of ids) {
    const a = acting.get(id)!;
    out.set(id, found.get(a) ?? areas.get(a)!);
  }
  return out;
}

/**
 * For other modules (hazards, government-affairs pieces, plans, instructions): issue a task inside their own
 * transaction. No HTTP and no role check — the caller's policy decided. Returns the new task's id.
 */
export async function issueTask(
  ctx: Ctx,
  input: {
    title: string;
    source: TaskSource;
    sourceId?: string | null;
    ownerUnitId: string;
    dueAt: Date | string;
    reportEveryDays?: number | null;
    leaderName?: string | null;
    issuerUnitId?: string | null;
    quiet?: boolean;
  },
): Promise<{ id: string }> {
  const owners = await resolveOwners(ctx, [input.ownerUnitId]);
  const owner = owners.get(input.ownerUnitId)!;
  const dueAt = input.dueAt instanceof Date ? input.dueAt : parseDue(input.dueAt);
  const [id] = await createTasks(
    ctx,
    [{ ...input, ownerUnitId: owner.id, dueAt }],
    new Map([[owner.id, owner]]),
  );
  return { id };
}

function checkIssue(a: Actor, owner: UnitLite) {
  if (!can(a, tasksPolicy, 'issue', null)) throw forbidden('task_issuer_not_office');
  if (!can(a, tasksPolicy, 'issue', { ownerPath: owner.path }))
    throw forbidden('task_owner_out_of_scope', { unitId: owner.id });
}

function checkDates(issuedAt: Date | null | undefined, dueAt: Date, now: Date) {
  if (Number.isNaN(dueAt.getTime())) throw badRequest('task_due_invalid');
  if (issuedAt && issuedAt.getTime() > now.getTime() + 5 * 60_000) throw badRequest('task_issued_in_future');
  if (issuedAt && issuedAt.getTime() > dueAt.getTime()) throw badRequest('task_due_before_issued');
}

/** POST /api/tasks */
export async function createTask(
  ctx: UserCtx,
  body: {
    title: string;
    source: TaskSource;
    sourceId?: string | null;
    ownerUnitId: string;
    reportEveryDays?: number | null;
    leaderName?: string | null;
    issuedAt?: string | null;
  } & DueInput,
): Promise<TaskOut> {
  const now = ctx.clock.now();
  const dueAt = resolveDue(now, body);
  const issuedAt = body.issuedAt ? new Date(body.issuedAt) : null;
  checkDates(issuedAt, dueAt, now);
  const owners = await resolveOwners(ctx, [body.ownerUnitId]);
  const owner = owners.get(body.ownerUnitId)!;
  checkIssue(ctx.actor, owner);
  const [id] = await createTasks(
    ctx,
    [
      {
        title: body.title,
        source: body.source,
        sourceId: body.sourceId,
        ownerUnitId: owner.id,
        dueAt,
        issuedAt,
        reportEveryDays: body.reportEveryDays,
        leaderName: body.leaderName || null,
      },
    ],
    new Map([[owner.id, owner]]),
  );
  return getTask(ctx, id);
}

/** One collection row, its log entry and one task per owner (owners already resolved and checked). */
async function makeCollection(
  ctx: Ctx,
  c: {
    title: string;
    owners: Map<string, UnitLite>;
    source: TaskSource;
    sourceId: string | null;
    issuerUnitId: string;
    dueAt: Date;
    issuedAt?: Date | null;
    reportEveryDays?: number | null;
    leaderName?: string | null;
  },
): Promise<{ collectionId: string; taskIds: string[] }> {
  const collectionId = await insertCollection(ctx, {
    title: c.title,
    source: c.source,
    sourceId: c.sourceId,
    issuerUnitId: c.issuerUnitId,
    issuerUserId: ctx.actor?.id ?? null,
    dueAt: c.dueAt,
  });
  await audit(ctx, {
    stream: `task_collection:${collectionId}`,
    action: 'task_collection_issued',
    entityType: 'task_collection',
    entityId: collectionId,
    data: {
      title: c.title,
      unitIds: [...c.owners.keys()],
      dueAt: c.dueAt.toISOString(),
      source: c.source,
      sourceId: c.sourceId,
    },
  });
  const taskIds = await createTasks(
    ctx,
    [...c.owners.values()].map((o) => ({
      title: c.title,
      source: c.source,
      sourceId: c.sourceId,
      ownerUnitId: o.id,
      dueAt: c.dueAt,
      issuedAt: c.issuedAt ?? null,
      reportEveryDays: c.reportEveryDays ?? null,
      leaderName: c.leaderName ?? null,
      issuerUnitId: c.issuerUnitId,
      collectionId,
    })),
    c.owners,
  );
  return { collectionId, taskIds };
}

/**
 * For other modules (campaigns: 行动方案报送): one collection task to many units inside the caller's transaction.
 * No HTTP and no role check — the caller's policy decided. Owners given as an office stand for its area; the
 * same owner twice gets one task. Returns the collection's id and its tasks' ids.
 */
export async function issueCollection(
  ctx: Ctx,
  input: {
    title: string;
    unitIds: string[];
    dueAt: Date | string;
    source: TaskSource;
    sourceId?: string | null;
    issuerUnitId: string;
    leaderName?: string | null;
  },
): Promise<{ collectionId: string; taskIds: string[] }> {
  const owners = await resolveOwners(ctx, input.unitIds);
  const distinct = new Map<string, UnitLite>();
  for (const o of owners.values()) distinct.set(o.id, o);
  return makeCollection(ctx, {
    title: input.title,
    owners: distinct,
    source: input.source,
    sourceId: input.sourceId ?? null,
    issuerUnitId: input.issuerUnitId,
    dueAt: input.dueAt instanceof Date ? input.dueAt : parseDue(input.dueAt),
    leaderName: input.leaderName ?? null,
  });
}

/**
 * For other modules: the collection they issued for `source`/`sourceId` (the newest), per unit filed / not
 * filed / overdue with the clock — no role check (the caller decided who sees its own board). Null if none.
 */
export async function collectionFor(ctx: Ctx, source: TaskSource, sourceId: string) {
  const c = await loadCollectionBySource(ctx, source, sourceId);
  if (!c) return null;
  return {
    ...presentCollection(c, await collectionTaskRows(ctx, c.id), ctx.clock.now()),
    /** whether the caller may open the collection view (/tasks/collections/{id}): the issuing area and above */
    canView: can(ctx.actor, tasksPolicy, 'viewCollection', { issuerPath: c.issuer_path }),
  };
}

/** POST /api/tasks/collections: one title to many units, one task each (各地于4月底前书面报). */
export async function createCollection(
  ctx: UserCtx,
  body: {
    title: string;
    unitIds: string[];
    source?: TaskSource | null;
    sourceId?: string | null;
    leaderName?: string | null;
    reportEveryDays?: number | null;
    issuedAt?: string | null;
  } & DueInput,
) {
  const now = ctx.clock.now();
  const dueAt = resolveDue(now, body);
  const issuedAt = body.issuedAt ? new Date(body.issuedAt) : null;
  checkDates(issuedAt, dueAt, now);
  const owners = await resolveOwners(ctx, body.unitIds);
  const distinct = new Map<string, UnitLite>();
  for (const o of owners.values()) {
    checkIssue(ctx.actor, o);
    distinct.set(o.id, o);
  }
  const { collectionId, taskIds: ids } = await makeCollection(ctx, {
    title: body.title,
    owners: distinct,
    source: body.source ?? 'meeting',
    sourceId: body.sourceId || null,
    issuerUnitId: ctx.actor.acting.id,
    dueAt,
    issuedAt,
    reportEveryDays: body.reportEveryDays,
    leaderName: body.leaderName || null,
  });
  const rows = await collectionTaskRows(ctx, collectionId);
  const now2 = ctx.clock.now();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { collectionId, tasks: ids.map((id) => presentTask(ctx.actor, byId.get(id)!, now2)) };
}

async function visibleTask(ctx: UserCtx, id: string, lock = false): Promise<TaskRow> {
  const t = await loadTask(ctx, id, lock);
  // a task the caller may not see does not exist for them (a sibling unit gets 404, not 403)
  if (!t || !seesTask(ctx.actor, resource(t))) throw notFound('task_not_found');
  return t;
}

export async function getTask(ctx: UserCtx, id: string): Promise<TaskOut & { sourceLink?: string | null }> {
  const t = await visibleTask(ctx, id);
  const out = presentTask(ctx.actor, t, ctx.clock.now(), await progressOf(ctx, id));
  const linker = t.source_id ? sourceLinkers.get(t.source as TaskSource) : undefined;
  return linker ? { ...out, sourceLink: await linker(ctx, t.source_id!) } : out;
}

/**
 * Where the record a task came from is shown in the web (e.g. an instruction → its event page), registered by
 * the module that owns the record, so this module needs none of its tables.
 */
const sourceLinkers = new Map<TaskSource, (ctx: Ctx, sourceId: string) => Promise<string | null>>();
export function linkTaskSource(
  source: TaskSource,
  fn: (ctx: Ctx, sourceId: string) => Promise<string | null>,
): void {
  sourceLinkers.set(source, fn);
}

/** For other modules: the tasks linked to their records (id, record, owner, status judged with the clock). */
export async function linkedTasks(ctx: Ctx, source: TaskSource, sourceIds: string[]) {
  const now = ctx.clock.now();
  return (await linkedTaskRows(ctx, source, sourceIds)).map((t) => ({
    id: t.id,
    sourceId: t.source_id!,
    ownerUnitId: t.owner_unit_id,
    status: taskStatus({ dueAt: new Date(t.due_at), completedAt: t.completed_at }, now),
    completedAt: iso(t.completed_at),
  }));
}

/**
 * For other modules: the owner unit answered the record a task was linked to (e.g. 落实反馈 on an instruction),
 * so its open task gets a closing progress entry (done, completedAt set) and its clocks stop — inside the
 * caller's transaction, no role check (the caller decided), no notice (the caller tells the issuer itself).
 * Returns the task closed, or null when there is no open linked task (none issued, or already done).
 */
export async function completeLinkedTask(
  ctx: Ctx,
  input: { source: TaskSource; sourceId: string; ownerUnitId: string; text: string },
): Promise<{ id: string } | null> {
  const a = ctx.actor;
  if (!a) throw new Error('completeLinkedTask: no actor');
  const t = await openLinkedTask(ctx, input.source, input.sourceId, input.ownerUnitId);
  if (!t) return null;
  const now = ctx.clock.now();
  await insertProgress(ctx, {
    taskId: t.id,
    kind: 'progress',
    text: input.text,
    done: true,
    userId: a.id,
    unitId: a.acting.id,
  });
  await setTaskFields(ctx, t.id, { lastProgressAt: now, progressMissed: false, completedAt: now });
  await cancelTimers(ctx, t.id);
  await audit(ctx, {
    stream: `task:${t.id}`,
    action: 'task_done',
    entityType: 'task',
    entityId: t.id,
    data: {
      text: input.text,
      done: true,
      late: now.getTime() > new Date(t.due_at).getTime(),
      via: { source: input.source, sourceId: input.sourceId },
    },
  });
  await publish(ctx, [unitAudience(t.owner_unit_id), unitAudience(t.issuer_unit_id)], 'task.changed', {
    taskId: t.id,
  });
  return { id: t.id };
}

const PAGE = 50;
const cursorOf = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
function offsetOf(cursor: string | undefined): number {
  if (!cursor) return 0;
  const m = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw badRequest('bad_cursor');
  return Number(m[1]);
}

export async function listTasks(ctx: UserCtx, f: TaskFilter & { cursor?: string; limit?: number }) {
  const limit = Math.min(f.limit ?? PAGE, 200);
  const offset = offsetOf(f.cursor);
  const rows = await listTaskRows(ctx, ctx.actor, f, limit + 1, offset);
  const now = ctx.clock.now();
  return {
    items: rows.slice(0, limit).map((t) => presentTask(ctx.actor, t, now)),
    nextCursor: rows.length > limit ? cursorOf(offset + limit) : null,
    can: { issue: can(ctx.actor, tasksPolicy, 'issue', null) },
  };
}

/** POST /api/tasks/{id}/progress: a progress report by the owner unit; `done` closes the task (completedAt). */
export async function reportProgress(
  ctx: UserCtx,
  id: string,
  body: { text: string; done?: boolean | null },
) {
  const t = await visibleTask(ctx, id, true);
  authorize(ctx.actor, tasksPolicy, 'progress', resource(t));
  if (t.completed_at) throw conflict('task_already_done');
  const now = ctx.clock.now();
  const done = !!body.done;
  await insertProgress(ctx, {
    taskId: id,
    kind: 'progress',
    text: body.text,
    done,
    userId: ctx.actor.id,
    unitId: ctx.actor.acting.id,
  });
  await setTaskFields(ctx, id, {
    lastProgressAt: now,
    progressMissed: false,
    ...(done ? { completedAt: now } : {}),
  });
  if (done) await cancelTimers(ctx, id);
  await audit(ctx, {
    stream: `task:${id}`,
    action: done ? 'task_done' : 'task_progress',
    entityType: 'task',
    entityId: id,
    data: { text: body.text, done, late: done && now.getTime() > new Date(t.due_at).getTime() },
  });
  if (t.issuer_user_id)
    await notify(ctx, {
      userIds: [t.issuer_user_id],
      kind: done ? 'task.done' : 'task.progress',
      title: `${done ? '【督办办结】' : '【督办进展】'}${t.title}`,
      body: `${t.owner_name}：${body.text}`,
      data: { taskId: id },
    });
  await publish(ctx, [unitAudience(t.owner_unit_id), unitAudience(t.issuer_unit_id)], 'task.changed', {
    taskId: id,
  });
  return getTask(ctx, id);
}

/** POST /api/tasks/{id}/reopen: the issuing area takes a done task back (with a reason); the clocks restart. */
export async function reopenTask(ctx: UserCtx, id: string, body: { reason: string }) {
  const t = await visibleTask(ctx, id, true);
  authorize(ctx.actor, tasksPolicy, 'reopen', { ...resource(t), done: true });
  if (!t.completed_at) throw conflict('task_not_done');
  const now = ctx.clock.now();
  await insertProgress(ctx, {
    taskId: id,
    kind: 'reopen',
    text: body.reason,
    done: false,
    userId: ctx.actor.id,
    unitId: ctx.actor.acting.id,
  });
  await setTaskFields(ctx, id, { completedAt: null, overdueEscalatedAt: null, progressMissed: false });
  // the clocks start again from now: a task already past due is escalated once more, nothing stale is replayed
  const dueAt = new Date(t.due_at);
  await addTimers(
    ctx,
    plannedTimers({ issuedAt: now, dueAt, now, reportEveryDays: t.report_every_days }).map((p) => ({
      kind: p.kind,
      refId: id,
      dueAt: p.at,
      payload: { ...p.payload, reopenedAt: now.toISOString() },
    })),
  );
  await audit(ctx, {
    stream: `task:${id}`,
    action: 'task_reopened',
    entityType: 'task',
    entityId: id,
    data: { reason: body.reason },
  });
  await notify(ctx, {
    userIds: await usersActingFor(ctx, t.owner_unit_id, OWNER_ROLES),
    kind: 'task.reopened',
    title: `【督办退回】${t.title}`,
    body: `${ctx.actor.acting.name}退回重办：${body.reason}`,
    data: { taskId: id },
    urgent: true,
  });
  await publish(ctx, [unitAudience(t.owner_unit_id), unitAudience(t.issuer_unit_id)], 'task.changed', {
    taskId: id,
  });
  return getTask(ctx, id);
}

function presentCollection(c: CollectionRow, tasks: TaskRow[], now: Date) {
  const units = tasks.map((t) => {
    const status = taskStatus({ dueAt: new Date(t.due_at), completedAt: t.completed_at }, now);
    return {
      taskId: t.id,
      unitId: t.owner_unit_id,
      unitName: t.owner_name,
      status,
      filed: !!t.completed_at,
      completedAt: iso(t.completed_at),
      lastProgressAt: iso(t.last_progress_at),
      overdue: status === 'overdue',
    };
  });
  return {
    id: c.id,
    title: c.title,
    source: c.source as TaskSource,
    issuerUnitId: c.issuer_unit_id,
    issuerUnitName: c.issuer_name,
    dueAt: iso(c.due_at)!,
    createdAt: iso(c.created_at)!,
    units,
    notFiled: units
      .filter((u) => !u.filed)
      .map((u) => ({ unitId: u.unitId, unitName: u.unitName, taskId: u.taskId })),
    counts: {
      total: units.length,
      filed: units.filter((u) => u.filed).length,
      notFiled: units.filter((u) => !u.filed).length,
      overdue: units.filter((u) => u.overdue).length,
    },
  };
}

/** GET /api/tasks/collections/{id}: per addressed unit filed / not filed / overdue (the issuing area and above). */
export async function getCollection(ctx: UserCtx, id: string) {
  const c = await loadCollection(ctx, id);
  if (!c || !can(ctx.actor, tasksPolicy, 'viewCollection', { issuerPath: c.issuer_path }))
    throw notFound('task_collection_not_found');
  return presentCollection(c, await collectionTaskRows(ctx, id), ctx.clock.now());
}

export async function listCollections(ctx: UserCtx, q: { cursor?: string; limit?: number }) {
  const limit = Math.min(q.limit ?? PAGE, 200);
  const offset = offsetOf(q.cursor);
  const rows = await listCollectionRows(ctx, ctx.actor, limit + 1, offset);
  return {
    items: rows.slice(0, limit).map((c) => ({
      id: c.id,
      title: c.title,
      source: c.source as TaskSource,
      issuerUnitId: c.issuer_unit_id,
      issuerUnitName: c.issuer_name,
      dueAt: iso(c.due_at)!,
      createdAt: iso(c.created_at)!,
      total: c.total,
      filed: c.filed,
    })),
    nextCursor: rows.length > limit ? cursorOf(offset + limit) : null,
  };
}
