import { sql } from 'drizzle-orm';
import type { Ctx } from './context.js';
import { wake } from './signal.js';

export const OUTBOX_CHANNEL = 'jibao_outbox';

/**
 * Announce a change to live pages. Written in the caller's transaction; after the commit this instance's hub
 * is woken at once and the others by a debounced signal (never a NOTIFY inside the write transaction, which
 * would serialize every commit in the cluster). The hubs read the rows, so nothing is lost if a wake-up is.
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
  await wake(ctx, 'outbox.wake');
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
  await wake(ctx, 'outbox.wake');
}
