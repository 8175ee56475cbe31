import { sql } from 'drizzle-orm';
import type { Ctx } from '../../floor/context.js';
import type { TimerHandlers, TimerRow } from '../../floor/timers.js';
import { notify, usersActingFor } from '../notify/notify.js';

/** 30 days before a plan's revision date (修订期限), its keepers are reminded (SPEC §8, issue 13). */
export const PLAN_REVISE_REMINDER = 'plan.revise_reminder';
export const REMIND_DAYS_BEFORE = 30;

/** When to remind: 30 days before the end of the revision date (Beijing). */
export function reviseReminderAt(reviseBy: string): Date {
  const endOfDay = new Date(`${reviseBy}T23:59:59.999+08:00`);
  return new Date(endOfDay.getTime() - REMIND_DAYS_BEFORE * 86_400_000);
}

async function fire(ctx: Ctx, timers: TimerRow[]): Promise<void> {
  for (const t of timers) {
    const r = await ctx.tx.execute<{
      id: string;
      title: string;
      owner_unit_id: string;
      revise_by: string;
    }>(sql`
      select id, title, owner_unit_id, to_char(revise_by, 'YYYY-MM-DD') as revise_by from plans where id = ${t.ref_id}`);
    const p = r.rows[0];
    // a plan whose revision date moved since the reminder was set is reminded by its newer timer
    if (!p || p.revise_by !== t.payload.reviseBy) continue;
    await notify(ctx, {
      userIds: await usersActingFor(ctx, p.owner_unit_id, ['editor', 'admin']),
      kind: 'plan.revise_due',
      title: `【预案修订提醒】${p.title}须于${p.revise_by}前完成修订`,
      body: `请在修订期限前起草修订稿并报审定发布。`,
      data: { planId: p.id, path: `/plans/${p.id}` },
      dedupeKey: `${PLAN_REVISE_REMINDER}:${p.id}:${p.revise_by}`,
    });
  }
}

export const resourceTimers: TimerHandlers = new Map([[PLAN_REVISE_REMINDER, fire]]);
