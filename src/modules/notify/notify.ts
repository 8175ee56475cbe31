import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { audit, auditMany } from '../../floor/audit.js';
import { deferWrite } from '../../floor/batch.js';
import type { Ctx } from '../../floor/context.js';
import { publishMany, userAudience } from '../../floor/outbox.js';
import { wake } from '../../floor/signal.js';
import { arrayParam } from '../../floor/sql-arrays.js';
import { onDutyUsers } from '../duty/on-duty.js';
import { loadRules, stepsFor } from './rules.js';

export interface NotifyInput {
  userIds: string[];
  kind: string; // e.g. report.arrived, deadline.warning, deadline.overdue, countersign.needed, request.received
  title: string;
  body: string;
  data?: Record<string, unknown>;
  urgent?: boolean; // needs an acknowledgement; unacknowledged ones escalate
  dedupeKey?: string;
  eventId?: string | null;
  /** Also notify whoever is on duty for this area now (off-hours arrivals, SPEC §2.5). */
  toOnDutyOf?: string | null;
  /** People told live when a recipient acknowledges (e.g. the sender's desk). */
  watchers?: string[];
  /** Set by escalation to a deputy. */
  escalatedFromId?: string | null;
  escalationDepth?: number;
}

/**
 * The one entry point for every message Jibao sends to people. Writes, in the caller's transaction, the
 * in-app notification, its live message, the registration-log entry and the outbound deliveries and
 * escalation steps of each recipient's notification rule; the delivery worker sends them after commit.
 * Returns the ids of the notifications (for a repeated `dedupeKey`, the existing one).
 */
export async function notify(ctx: Ctx, n: NotifyInput): Promise<string[]> {
  const ids: string[] = [];
  const now = ctx.clock.now();
  let userIds = [...new Set(n.userIds)];
  if (n.toOnDutyOf) userIds = [...new Set([...userIds, ...(await onDutyUsers(ctx, n.toOnDutyOf, now))])];
  const fresh: string[] = [];
  const freshUsers: string[] = [];
  // a repeated dedupeKey returns the notification the user already has
  const existing = new Map<string, string>();
  if (n.dedupeKey && userIds.length) {
    const dup = await ctx.tx.execute<{
      id: string;
      user_id: string;
    }>(sql`select id, user_id from notifications
      where dedupe_key = ${n.dedupeKey} and user_id in (${sql.join(
        userIds.map((u) => sql`${u}`),
        sql`, `,
      )})`);
    for (const d of dup.rows) if (!existing.has(d.user_id)) existing.set(d.user_id, d.id);
  }
  const toCreate = userIds.filter((u) => !existing.has(u));
  // one statement for all recipients (written with the command's batch when no dedupe key must be read back)
  const created = new Map<string, string>();
  if (toCreate.length) {
    for (const u of toCreate) created.set(u, randomUUID());
    const insert = sql`
      insert into notifications (id, user_id, kind, title, body, data, urgent, created_at, dedupe_key, event_id,
                                 watchers, escalated_from_id, escalation_depth)
      values ${sql.join(
        toCreate.map(
          (
            u,
          ) => sql`(${created.get(u)}, ${u}, ${n.kind}, ${n.title}, ${n.body}, ${JSON.stringify(n.data ?? {})}::jsonb,
             ${!!n.urgent}, ${now.toISOString()}, ${n.dedupeKey ?? null}, ${n.eventId ?? null},
             ${n.watchers?.length ? `{${n.watchers.join(',')}}` : null}::uuid[],
             ${n.escalatedFromId ?? null}::uuid, ${n.escalationDepth ?? 0})`,
        ),
        sql`, `,
      )}`;
    if (n.dedupeKey) await ctx.tx.execute(insert);
    else await deferWrite(ctx, insert);
    await publishMany(
      ctx,
      toCreate.map((u) => ({
        audiences: [userAudience(u)],
        type: 'notification',
        data: {
          id: created.get(u),
          kind: n.kind,
          title: n.title,
          body: n.body,
          urgent: !!n.urgent,
          data: n.data ?? {},
          eventId: n.eventId ?? null,
          createdAt: now.toISOString(),
        },
      })),
    );
  }
  for (const userId of userIds) {
    const id = existing.get(userId) ?? created.get(userId)!;
    ids.push(id);
    if (created.has(userId)) {
      fresh.push(id);
      freshUsers.push(userId);
    }
  }
  if (fresh.length) {
    await scheduleDeliveries(ctx, fresh, freshUsers, !!n.urgent, now);
    await audit(ctx, {
      stream: n.eventId ? `event:${n.eventId}` : `notify:${freshUsers[0]}`,
      action: 'notified',
      entityType: 'notification',
      entityId: fresh[0],
      data: {
        kind: n.kind,
        title: n.title,
        userIds: freshUsers,
        notificationIds: fresh,
        urgent: !!n.urgent,
        ...(n.escalatedFromId ? { escalatedFromId: n.escalatedFromId } : {}),
      },
    });
  }
  return ids;
}

/**
 * Many notifications in one go (the sweeper's escalations): a statement for all rows, one for their live
 * messages, the deliveries of each recipient's rule, and the registration-log entries together — instead of
 * a round of statements per person. No dedupe keys or on-duty lookups here: use notify() for those.
 */
export async function notifyMany(ctx: Ctx, items: NotifyInput[]): Promise<void> {
  const now = ctx.clock.now();
  const rows: Array<{ id: string; userId: string; n: NotifyInput }> = [];
  const firstId = new Map<NotifyInput, string>();
  for (const n of items)
    for (const userId of new Set(n.userIds)) {
      const id = randomUUID();
      if (!firstId.has(n)) firstId.set(n, id);
      rows.push({ id, userId, n });
    }
  if (rows.length === 0) return;
  // one statement whatever the number of rows (each column one array parameter), written with the command's
  // batch when there is one; their live messages likewise
  const at = now.toISOString();
  await deferWrite(
    ctx,
    sql`insert into notifications (id, user_id, kind, title, body, data, urgent, created_at, event_id)
    select id, user_id, kind, title, body, data, urgent, ${at}::timestamptz, event_id
    from unnest(${arrayParam(rows.map((r) => r.id))}::uuid[], ${arrayParam(rows.map((r) => r.userId))}::uuid[],
      ${arrayParam(rows.map((r) => r.n.kind))}::text[], ${arrayParam(rows.map((r) => r.n.title))}::text[],
      ${arrayParam(rows.map((r) => r.n.body))}::text[],
      ${arrayParam(rows.map((r) => JSON.stringify(r.n.data ?? {})))}::jsonb[],
      ${arrayParam(rows.map((r) => !!r.n.urgent))}::boolean[], ${arrayParam(rows.map((r) => r.n.eventId ?? null))}::uuid[])
      as x(id, user_id, kind, title, body, data, urgent, event_id)`,
  );
  await publishMany(
    ctx,
    rows.map((r) => ({
      audiences: [userAudience(r.userId)],
      type: 'notification',
      data: {
        id: r.id,
        kind: r.n.kind,
        title: r.n.title,
        body: r.n.body,
        urgent: !!r.n.urgent,
        data: r.n.data ?? {},
        eventId: r.n.eventId ?? null,
        createdAt: at,
      },
    })),
  );
  for (const urgent of [true, false]) {
    const part = rows.filter((r) => !!r.n.urgent === urgent);
    if (part.length)
      await scheduleDeliveries(
        ctx,
        part.map((r) => r.id),
        part.map((r) => r.userId),
        urgent,
        now,
      );
  }
  await auditMany(
    ctx,
    items
      .filter((n) => n.userIds.length)
      .map((n) => ({
        stream: n.eventId ? `event:${n.eventId}` : `notify:${n.userIds[0]}`,
        action: 'notified',
        entityType: 'notification',
        entityId: firstId.get(n) ?? null,
        data: {
          kind: n.kind,
          title: n.title,
          userIds: [...new Set(n.userIds)],
          notificationIds: rows.filter((r) => r.n === n).map((r) => r.id),
          urgent: !!n.urgent,
        },
      })),
  );
}

/** One delivery row per step of each recipient's rule (the in-app step at 0 is the notification itself). */
async function scheduleDeliveries(ctx: Ctx, ids: string[], userIds: string[], urgent: boolean, now: Date) {
  const rules = await loadRules(ctx, userIds);
  const rows: Array<{
    id: string;
    userId: string;
    step: number;
    channel: string;
    endpointId: string | null;
    afterMinutes: number;
    due: string;
  }> = [];
  let dueNow = false;
  ids.forEach((id, i) => {
    const rule = rules.get(userIds[i]);
    if (!rule) return;
    stepsFor(rule, urgent).forEach((s, step) => {
      if (s.channel === 'in_app' && s.afterMinutes === 0) return;
      if (s.afterMinutes === 0) dueNow = true;
      rows.push({
        id,
        userId: userIds[i],
        step: step + 1,
        channel: s.channel,
        endpointId: s.endpointId ?? null,
        afterMinutes: s.afterMinutes,
        due: new Date(now.getTime() + s.afterMinutes * 60_000).toISOString(),
      });
    });
  });
  if (rows.length === 0) return;
  await deferWrite(
    ctx,
    sql`
    insert into notification_deliveries (notification_id, user_id, step, channel, endpoint_id, after_minutes,
      message_id, status, due_at, created_at)
    select nid, uid, step, channel, endpoint_id, after_minutes, 'jibao-' || nid || '-' || step, 'pending', due_at,
      ${now.toISOString()}::timestamptz
    from unnest(${arrayParam(rows.map((r) => r.id))}::uuid[], ${arrayParam(rows.map((r) => r.userId))}::uuid[],
      ${arrayParam(rows.map((r) => r.step))}::int[], ${arrayParam(rows.map((r) => r.channel))}::text[],
      ${arrayParam(rows.map((r) => r.endpointId))}::uuid[], ${arrayParam(rows.map((r) => r.afterMinutes))}::int[],
      ${arrayParam(rows.map((r) => r.due))}::timestamptz[])
      as x(nid, uid, step, channel, endpoint_id, after_minutes, due_at)
    on conflict do nothing`,
  );
  // after the commit: this instance's delivery worker at once, the others by one debounced signal
  if (dueNow) await wake(ctx, 'notify.wake');
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

/**
 * The people acting for many units at once, in one statement: for a sweep's batch (thousands of deadlines of
 * as many units) instead of one look-up per unit. Answers `(unitId, roles) → user ids`, with the same meaning
 * as `usersActingFor` (the unit's own users, and for an area its offices').
 */
export async function usersActingForMany(
  ctx: Ctx,
  unitIds: string[],
): Promise<(unitId: string, roles: readonly string[]) => string[]> {
  const ids = [...new Set(unitIds)];
  const by = new Map<string, Array<{ id: string; roles: string[] }>>();
  if (ids.length) {
    const arr = arrayParam(ids);
    const r = await ctx.tx.execute<{ for_unit: string; id: string; roles: string[] }>(sql`
      select un.id as for_unit, u.id, u.roles from users u join units un on un.id = u.unit_id
        where not u.disabled and un.id = any(${arr}::uuid[])
      union all
      select un.parent_id as for_unit, u.id, u.roles from users u join units un on un.id = u.unit_id
        where not u.disabled and un.parent_id = any(${arr}::uuid[])
          and un.kind in ('party_office','gov_office','duty_room','confidential_bureau')`);
    for (const row of r.rows) {
      const list = by.get(row.for_unit) ?? [];
      list.push({ id: row.id, roles: row.roles });
      by.set(row.for_unit, list);
    }
  }
  return (unitId, roles) => [
    ...new Set((by.get(unitId) ?? []).filter((u) => u.roles.some((x) => roles.includes(x))).map((u) => u.id)),
  ];
}

export { onDutyUsers };
