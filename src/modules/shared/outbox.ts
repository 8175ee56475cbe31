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

/** Many live messages in one statement (and one wake-up). */
export async function publishMany(
  ctx: Ctx,
  messages: Array<{ audiences: string[]; type: string; data: Record<string, unknown> }>,
) {
  const now = ctx.clock.now().toISOString();
  const rows = messages.flatMap((m) =>
    [...new Set(m.audiences)].map((a) => sql`(${a}, ${m.type}, ${JSON.stringify(m.data)}::jsonb, ${now})`),
  );
  if (rows.length === 0) return;
  for (let i = 0; i < rows.length; i += 2000)
    await ctx.tx.execute(
      sql`insert into outbox (audience, type, data, created_at) values ${sql.join(rows.slice(i, i + 2000), sql`, `)}`,
    );
  await ctx.tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
}
