import { sql } from 'drizzle-orm';
import { type Ctx, OFFICE_KINDS } from '../../floor/context.js';
import { registerMessages, t } from '../../floor/i18n.js';
import { subtreeScope } from '../auth/policy.js';

/**
 * Staffing rules (SPEC §1): each township keeps ≥1 full-time and 1–2 part-time information officers (users
 * with role `reporter` of the township or of an office acting for it, i.e. its 党政办); each county
 * department ≥1 information officer. Checked on demand for the caller's subtree.
 */
export const STAFFING_RULES = {
  township: { minFullTime: 1, minPartTime: 1, maxPartTime: 2 },
  countyDepartment: { minOfficers: 1 },
} as const;

registerMessages(
  {
    'staffing.township_full_time_missing': '专职信息员不足：现有 {have} 名，应至少 {min} 名',
    'staffing.township_part_time_missing': '兼职信息员不足：现有 {have} 名，应为 {min}–{max} 名',
    'staffing.township_part_time_excess': '兼职信息员过多：现有 {have} 名，应为 {min}–{max} 名',
    'staffing.department_officer_missing': '信息员不足：现有 {have} 名，应至少 {min} 名',
  },
  {
    'staffing.township_full_time_missing':
      'Too few full-time information officers: {have}, at least {min} needed',
    'staffing.township_part_time_missing':
      'Too few part-time information officers: {have}, {min}–{max} needed',
    'staffing.township_part_time_excess':
      'Too many part-time information officers: {have}, {min}–{max} expected',
    'staffing.department_officer_missing': 'Too few information officers: {have}, at least {min} needed',
  },
);

export type StaffingRule = 'township' | 'county_department';
export type StaffingProblemCode =
  | 'township_full_time_missing'
  | 'township_part_time_missing'
  | 'township_part_time_excess'
  | 'department_officer_missing';

/** The problems of one unit from its counts. Pure. */
export function staffingProblems(
  rule: StaffingRule,
  c: { fullTime: number; partTime: number; officers: number },
): Array<{ code: StaffingProblemCode; params: Record<string, number> }> {
  const out: Array<{ code: StaffingProblemCode; params: Record<string, number> }> = [];
  if (rule === 'township') {
    const r = STAFFING_RULES.township;
    if (c.fullTime < r.minFullTime)
      out.push({ code: 'township_full_time_missing', params: { have: c.fullTime, min: r.minFullTime } });
    if (c.partTime < r.minPartTime)
      out.push({
        code: 'township_part_time_missing',
        params: { have: c.partTime, min: r.minPartTime, max: r.maxPartTime },
      });
    if (c.partTime > r.maxPartTime)
      out.push({
        code: 'township_part_time_excess',
        params: { have: c.partTime, min: r.minPartTime, max: r.maxPartTime },
      });
  } else if (c.officers < STAFFING_RULES.countyDepartment.minOfficers) {
    out.push({
      code: 'department_officer_missing',
      params: { have: c.officers, min: STAFFING_RULES.countyDepartment.minOfficers },
    });
  }
  return out;
}

export async function staffingReport(ctx: Ctx, opts: { onlyProblems?: boolean } = {}) {
  const offices = sql.raw(OFFICE_KINDS.map((k) => `'${k}'`).join(','));
  const a = ctx.actor!;
  // an officer counts for the unit it acts for: an office's users for its area, anyone else for their own unit
  const r = await ctx.tx.execute<any>(sql`
    with checked as (
      select u.id, u.name, u.kind, u.level, u.parent_id, u.path, u.division_code,
        case when u.kind = 'area' then 'township' else 'county_department' end as rule
      from units u left join units p on p.id = u.parent_id
      where ${subtreeScope(a, 'u')} and not u.disabled
        and ((u.kind = 'area' and u.level = 'township')
          or (u.kind = 'department' and p.kind = 'area' and p.level = 'county'))
    ), officers as (
      select case when m.kind in (${offices}) then m.parent_id else m.id end as acting_id, us.officer_type
      from users us join units m on m.id = us.unit_id
      where ${subtreeScope(a, 'm')} and 'reporter' = any(us.roles) and not us.disabled and not m.disabled
    )
    select c.id, c.name, c.kind, c.level, c.parent_id, c.division_code, c.rule,
      count(o.acting_id) filter (where o.officer_type = 'full_time')::int as full_time,
      count(o.acting_id) filter (where o.officer_type = 'part_time')::int as part_time,
      count(o.acting_id)::int as officers
    from checked c left join officers o on o.acting_id = c.id
    group by c.id, c.name, c.kind, c.level, c.parent_id, c.division_code, c.rule, c.path
    order by array_length(c.path, 1), c.division_code nulls last, c.name, c.id`);
  const items = r.rows
    .map((u) => {
      const counts = { fullTime: u.full_time, partTime: u.part_time, officers: u.officers };
      return {
        unitId: u.id as string,
        name: u.name as string,
        kind: u.kind as string,
        level: (u.level ?? null) as string | null,
        parentId: (u.parent_id ?? null) as string | null,
        divisionCode: (u.division_code ?? null) as string | null,
        rule: u.rule as StaffingRule,
        ...counts,
        problems: staffingProblems(u.rule, counts).map((p) => ({
          code: p.code,
          message: t(ctx.lang, `staffing.${p.code}`, p.params),
        })),
      };
    })
    .filter((i) => !opts.onlyProblems || i.problems.length > 0);
  return {
    items,
    summary: {
      checked: r.rows.length,
      withProblems: items.filter((i) => i.problems.length > 0).length,
    },
    nextCursor: null,
  };
}
