import { type SQL, sql } from 'drizzle-orm';
import { type BufferedMessage, batchOf } from './batch.js';
import type { Ctx } from './context.js';
import { wake } from './signal.js';
import { arrayParam } from './sql-arrays.js';

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
  if (
    gather(
      ctx,
      uniq.map((audience) => ({ audience, type, data: payload, createdAt: now })),
    )
  )
    return;
  await ctx.tx.execute(
    sql`insert into outbox (audience, type, data, created_at) values ${sql.join(
      uniq.map((a) => sql`(${a}, ${type}, ${payload}::jsonb, ${now})`),
      sql`, `,
    )}`,
  );
  await wake(ctx, 'outbox.wake');
}

/** Inside a command: keep the messages for the command's one write, and wake the live pages once after it. */
function gather(ctx: Ctx, messages: BufferedMessage[]): boolean {
  const batch = batchOf(ctx);
  if (!batch) return false;
  batch.outbox.push(...messages);
  if (!batch.woken) {
    batch.woken = true;
    void wake(ctx, 'outbox.wake');
  }
  return true;
}

/** The insert of live messages. */
export function insertMessagesSql(rows: BufferedMessage[]): SQL {
  return sql`insert into outbox (audience, type, data, created_at)
    select * from unnest(${arrayParam(rows.map((m) => m.audience))}::text[], ${arrayParam(rows.map((m) => m.type))}::text[],
      ${arrayParam(rows.map((m) => m.data))}::jsonb[], ${arrayParam(rows.map((m) => m.createdAt))}::timestamptz[])`;
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
  const gathered = messages.flatMap((m) =>
    [...new Set(m.audiences)].map((audience) => ({
      audience,
      type: m.type,
      data: JSON.stringify(m.data),
      createdAt: now,
    })),
  );
  if (gathered.length === 0) return;
  if (gather(ctx, gathered)) return;
  await ctx.tx.execute(insertMessagesSql(gathered));
  await wake(ctx, 'outbox.wake');
}
