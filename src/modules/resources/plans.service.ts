import type { z } from 'zod';
import { supplyItem } from '../../contract/resources.js';
import { audit } from '../../floor/audit.js';
import type { Actor, Ctx, UserCtx } from '../../floor/context.js';
import { badRequest, conflict, notFound, unprocessable } from '../../floor/errors.js';
import { t } from '../../floor/i18n.js';
import { publish, unitAudience } from '../../floor/outbox.js';
import { authorize, can } from '../../floor/policy.js';
import { addTimer } from '../../floor/timers.js';
import { getVisibleEvent } from '../emergency/emergency.repo.js';
import { notify } from '../notify/notify.js';
import { issueTask, linkedTasks, linkTaskSource } from '../tasks/index.js';
import './messages.js';
import {
  type ActivationRow,
  activationExists,
  activationsOf,
  dutyRoomUsers,
  insertActivation,
  insertPlan,
  insertVersion,
  listPlans,
  type PlanRow,
  type PlanSupply,
  type PlanTask,
  readablePlan,
  setVersionStatus,
  unitsWithArea,
  type VersionRow,
  versionsOf,
} from './plans.repo.js';
import type { activateBody, planBody } from './plans.schema.js';
import { type OwnedRef, plansPolicy } from './policy.js';
import { ownerUnit } from './resources.repo.js';
import { PLAN_REVISE_REMINDER, reviseReminderAt } from './timers.js';

type PlanBody = z.infer<typeof planBody>;

const iso = (d: Date) => new Date(d).toISOString();
const LEVEL_NAMES: Record<string, string> = { I: 'Ⅰ', II: 'Ⅱ', III: 'Ⅲ', IV: 'Ⅳ' };
const fmtBeijing = (d: Date) => {
  const b = new Date(d.getTime() + 8 * 3_600_000).toISOString();
  return `${b.slice(5, 7)}月${b.slice(8, 10)}日 ${b.slice(11, 16)}`;
};

export const planRef = (p: Pick<PlanRow, 'owner_unit_id' | 'owner_area_id'>): OwnedRef => ({
  unitId: p.owner_unit_id,
  areaId: p.owner_area_id,
});

export function presentPlan(a: Actor, p: PlanRow, unitNames: Map<string, string>) {
  return {
    id: p.id,
    title: p.title,
    kind: p.kind as PlanBody['kind'],
    ownerUnitId: p.owner_unit_id,
    ownerUnitName: p.owner_name,
    categoryCodes: p.category_codes,
    levels: p.levels,
    reviseBy: p.revise_by,
    version: p.version_in_force,
    status: 'published' as const,
    tasks: p.tasks.map((x) => ({ ...x, unitName: unitNames.get(x.unitId) ?? '' })),
    supplies: p.supplies.map((s) => ({
      itemCode: s.itemCode,
      itemName: supplyItem(s.itemCode)?.[1] ?? null,
      unit: supplyItem(s.itemCode)?.[3] ?? null,
      quantity: s.quantity,
    })),
    createdAt: iso(p.created_at),
    can: {
      activate: can(a, plansPolicy, 'activate', planRef(p)),
      edit: can(a, plansPolicy, 'create', planRef(p)),
      publish: can(a, plansPolicy, 'publish', planRef(p)),
    },
  };
}

async function namesOf(ctx: Ctx, plans: PlanRow[]) {
  const ids = [...new Set(plans.flatMap((p) => p.tasks.map((x) => x.unitId)))];
  const units = await unitsWithArea(ctx, ids);
  return new Map([...units.values()].map((u) => [u.id, u.name]));
}

/** Task levels must be the plan's levels; task units must exist and lie in the owner's area. */
async function checkTasks(ctx: Ctx, tasks: PlanTask[], levels: string[], ownerAreaId: string) {
  const wrongLevel = tasks.filter((x) => !levels.includes(x.level));
  if (wrongLevel.length)
    throw unprocessable('plan_task_level_not_in_plan', { levels: levels.map((l) => LEVEL_NAMES[l]) });
  const units = await unitsWithArea(
    ctx,
    tasks.map((x) => x.unitId),
  );
  const unknown = tasks.filter((x) => !units.has(x.unitId)).map((x) => x.unitId);
  if (unknown.length) throw unprocessable('plan_task_unit_unknown', { unitIds: unknown });
  const outside = tasks.filter((x) => !units.get(x.unitId)!.path.includes(ownerAreaId)).map((x) => x.unitId);
  if (outside.length) throw unprocessable('plan_task_unit_out_of_area', { unitIds: outside });
}

/**
 * POST /api/plans: by the owner's editors and admins; version 1 is in force at once. Task levels must be the
 * plan's levels; task units must lie in the owner's area (a county plan tasks the county's units).
 */
export async function createPlan(ctx: UserCtx, body: PlanBody) {
  const owner = await ownerUnit(ctx, body.ownerUnitId);
  if (!owner) throw badRequest('plan_owner_unknown', { unitId: body.ownerUnitId });
  authorize(ctx.actor, plansPolicy, 'create', { unitId: owner.id, areaId: owner.area_id });
  const levels = [...new Set(body.levels)];
  const categoryCodes = [...new Set(body.categoryCodes)];
  if (body.kind !== 'overall' && categoryCodes.length === 0) throw badRequest('plan_categories_required');
  const tasks = body.tasks ?? [];
  await checkTasks(ctx, tasks, levels, owner.area_id);
  const id = await insertPlan(ctx, {
    title: body.title,
    kind: body.kind,
    ownerUnitId: owner.id,
    ownerPath: owner.path,
    ownerAreaId: owner.area_id,
    scopeAreaId: owner.scope_area_id,
    categoryCodes,
    levels,
    reviseBy: body.reviseBy,
    tasks: tasks.map((x) => ({
      level: x.level,
      title: x.title,
      unitId: x.unitId,
      withinMinutes: x.withinMinutes,
    })),
    supplies: (body.supplies ?? []).map((s) => ({ itemCode: s.itemCode, quantity: s.quantity })),
  });
  await addTimer(ctx, PLAN_REVISE_REMINDER, id, reviseReminderAt(body.reviseBy), { reviseBy: body.reviseBy });
  await audit(ctx, {
    stream: `plan:${id}`,
    action: 'plan_created',
    entityType: 'plan',
    entityId: id,
    data: {
      title: body.title,
      kind: body.kind,
      ownerUnitId: owner.id,
      categoryCodes,
      levels,
      reviseBy: body.reviseBy,
      version: 1,
      tasks: tasks.length,
      supplies: (body.supplies ?? []).length,
    },
  });
  return getPlan(ctx, id);
}

export async function getPlan(ctx: UserCtx, id: string) {
  const p = await readablePlan(ctx, ctx.actor, id);
  if (!p) throw notFound('plan_not_found');
  return presentPlan(ctx.actor, p, await namesOf(ctx, [p]));
}

export async function planList(ctx: UserCtx, f: { kind?: string; q?: string; unitId?: string }) {
  const rows = await listPlans(ctx, ctx.actor, f);
  const names = await namesOf(ctx, rows);
  return { items: rows.map((p) => presentPlan(ctx.actor, p, names)), nextCursor: null };
}

async function presentActivations(ctx: Ctx, rows: ActivationRow[]) {
  const status = new Map<string, { status: 'open' | 'done' | 'overdue'; completedAt: string | null }>();
  if (rows.length)
    for (const lt of await linkedTasks(ctx, 'event', [rows[0].event_id]))
      status.set(lt.id, { status: lt.status, completedAt: lt.completedAt });
  const units = await unitsWithArea(ctx, [...new Set(rows.flatMap((r) => r.tasks.map((x) => x.unitId)))]);
  return rows.map((r) => ({
    id: r.id,
    planId: r.plan_id,
    planTitle: r.plan_title,
    eventId: r.event_id,
    level: r.level,
    planVersion: r.plan_version,
    tasks: r.tasks.map((x) => ({
      id: x.taskId,
      title: x.title,
      unitId: x.unitId,
      unitName: units.get(x.unitId)?.name ?? '',
      dueAt: new Date(new Date(r.activated_at).getTime() + x.withinMinutes * 60_000).toISOString(),
      status: status.get(x.taskId)?.status ?? ('open' as const),
      completedAt: status.get(x.taskId)?.completedAt ?? null,
    })),
    warning: r.warning,
    warningText: r.warning ? t(ctx.lang, `warning.${r.warning}`) : null,
    activatedAt: iso(r.activated_at),
    activatedByName: r.activated_by_name,
    activatedUnitName: r.activated_unit_name,
  }));
}

/**
 * POST /api/plans/{id}/activate: by a leader, principal or duty leader of the plan owner's area. Creates the
 * tasks of that response level (version in force) as supervised tasks (source `event`), due `withinMinutes`
 * after activation, and alerts each task unit's duty room with an urgent notification to acknowledge. The same
 * plan at the same level twice → 409; raising the level adds that level's tasks only; a level without tasks
 * activates with a warning.
 */
export async function activatePlan(ctx: UserCtx, planId: string, body: z.infer<typeof activateBody>) {
  const p = await readablePlan(ctx, ctx.actor, planId, true);
  if (!p) throw notFound('plan_not_found');
  authorize(ctx.actor, plansPolicy, 'activate', planRef(p));
  const ev = await getVisibleEvent(ctx, body.eventId);
  if (!ev) throw notFound('event_not_found');
  if (ev.status === 'closed') throw conflict('event_closed');
  if (!p.levels.includes(body.level))
    throw unprocessable('plan_level_not_in_plan', { levels: p.levels.map((l) => LEVEL_NAMES[l]) });
  if (await activationExists(ctx, p.id, ev.id, body.level))
    throw conflict('plan_already_activated', { planId: p.id, eventId: ev.id, level: body.level });
  const now = ctx.clock.now();
  const planTasks = p.tasks.filter((x) => x.level === body.level);
  const units = await unitsWithArea(
    ctx,
    planTasks.map((x) => x.unitId),
  );
  const created: ActivationRow['tasks'] = [];
  for (const x of planTasks) {
    const dueAt = new Date(now.getTime() + x.withinMinutes * 60_000);
    const { id } = await issueTask(ctx, {
      title: x.title,
      source: 'event',
      sourceId: ev.id,
      ownerUnitId: x.unitId,
      dueAt,
      leaderName: ctx.actor.name,
    });
    created.push({ taskId: id, title: x.title, unitId: x.unitId, withinMinutes: x.withinMinutes });
    const unit = units.get(x.unitId);
    const areaId = unit?.area_id ?? x.unitId;
    await notify(ctx, {
      userIds: await dutyRoomUsers(ctx, areaId),
      toOnDutyOf: areaId,
      kind: 'plan.activated',
      title: `【预案启动】${p.title}（${LEVEL_NAMES[body.level]}级响应）`,
      body: `${unit?.name ?? ''}：${x.title}，请于 ${fmtBeijing(dueAt)} 前完成。事件：${ev.title}`,
      data: { taskId: id, planId: p.id, eventId: ev.id, level: body.level },
      eventId: ev.id,
      urgent: true,
    });
  }
  const warning = planTasks.length === 0 ? 'no_tasks_for_level' : null;
  const activationId = await insertActivation(ctx, {
    planId: p.id,
    eventId: ev.id,
    level: body.level,
    planVersion: p.version_in_force,
    tasks: created,
    warning,
  });
  await audit(ctx, {
    stream: `event:${ev.id}`,
    action: 'plan_activated',
    entityType: 'plan_activation',
    entityId: activationId,
    data: {
      planId: p.id,
      planTitle: p.title,
      planVersion: p.version_in_force,
      level: body.level,
      taskIds: created.map((x) => x.taskId),
      warning,
    },
  });
  await publish(
    ctx,
    [unitAudience(ev.responsible_unit_id), unitAudience(ctx.actor.acting.id)],
    'plan.activated',
    {
      eventId: ev.id,
      planId: p.id,
      activationId,
    },
  );
  const [out] = await presentActivations(ctx, await activationsOf(ctx, ev.id, activationId));
  return out;
}

/** GET /api/events/{id}/plan-activations: the plans activated on an event with their tasks' status. */
export async function eventActivations(ctx: UserCtx, eventId: string) {
  const ev = await getVisibleEvent(ctx, eventId);
  if (!ev) throw notFound('event_not_found');
  return { items: await presentActivations(ctx, await activationsOf(ctx, eventId)), nextCursor: null };
}

// ---- revisions: draft → review → published; the version in force stays activatable meanwhile

async function presentVersions(ctx: Ctx, p: PlanRow, rows: VersionRow[]) {
  const names = await namesOf(
    ctx,
    rows.map((v) => ({ ...p, tasks: v.tasks })),
  );
  return rows.map((v) => ({
    version: v.version,
    status: v.status,
    inForce: v.version === p.version_in_force,
    tasks: v.tasks.map((x) => ({ ...x, unitName: names.get(x.unitId) ?? '' })),
    supplies: v.supplies,
    note: v.note,
    createdByName: v.created_by_name,
    createdAt: iso(v.created_at),
    publishedAt: v.published_at ? iso(v.published_at) : null,
  }));
}

async function plannable(ctx: UserCtx, id: string, lock = false) {
  const p = await readablePlan(ctx, ctx.actor, id, lock);
  if (!p) throw notFound('plan_not_found');
  return p;
}

/** GET /api/plans/{id}/versions */
export async function planVersions(ctx: UserCtx, id: string) {
  const p = await plannable(ctx, id);
  return { items: await presentVersions(ctx, p, await versionsOf(ctx, id)), nextCursor: null };
}

async function versionOut(ctx: UserCtx, id: string, version: number) {
  const p = await plannable(ctx, id);
  const all = await presentVersions(ctx, p, await versionsOf(ctx, id));
  return all.find((v) => v.version === version)!;
}

/**
 * POST /api/plans/{id}/revisions: the owner's editors start a revision (a draft of the next version, from the
 * tasks and supplies given or those in force); one open revision at a time.
 */
export async function revisePlan(
  ctx: UserCtx,
  id: string,
  body: { tasks?: PlanTask[] | null; supplies?: PlanSupply[] | null; note?: string | null },
) {
  const p = await plannable(ctx, id, true);
  authorize(ctx.actor, plansPolicy, 'create', planRef(p));
  const versions = await versionsOf(ctx, id);
  const open = versions.find((v) => v.status !== 'published');
  if (open) throw conflict('plan_revision_open', { version: open.version });
  const tasks = (body.tasks ?? p.tasks).map((x) => ({
    level: x.level,
    title: x.title,
    unitId: x.unitId,
    withinMinutes: x.withinMinutes,
  }));
  await checkTasks(ctx, tasks, p.levels, p.owner_area_id);
  const version = Math.max(...versions.map((v) => v.version)) + 1;
  const supplies = (body.supplies ?? p.supplies).map((x) => ({ itemCode: x.itemCode, quantity: x.quantity }));
  await insertVersion(ctx, { planId: id, version, tasks, supplies, note: body.note || null });
  await audit(ctx, {
    stream: `plan:${id}`,
    action: 'plan_revision_drafted',
    entityType: 'plan',
    entityId: id,
    data: { version, tasks: tasks.length, supplies: supplies.length, note: body.note || null },
  });
  return versionOut(ctx, id, version);
}

/** POST /api/plans/{id}/revisions/{version}/submit: the draft goes to review (the owner's editors). */
export async function submitRevision(ctx: UserCtx, id: string, version: number) {
  const p = await plannable(ctx, id, true);
  authorize(ctx.actor, plansPolicy, 'create', planRef(p));
  const v = (await versionsOf(ctx, id)).find((x) => x.version === version);
  if (!v) throw notFound('plan_version_not_found');
  if (v.status !== 'draft') throw conflict('plan_revision_not_draft', { status: v.status });
  await setVersionStatus(ctx, id, version, 'review');
  await audit(ctx, {
    stream: `plan:${id}`,
    action: 'plan_revision_submitted',
    entityType: 'plan',
    entityId: id,
    data: { version },
  });
  return versionOut(ctx, id, version);
}

/**
 * POST /api/plans/{id}/revisions/{version}/publish: a leader or principal of the owner's area publishes the
 * reviewed version; it is in force from now (later activations record it).
 */
export async function publishRevision(ctx: UserCtx, id: string, version: number) {
  const p = await plannable(ctx, id, true);
  authorize(ctx.actor, plansPolicy, 'publish', planRef(p));
  const v = (await versionsOf(ctx, id)).find((x) => x.version === version);
  if (!v) throw notFound('plan_version_not_found');
  if (v.status !== 'review') throw conflict('plan_revision_not_in_review', { status: v.status });
  await setVersionStatus(ctx, id, version, 'published');
  await audit(ctx, {
    stream: `plan:${id}`,
    action: 'plan_published',
    entityType: 'plan',
    entityId: id,
    data: { version, previous: p.version_in_force },
  });
  return versionOut(ctx, id, version);
}

// a task of an activated plan links back to its event page
linkTaskSource('event', async (_ctx, eventId) => `/events/${eventId}`);
