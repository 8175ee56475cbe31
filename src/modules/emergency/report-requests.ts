import { sql } from 'drizzle-orm';
import { audit } from '../../floor/audit.js';
import type { Ctx } from '../../floor/context.js';

/** A report of the unit answers the open 调度/催报 requests to it on the event (in the same thread). */
export async function answerRequests(ctx: Ctx, eventId: string, unitId: string, reportId: string) {
  const r = await ctx.tx.execute<{
    id: string;
  }>(sql`update report_requests set answered_report_id = ${reportId},
    answered_at = ${ctx.clock.now().toISOString()}
    where event_id = ${eventId} and to_unit_id = ${unitId} and answered_report_id is null returning id`);
  for (const q of r.rows)
    await audit(ctx, {
      stream: `event:${eventId}`,
      action: 'request_answered',
      entityType: 'request',
      entityId: q.id,
      data: { reportId },
    });
}
