import { sql } from 'drizzle-orm';
import type { Ctx } from '../../floor/context.js';
import type { Elements } from './elements.js';

/** A report that reached the caller's level, as the merge sees it. */
export interface UpwardSource {
  reportId: string;
  unitId: string;
  unitName: string;
  kind: string;
  /** When it left its unit: sent, or the time of the call for a phone record. */
  at: Date;
  elements: Elements;
  pendingElements: Record<string, string>;
}

/**
 * The reports of the event that reached the level `unitId` (arrived at its intake, or recorded there from a phone
 * call) and have left their unit (`sent`, `recorded`). `ids`: only these (the caller checks that all were found);
 * null: every such report of another unit.
 */
export async function upwardSources(
  ctx: Ctx,
  eventId: string,
  unitId: string,
  ids: string[] | null,
): Promise<UpwardSource[]> {
  if (ids && !ids.length) return [];
  const r = await ctx.tx.execute<any>(sql`select r.id, r.unit_id, u.name as unit_name, r.kind, r.elements,
      r.pending_elements, coalesce(case when r.kind = 'phone' then r.called_at end, r.sent_at, r.called_at, r.created_at) as at
    from reports r join units u on u.id = r.unit_id
    where r.event_id = ${eventId} and r.status in ('sent', 'recorded')
      and exists (select 1 from report_deliveries d where d.report_id = r.id and d.to_unit_id = ${unitId})
      ${
        ids
          ? sql`and r.id in (${sql.join(
              ids.map((i) => sql`${i}`),
              sql`, `,
            )})`
          : sql`and r.unit_id <> ${unitId}`
      }
    order by at, r.created_at`);
  return r.rows.map((x) => ({
    reportId: x.id,
    unitId: x.unit_id,
    unitName: x.unit_name,
    kind: x.kind,
    at: new Date(x.at),
    elements: x.elements ?? {},
    pendingElements: x.pending_elements ?? {},
  }));
}

/** The person composing and the duty phone of their office (or, failing that, of their area's duty room). */
export async function upwardWriter(ctx: Ctx) {
  const a = ctx.actor!;
  const r = await ctx.tx.execute<any>(sql`select u.name as user_name, u.phone, un.name as unit_name,
      coalesce(un.duty_phone, (select d.duty_phone from units d where d.parent_id = ${a.acting.id}
        and d.kind = 'duty_room' and d.duty_phone is not null order by d.name limit 1)) as duty_phone
    from users u join units un on un.id = u.unit_id where u.id = ${a.id}`);
  const w = r.rows[0] ?? {};
  return {
    userName: (w.user_name as string) ?? a.name,
    phone: (w.phone as string | null) ?? null,
    unitName: (w.unit_name as string) ?? a.unit.name,
    dutyPhone: (w.duty_phone as string | null) ?? null,
  };
}

/** The level's own reports of the event (to tell an initial report from a follow-up, and drafts in progress). */
export async function countyReportsOf(ctx: Ctx, eventId: string, unitId: string) {
  const r = await ctx.tx.execute<{ id: string; kind: string; status: string }>(
    sql`select id, kind, status from reports where event_id = ${eventId} and unit_id = ${unitId}`,
  );
  return r.rows;
}
