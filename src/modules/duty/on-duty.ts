import { sql } from 'drizzle-orm';
import type { Ctx } from '../../floor/context.js';

export interface OnDutyShift {
  shiftId: string;
  unitId: string;
  shiftCode: string;
  shiftName: string;
  startsAt: Date;
  endsAt: Date;
  officerId: string | null;
  leaderId: string | null;
  checkedInAt: Date | null;
}

/** The shifts running at `at` in these units (a unit may have two overlapping shifts). */
export async function shiftsAt(ctx: Ctx, unitIds: string[], at: Date): Promise<OnDutyShift[]> {
  if (unitIds.length === 0) return [];
  const r = await ctx.tx.execute<any>(sql`
    select id, unit_id, shift_code, shift_name, starts_at, ends_at, officer_id, leader_id, checked_in_at
    from duty_shifts
    where unit_id in (${sql.join(
      unitIds.map((i) => sql`${i}`),
      sql`, `,
    )}) and starts_at <= ${at.toISOString()} and ends_at > ${at.toISOString()}
    order by starts_at`);
  return r.rows.map((x) => ({
    shiftId: x.id,
    unitId: x.unit_id,
    shiftCode: x.shift_code,
    shiftName: x.shift_name,
    startsAt: new Date(x.starts_at),
    endsAt: new Date(x.ends_at),
    officerId: x.officer_id,
    leaderId: x.leader_id,
    checkedInAt: x.checked_in_at ? new Date(x.checked_in_at) : null,
  }));
}

/**
 * Who is on duty for an area at `at` (SPEC §2.5: off-hours arrivals go to the duty room and the
 * confidential bureau): the duty officers and leaders on the rosters of the area's duty room, confidential
 * bureau and general offices (a township's duty is kept by its 党政办), officers first. Where no roster
 * covers the moment, everyone of those units holding the duty officer or duty leader role — a message must
 * still reach a named person. The emergency module calls this for off-hours routing.
 */
export async function onDutyUsers(ctx: Ctx, areaUnitId: string, at: Date): Promise<string[]> {
  // one statement: the area's duty units, their running shifts' officers then leaders, and — only where no
  // roster names anyone — the units' people holding a duty role
  const t = at.toISOString();
  const r = await ctx.tx.execute<{ id: string }>(sql`
    with us as (
      select id from units
      where not disabled and (id = ${areaUnitId}
        or (parent_id = ${areaUnitId} and kind in ('duty_room','confidential_bureau','party_office','gov_office')))),
    sh as (
      select officer_id, leader_id, starts_at from duty_shifts
      where unit_id in (select id from us) and starts_at <= ${t} and ends_at > ${t}),
    rostered as (
      select officer_id as id, 0 as grp, starts_at as k1, ''::text as k2 from sh where officer_id is not null
      union all
      select leader_id, 1, starts_at, '' from sh where leader_id is not null),
    fallback as (
      select u.id, case when 'duty_officer' = any(u.roles) then 0 else 1 end, null::timestamptz, u.username
      from users u
      where not exists (select 1 from rostered) and not u.disabled and u.unit_id in (select id from us)
        and u.roles && array['duty_officer','duty_leader']::text[])
    select id from (select * from rostered union all select * from fallback) x order by grp, k1, k2`);
  return [...new Set(r.rows.map((x) => x.id))];
}
