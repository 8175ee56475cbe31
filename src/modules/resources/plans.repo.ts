import { type SQL, sql } from 'drizzle-orm';
import type { Actor, Ctx } from '../../floor/context.js';
import { readableSql } from './resources.repo.js';

/** SQL of plans (应急预案), their versions and activations. */

export interface PlanTask {
  level: string;
  title: string;
  unitId: string;
  withinMinutes: number;
}
export interface PlanSupply {
  itemCode: string;
  quantity: number;
}

export type PlanRow = {
  id: string;
  title: string;
  kind: string;
  owner_unit_id: string;
  owner_name: string;
  owner_path: string[];
  owner_area_id: string;
  scope_area_id: string;
  category_codes: string[];
  levels: string[];
  revise_by: string;
  version_in_force: number;
  tasks: PlanTask[];
  supplies: PlanSupply[];
  created_at: Date;
  updated_at: Date;
};

const PLAN_SELECT = sql`select p.id, p.title, p.kind, p.owner_unit_id, u.name as owner_name, p.owner_path,
    p.owner_area_id, p.scope_area_id, p.category_codes, p.levels, to_char(p.revise_by, 'YYYY-MM-DD') as revise_by,
    p.version_in_force, v.tasks, v.supplies, p.created_at, p.updated_at
  from plans p join units u on u.id = p.owner_unit_id
  join plan_versions v on v.plan_id = p.id and v.version = p.version_in_force`;

const textArray = (xs: string[]) =>
  sql.raw(`array[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]::text[]`);
const uuidArray = (xs: string[]) =>
  sql.raw(`array[${xs.map((x) => `'${x.replace(/[^0-9a-f-]/gi, '')}'`).join(',')}]::uuid[]`);

export async function insertPlan(
  ctx: Ctx,
  p: {
    title: string;
    kind: string;
    ownerUnitId: string;
    ownerPath: string[];
    ownerAreaId: string;
    scopeAreaId: string;
    categoryCodes: string[];
    levels: string[];
    reviseBy: string;
    tasks: PlanTask[];
    supplies: PlanSupply[];
  },
): Promise<string> {
  const now = ctx.clock.now().toISOString();
  const by = ctx.actor!.id;
  const r = await ctx.tx.execute<{
    id: string;
  }>(sql`insert into plans (title, kind, owner_unit_id, owner_path,
      scope_area_id, owner_area_id, category_codes, levels, revise_by, version_in_force, created_by, created_at,
      updated_at)
    values (${p.title}, ${p.kind}, ${p.ownerUnitId}, ${uuidArray(p.ownerPath)}, ${p.scopeAreaId}, ${p.ownerAreaId},
      ${textArray(p.categoryCodes)}, ${textArray(p.levels)}, ${p.reviseBy}, 1, ${by}, ${now}, ${now}) returning id`);
  const id = r.rows[0].id;
  await ctx.tx.execute(sql`insert into plan_versions (plan_id, version, status, tasks, supplies, created_by,
      created_at, published_at)
    values (${id}, 1, 'published', ${JSON.stringify(p.tasks)}::jsonb, ${JSON.stringify(p.supplies)}::jsonb, ${by},
      ${now}, ${now})`);
  return id;
}

/** One plan (with its version in force) the actor may read; `lock` serializes activations of the plan. */
export async function readablePlan(ctx: Ctx, a: Actor, id: string, lock = false): Promise<PlanRow | null> {
  const r = await ctx.tx.execute<PlanRow>(
    sql`${PLAN_SELECT} where p.id = ${id} and ${readableSql(a, 'p')} ${lock ? sql`for update of p` : sql``}`,
  );
  return r.rows[0] ?? null;
}

export async function listPlans(ctx: Ctx, a: Actor, f: { kind?: string; q?: string; unitId?: string }) {
  const conds: SQL[] = [readableSql(a, 'p')];
  if (f.kind) conds.push(sql`p.kind = ${f.kind}`);
  if (f.unitId) conds.push(sql`p.owner_unit_id = ${f.unitId}`);
  if (f.q) conds.push(sql`p.title like ${`%${f.q}%`}`);
  const r = await ctx.tx.execute<PlanRow>(
    sql`${PLAN_SELECT} where ${sql.join(conds, sql` and `)} order by p.created_at desc, p.id limit 500`,
  );
  return r.rows;
}

/** Units by id with the area they belong to (for task units: the area whose duty room is alerted). */
export async function unitsWithArea(ctx: Ctx, ids: string[]) {
  if (ids.length === 0)
    return new Map<string, { id: string; name: string; kind: string; path: string[]; area_id: string }>();
  const r = await ctx.tx.execute<{
    id: string;
    name: string;
    kind: string;
    path: string[];
    area_id: string;
  }>(sql`
    select id, name, kind, path, case when kind = 'area' or parent_id is null then id else parent_id end as area_id
    from units where not disabled and id = any(${uuidArray(ids)})`);
  return new Map(r.rows.map((x) => [x.id, x]));
}

/**
 * The people of an area's duty room (值班室) — the desk alerted by an activation; an area without one (a
 * township) is alerted at its offices (党政办).
 */
export async function dutyRoomUsers(ctx: Ctx, areaId: string): Promise<string[]> {
  const r = await ctx.tx.execute<{
    id: string;
    duty: boolean;
  }>(sql`select us.id, un.kind = 'duty_room' as duty
    from users us join units un on un.id = us.unit_id
    where not us.disabled and un.parent_id = ${areaId} and un.kind in ('duty_room', 'party_office', 'gov_office')`);
  const duty = r.rows.filter((x) => x.duty);
  return (duty.length ? duty : r.rows).map((x) => x.id);
}

export type ActivationRow = {
  id: string;
  plan_id: string;
  plan_title: string;
  event_id: string;
  level: string;
  plan_version: number;
  tasks: { taskId: string; title: string; unitId: string; withinMinutes: number }[];
  warning: string | null;
  activated_by_name: string | null;
  activated_unit_name: string | null;
  activated_at: Date;
};

export async function activationExists(ctx: Ctx, planId: string, eventId: string, level: string) {
  const r = await ctx.tx.execute(
    sql`select 1 from plan_activations where plan_id = ${planId} and event_id = ${eventId} and level = ${level}`,
  );
  return (r.rowCount ?? 0) > 0;
}

export async function insertActivation(
  ctx: Ctx,
  x: {
    planId: string;
    eventId: string;
    level: string;
    planVersion: number;
    tasks: ActivationRow['tasks'];
    warning: string | null;
  },
): Promise<string> {
  const a = ctx.actor!;
  const r = await ctx.tx.execute<{ id: string }>(sql`insert into plan_activations (plan_id, event_id, level,
      plan_version, tasks, warning, activated_by, activated_unit_id, activated_at)
    values (${x.planId}, ${x.eventId}, ${x.level}, ${x.planVersion}, ${JSON.stringify(x.tasks)}::jsonb, ${x.warning},
      ${a.id}, ${a.acting.id}, ${ctx.clock.now().toISOString()}) returning id`);
  return r.rows[0].id;
}

export async function activationsOf(ctx: Ctx, eventId: string, id?: string): Promise<ActivationRow[]> {
  const r = await ctx.tx.execute<ActivationRow>(sql`select x.id, x.plan_id, p.title as plan_title, x.event_id,
      x.level, x.plan_version, x.tasks, x.warning, us.name as activated_by_name, un.name as activated_unit_name,
      x.activated_at
    from plan_activations x join plans p on p.id = x.plan_id left join users us on us.id = x.activated_by
    left join units un on un.id = x.activated_unit_id
    where x.event_id = ${eventId} ${id ? sql`and x.id = ${id}` : sql``} order by x.activated_at, x.seq`);
  return r.rows;
}

// ---- revisions (draft → review → published)

export type VersionRow = {
  plan_id: string;
  version: number;
  status: 'draft' | 'review' | 'published';
  tasks: PlanTask[];
  supplies: PlanSupply[];
  note: string | null;
  created_by_name: string | null;
  created_at: Date;
  published_at: Date | null;
};

export async function versionsOf(ctx: Ctx, planId: string): Promise<VersionRow[]> {
  const r =
    await ctx.tx.execute<VersionRow>(sql`select v.plan_id, v.version, v.status, v.tasks, v.supplies, v.note,
      us.name as created_by_name, v.created_at, v.published_at
    from plan_versions v left join users us on us.id = v.created_by
    where v.plan_id = ${planId} order by v.version`);
  return r.rows;
}

export async function insertVersion(
  ctx: Ctx,
  x: { planId: string; version: number; tasks: PlanTask[]; supplies: PlanSupply[]; note: string | null },
): Promise<void> {
  await ctx.tx.execute(sql`insert into plan_versions (plan_id, version, status, tasks, supplies, note, created_by,
      created_at)
    values (${x.planId}, ${x.version}, 'draft', ${JSON.stringify(x.tasks)}::jsonb, ${JSON.stringify(x.supplies)}::jsonb,
      ${x.note}, ${ctx.actor!.id}, ${ctx.clock.now().toISOString()})`);
}

export async function setVersionStatus(
  ctx: Ctx,
  planId: string,
  version: number,
  status: 'review' | 'published',
): Promise<void> {
  const now = ctx.clock.now().toISOString();
  await ctx.tx.execute(sql`update plan_versions set status = ${status},
    published_at = ${status === 'published' ? now : null} where plan_id = ${planId} and version = ${version}`);
  if (status === 'published')
    await ctx.tx.execute(
      sql`update plans set version_in_force = ${version}, updated_at = ${now} where id = ${planId}`,
    );
}
