import { sql } from 'drizzle-orm';
import type { Actor, Ctx } from '../../floor/context.js';
import { isGlobalAdmin } from '../auth/policy.js';

export type EventRow = {
  id: string;
  title: string;
  category_code: string;
  level: string | null;
  occurred_at: Date;
  learned_at: Date | null;
  registered_at: Date;
  place: { divisionCode?: string | null; address: string; lng?: number | null; lat?: number | null };
  responsible_unit_id: string;
  registered_by_unit_id: string;
  registered_by_user_id: string;
  source: string;
  summary: string | null;
  casualties: Record<string, number>;
  direct_loss_yuan: string | null;
  flags: Record<string, unknown>;
  inverted_flow: string[];
  must_report: { required: boolean; rules: string[]; ruleSetVersion: number };
  timeliness_version: number;
  must_report_version: number;
  responsible_department_ids: string[];
  requested_at: Date | null;
  active_response: boolean;
  status: string;
  closed_at: Date | null;
  merged_into_id: string | null;
  classification: string;
};

export type ReportRow = {
  id: string;
  event_id: string;
  unit_id: string;
  kind: string;
  seq: number;
  status: string;
  elements: Record<string, any>;
  pending_elements: Record<string, string>;
  fast_track: boolean;
  level: string | null;
  recipients: string[];
  source_report_ids: string[];
  created_by: string;
  created_at: Date;
  submitted_at: Date | null;
  sent_at: Date | null;
  called_at: Date | null;
  caller_name: string | null;
  caller_phone: string | null;
  caller_post: string | null;
  caller_unit_id: string | null;
  told_leaders: string | null;
  return_reason: string | null;
  contradictions: unknown[];
  version: number;
  direction?: string | null;
  to_unit_id?: string | null;
  to_area_id?: string | null;
  answered_by?: string | null;
  confirmation?: string | null;
  confirmed_at?: Date | null;
  confirmed_by?: string | null;
  dispute_reason?: string | null;
  same_call_as?: string | null;
  captured_at?: Date | null;
};

/** SQL: the event aliased `e` is visible to the actor (a unit it concerns lies in the actor's subtree). */
export function eventScope(a: Actor) {
  if (isGlobalAdmin(a)) return sql`true`;
  return sql`exists (select 1 from event_units eu join units su on su.id = eu.unit_id
    where eu.event_id = e.id and su.path @> array[${a.acting.id}]::uuid[])`;
}

export async function getEvent(ctx: Ctx, id: string, forUpdate = false): Promise<EventRow | null> {
  const r = await ctx.tx.execute<EventRow>(
    sql`select * from events where id = ${id} ${forUpdate ? sql`for update` : sql``}`,
  );
  return r.rows[0] ?? null;
}

export async function getVisibleEvent(ctx: Ctx, id: string, forUpdate = false): Promise<EventRow | null> {
  const a = ctx.actor!;
  const r = await ctx.tx.execute<EventRow>(
    sql`select e.* from events e where e.id = ${id} and ${eventScope(a)} ${forUpdate ? sql`for update of e` : sql``}`,
  );
  return r.rows[0] ?? null;
}

export async function addEventUnits(ctx: Ctx, eventId: string, unitIds: string[], reason: string) {
  const ids = [...new Set(unitIds.filter(Boolean))];
  if (ids.length === 0) return;
  await ctx.tx.execute(
    sql`insert into event_units (event_id, unit_id, reason) values ${sql.join(
      ids.map((u) => sql`(${eventId}, ${u}, ${reason})`),
      sql`, `,
    )} on conflict do nothing`,
  );
}

export async function getReport(ctx: Ctx, id: string, forUpdate = false): Promise<ReportRow | null> {
  const r = await ctx.tx.execute<ReportRow>(
    sql`select * from reports where id = ${id} ${forUpdate ? sql`for update` : sql``}`,
  );
  return r.rows[0] ?? null;
}

export async function eventReports(ctx: Ctx, eventId: string): Promise<ReportRow[]> {
  const r = await ctx.tx.execute<ReportRow>(
    sql`select * from reports where event_id = ${eventId} order by coalesce(called_at, sent_at, created_at), created_at`,
  );
  return r.rows;
}

export async function approvalsOf(ctx: Ctx, reportIds: string[]) {
  if (reportIds.length === 0) return [];
  const r = await ctx.tx.execute<any>(
    sql`select * from report_approvals where report_id in (${sql.join(
      reportIds.map((i) => sql`${i}`),
      sql`, `,
    )}) order by ord`,
  );
  return r.rows;
}

export async function deliveriesOf(ctx: Ctx, reportIds: string[]) {
  if (reportIds.length === 0) return [];
  const r = await ctx.tx.execute<any>(
    sql`select * from report_deliveries where report_id in (${sql.join(
      reportIds.map((i) => sql`${i}`),
      sql`, `,
    )}) order by arrived_at`,
  );
  return r.rows;
}

export async function unitRow(ctx: Ctx, id: string) {
  const r = await ctx.tx.execute<any>(sql`select * from units where id = ${id}`);
  return r.rows[0] ?? null;
}

/** Units and their parents, by id, in one statement (rows as `unitRow` gives them). */
export async function unitsWithParents(ctx: Ctx, ids: string[]): Promise<Map<string, any>> {
  const arr = uuidArray([...new Set(ids)]);
  const r = await ctx.tx.execute<any>(sql`select u.* from units u where u.id = any(${arr})
    or u.id in (select c.parent_id from units c where c.id = any(${arr}))`);
  return new Map(r.rows.map((u) => [u.id as string, u]));
}

/** A uuid[] parameter (one bound value, never SQL text). */
export const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

export type LoadedUnit = {
  id: string;
  name: string;
  kind: string;
  level: string | null;
  parent_id: string | null;
  path: string[];
};

export interface RegistrationLoad {
  categoryExists: boolean;
  /** the version of every rule-set kind in force now */
  versions: Record<string, number>;
  /** the unit named as responsible and every unit above it (its path), itself included */
  pathUnits: LoadedUnit[];
  /** enabled departments of the areas the responsible unit may belong to (candidates for 职责部门) */
  departments: Array<{ id: string; parent_id: string; department_type: string | null }>;
}

/** Everything registering an event decides on, in one statement. */
export async function loadRegistration(
  ctx: Ctx,
  categoryCode: string,
  unitId: string,
): Promise<RegistrationLoad> {
  const r = await ctx.tx.execute<any>(sql`
    with target as (select path from units where id = ${unitId})
    select
      exists (select 1 from categories where code = ${categoryCode}) as category_exists,
      (select coalesce(json_object_agg(kind, v), '{}'::json)
         from (select kind, max(version)::int as v from rule_sets group by kind) x) as versions,
      (select coalesce(json_agg(json_build_object('id', u.id, 'name', u.name, 'kind', u.kind, 'level', u.level,
          'parent_id', u.parent_id, 'path', u.path)), '[]'::json)
         from units u where u.id = any ((select path from target)::uuid[])) as path_units,
      (select coalesce(json_agg(json_build_object('id', u.id, 'parent_id', u.parent_id,
          'department_type', u.department_type)), '[]'::json)
         from units u where u.kind = 'department' and not u.disabled
           and u.parent_id = any ((select path[greatest(cardinality(path) - 2, 1):] from target)::uuid[])) as departments`);
  const row = r.rows[0];
  return {
    categoryExists: row.category_exists,
    versions: row.versions,
    pathUnits: row.path_units,
    departments: row.departments,
  };
}
