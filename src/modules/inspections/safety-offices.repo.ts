import { sql } from 'drizzle-orm';
import type { Actor, Ctx } from '../../floor/context.js';
import { subtreeScope } from '../auth/policy.js';

/** SQL of the areas' safety committee offices (安委办, `area_safety_offices`). */

export type SafetyOfficeRow = {
  area_id: string;
  area_name: string;
  area_level: string | null;
  area_path: string[];
  unit_id: string | null;
  unit_name: string | null;
  default_unit_id: string | null;
  default_unit_name: string | null;
};

const SELECT = sql`select a.id as area_id, a.name as area_name, a.level as area_level, a.path as area_path,
  s.unit_id, su.name as unit_name, g.id as default_unit_id, g.name as default_unit_name
  from units a
  left join area_safety_offices s on s.area_id = a.id
  left join units su on su.id = s.unit_id
  left join lateral (select id, name from units where parent_id = a.id and kind = 'gov_office' and not disabled
    order by created_at limit 1) g on true`;

/** The areas of the actor's subtree (top-down) with the unit each names as its 安委办. */
export async function listSafetyOffices(ctx: Ctx, a: Actor): Promise<SafetyOfficeRow[]> {
  const r = await ctx.tx.execute<SafetyOfficeRow>(sql`${SELECT}
    where a.kind = 'area' and not a.disabled and ${subtreeScope(a, 'a')}
    order by array_length(a.path, 1), a.division_code nulls last, a.name limit 2000`);
  return r.rows;
}

export async function getSafetyOffice(ctx: Ctx, areaId: string): Promise<SafetyOfficeRow | null> {
  const r = await ctx.tx.execute<SafetyOfficeRow>(sql`${SELECT} where a.id = ${areaId} and a.kind = 'area'`);
  return r.rows[0] ?? null;
}

export async function upsertSafetyOffice(ctx: Ctx, areaId: string, unitId: string): Promise<void> {
  await ctx.tx.execute(sql`insert into area_safety_offices (area_id, unit_id) values (${areaId}, ${unitId})
    on conflict (area_id) do update set unit_id = excluded.unit_id`);
}
