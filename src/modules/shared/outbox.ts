import { sql } from 'drizzle-orm';
import type { Ctx } from './context.js';

export const OUTBOX_CHANNEL = 'jibao_outbox';

/**
 * Announce a change to live pages. Written in the caller's transaction; the NOTIFY is delivered at commit
 * and only wakes the instances, which read the rows (so nothing is lost if a NOTIFY is).
 */
export async function publish(ctx: Ctx, audiences: string[], type: string, data: Record<string, unknown>) {
  const uniq = [...new Set(audiences)];
  if (uniq.length === 0) return;
  const payload = JSON.stringify(data);
  const now = ctx.clock.now().toISOString();
  await ctx.tx.execute(
    sql`insert into outbox (audience, type, data, created_at) values ${sql.join(
      uniq.map((a) => sql`(${a}, ${type}, ${payload}::jsonb, ${now})`),
      sql`, `,
    )}`,
  );
  await ctx.tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
}

export const userAudience = (id: string) => `user:${id}`;
export const intakeAudience = (areaId: string) => `intake:${areaId}`;
export const unitAudience = (unitId: string) => `unit:${unitId}`;
