import { sql } from 'drizzle-orm';
import type { Ctx } from '../../floor/context.js';

/** One open obligation as read from the tables (see obligations.ts for what each kind means). */
export type ObligationRow = {
  kind: 'deadline' | 'followup' | 'countersign' | 'approval' | 'instruction' | 'unsigned' | 'request';
  event_id: string;
  title: string;
  level: string | null;
  due_at: Date | null;
  ref_id: string;
  channel: string | null;
  to_unit_id: string | null;
  step: string | null;
  casualties: Record<string, number> | null;
};

const ids = (xs: string[]) =>
  sql.join(
    xs.map((x) => sql`${x}`),
    sql`, `,
  );

/**
 * What the unit `unitId` (the caller acts for) still owes, in one statement: its open deadlines, follow-ups
 * due, countersignatures and approvals outstanding on its reports, instructions awaiting its feedback, arrivals
 * unsigned in its intakes (`intake`), requests from above it has not answered. Open, unmerged events only.
 */
export async function loadObligations(
  ctx: Ctx,
  unitId: string,
  intake: string[],
  unsignedMinutes: number,
): Promise<ObligationRow[]> {
  const r = await ctx.tx.execute<ObligationRow>(sql`
    with ev as (select id, title, level, casualties from events where status = 'open' and merged_into_id is null)
    select 'deadline' as kind, d.event_id, ev.title, ev.level, d.due_at, d.id as ref_id, d.channel, d.to_unit_id,
      null as step, ev.casualties
    from deadlines d join ev on ev.id = d.event_id
    where d.from_unit_id = ${unitId} and d.met_at is null and d.superseded_at is null and d.due_at is not null
    union all
    (select distinct on (t.ref_id) 'followup', t.ref_id, ev.title, ev.level, t.due_at, t.id, null, null, null,
      ev.casualties
    from timers t join ev on ev.id = t.ref_id
    where t.kind = 'event.followup' and t.cancelled_at is null
      and exists (select 1 from reports r where r.event_id = t.ref_id and r.unit_id = ${unitId} and r.status = 'sent')
    order by t.ref_id, t.due_at desc)
    union all
    select 'countersign', r.event_id, ev.title, ev.level, r.sent_at, r.id, null, null, a.step, ev.casualties
    from report_approvals a join reports r on r.id = a.report_id join ev on ev.id = r.event_id
    where r.unit_id = ${unitId} and a.countersign = 'outstanding'
    union all
    select 'approval', r.event_id, ev.title, ev.level, r.submitted_at + interval '5 minutes', r.id, null, null, a.step,
      ev.casualties
    from report_approvals a join reports r on r.id = a.report_id join ev on ev.id = r.event_id
    where r.unit_id = ${unitId} and r.status = 'awaiting_approval' and a.status = 'pending'
      and a.ord = (select min(ord) from report_approvals p where p.report_id = a.report_id and p.status = 'pending')
    union all
    select 'instruction', i.event_id, ev.title, ev.level, i.due_at, i.id, null, null, null, ev.casualties
    from instruction_targets it join instructions i on i.id = it.instruction_id join ev on ev.id = i.event_id
    where it.unit_id = ${unitId} and it.feedback_at is null
    union all
    select 'unsigned', d.event_id, ev.title, ev.level, d.arrived_at + make_interval(mins => ${unsignedMinutes}), d.report_id,
      null, d.to_unit_id, null, ev.casualties
    from report_deliveries d join ev on ev.id = d.event_id
    where d.to_unit_id in (${ids(intake)}) and d.signed_at is null and d.via <> 'phone'
    union all
    select 'request', q.event_id, ev.title, ev.level,
      (select min(dl.due_at) from deadlines dl where dl.event_id = q.event_id and dl.from_unit_id = q.to_unit_id
        and dl.met_at is null and dl.superseded_at is null), q.id, null, q.from_unit_id, null, ev.casualties
    from report_requests q join ev on ev.id = q.event_id
    where q.to_unit_id = ${unitId} and q.answered_report_id is null
    limit 500`);
  return r.rows;
}
