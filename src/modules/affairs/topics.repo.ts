import { type SQL, sql } from 'drizzle-orm';
import type { Actor, Ctx } from '../../floor/context.js';
import { isGlobalAdmin } from '../auth/policy.js';

/** SQL of the reporting priorities (报送要点) and research topics (调研题目). */

export type PriorityRow = { id: string; area_id: string; year: number; title: string; created_at: Date };

export async function insertPriority(ctx: Ctx, p: { areaId: string; year: number; title: string }) {
  const r = await ctx.tx.execute<{
    id: string;
  }>(sql`insert into affairs_priorities (area_id, year, title, created_by,
    created_at) values (${p.areaId}, ${p.year}, ${p.title}, ${ctx.actor?.id ?? null}, ${ctx.clock.now().toISOString()})
    returning id`);
  return r.rows[0].id;
}

export async function prioritiesOf(ctx: Ctx, areaIds: string[], year?: number): Promise<PriorityRow[]> {
  if (areaIds.length === 0) return [];
  const r =
    await ctx.tx.execute<PriorityRow>(sql`select id, area_id, year, title, created_at from affairs_priorities
    where area_id in (${sql.join(
      areaIds.map((a) => sql`${a}`),
      sql`, `,
    )}) ${year ? sql`and year = ${year}` : sql``} order by year desc, created_at`);
  return r.rows;
}

export type TopicRow = {
  id: string;
  title: string;
  summary: string | null;
  priority_id: string | null;
  priority_title: string | null;
  unit_id: string;
  unit_name: string;
  unit_path: string[];
  section_area_id: string;
  status: string;
  reason: string | null;
  merge_into_id: string | null;
  scheduled_for: string | null;
  schedule_order: number | null;
  proposed_by: string | null;
  created_at: Date;
  screened_at: Date | null;
};

const TOPIC_SELECT = sql`select t.id, t.title, t.summary, t.priority_id, p.title as priority_title, t.unit_id,
  u.name as unit_name, u.path as unit_path, t.section_area_id, t.status, t.reason, t.merge_into_id,
  to_char(t.scheduled_for, 'YYYY-MM-DD') as scheduled_for, t.schedule_order, t.proposed_by, t.created_at, t.screened_at
  from affairs_topics t join units u on u.id = t.unit_id left join affairs_priorities p on p.id = t.priority_id`;

export async function insertTopic(
  ctx: Ctx,
  t: {
    title: string;
    summary: string | null;
    priorityId: string | null;
    unitId: string;
    sectionAreaId: string;
  },
) {
  const r = await ctx.tx.execute<{
    id: string;
  }>(sql`insert into affairs_topics (title, summary, priority_id, unit_id,
    section_area_id, proposed_by, status, created_at) values (${t.title}, ${t.summary}, ${t.priorityId}, ${t.unitId},
    ${t.sectionAreaId}, ${ctx.actor?.id ?? null}, 'proposed', ${ctx.clock.now().toISOString()}) returning id`);
  return r.rows[0].id;
}

export async function loadTopic(ctx: Ctx, id: string, lock = false): Promise<TopicRow | null> {
  const r = await ctx.tx.execute<TopicRow>(
    sql`${TOPIC_SELECT} where t.id = ${id} ${lock ? sql`for update of t` : sql``}`,
  );
  return r.rows[0] ?? null;
}

/** Topics the actor sees: proposed by the unit they act for or its subtree, or screened by their section. */
export async function listTopicRows(ctx: Ctx, a: Actor, f: { status?: string }): Promise<TopicRow[]> {
  const conds: SQL[] = [
    isGlobalAdmin(a)
      ? sql`true`
      : sql`(u.path @> array[${a.acting.id}]::uuid[] or t.section_area_id = ${a.acting.id})`,
  ];
  if (f.status) conds.push(sql`t.status = ${f.status}`);
  const r = await ctx.tx.execute<TopicRow>(sql`${TOPIC_SELECT} where ${sql.join(conds, sql` and `)}
    order by t.schedule_order nulls last, t.scheduled_for nulls last, t.created_at desc limit 500`);
  return r.rows;
}

export async function setTopicFields(
  ctx: Ctx,
  id: string,
  f: Partial<{
    status: string;
    reason: string | null;
    mergeIntoId: string | null;
    scheduledFor: string | null;
    scheduleOrder: number | null;
    screened: boolean;
  }>,
) {
  const sets: SQL[] = [];
  if (f.status !== undefined) sets.push(sql`status = ${f.status}`);
  if (f.reason !== undefined) sets.push(sql`reason = ${f.reason}`);
  if (f.mergeIntoId !== undefined) sets.push(sql`merge_into_id = ${f.mergeIntoId}`);
  if (f.scheduledFor !== undefined) sets.push(sql`scheduled_for = ${f.scheduledFor}`);
  if (f.scheduleOrder !== undefined) sets.push(sql`schedule_order = ${f.scheduleOrder}`);
  if (f.screened)
    sets.push(sql`screened_by = ${ctx.actor?.id ?? null}, screened_at = ${ctx.clock.now().toISOString()}`);
  if (sets.length === 0) return;
  await ctx.tx.execute(sql`update affairs_topics set ${sql.join(sets, sql`, `)} where id = ${id}`);
}
