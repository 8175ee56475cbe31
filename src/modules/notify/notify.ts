import { sql } from 'drizzle-orm';
import { audit } from '../accountability/audit.js';
import type { Ctx } from '../shared/context.js';
import { publish, userAudience } from '../shared/outbox.js';

export interface NotifyInput {
  userIds: string[];
  kind: string; // e.g. report.arrived, deadline.warning, deadline.overdue, countersign.needed, request.received
  title: string;
  body: string;
  data?: Record<string, unknown>;
  urgent?: boolean; // needs an acknowledgement; unacknowledged ones escalate
  dedupeKey?: string;
  eventId?: string | null;
}

/**
 * The one entry point for every message Jibao sends to people. Writes the in-app notification and the live
 * message in the caller's transaction; outbound channels and escalation are driven from these rows.
 * Returns the ids of the notifications created.
 */
export async function notify(ctx: Ctx, n: NotifyInput): Promise<string[]> {
  const ids: string[] = [];
  const now = ctx.clock.now();
  for (const userId of [...new Set(n.userIds)]) {
    const r = await ctx.tx.execute<{ id: string }>(sql`
      insert into notifications (user_id, kind, title, body, data, urgent, created_at, dedupe_key)
      values (${userId}, ${n.kind}, ${n.title}, ${n.body}, ${JSON.stringify(n.data ?? {})}::jsonb, ${!!n.urgent},
              ${now.toISOString()}, ${n.dedupeKey ?? null})
      returning id`);
    const id = r.rows[0].id;
    ids.push(id);
    await publish(ctx, [userAudience(userId)], 'notification', {
      id,
      kind: n.kind,
      title: n.title,
      body: n.body,
      urgent: !!n.urgent,
      data: n.data ?? {},
    });
  }
  if (ids.length) {
    await audit(ctx, {
      stream: n.eventId ? `event:${n.eventId}` : `notify:${n.userIds[0]}`,
      action: 'notified',
      entityType: 'notification',
      entityId: ids[0],
      data: { kind: n.kind, title: n.title, userIds: n.userIds, urgent: !!n.urgent },
    });
  }
  return ids;
}

/** Users of a unit (for an area: the users of its offices and the area itself) holding any of the roles. */
export async function usersActingFor(ctx: Ctx, unitId: string, roles: string[]): Promise<string[]> {
  const r = await ctx.tx.execute<{ id: string }>(sql`
    select u.id from users u join units un on un.id = u.unit_id
    where not u.disabled
      and (un.id = ${unitId}
        or (un.parent_id = ${unitId} and un.kind in ('party_office','gov_office','duty_room','confidential_bureau')))
      and u.roles && ${sql.raw(`array[${roles.map((r) => `'${r.replace(/'/g, '')}'`).join(',')}]::text[]`)}`);
  return r.rows.map((x) => x.id);
}
