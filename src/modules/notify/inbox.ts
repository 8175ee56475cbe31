import { sql } from 'drizzle-orm';
import { audit } from '../../floor/audit.js';
import type { Ctx } from '../../floor/context.js';
import { badRequest, notFound } from '../../floor/errors.js';
import { publish, userAudience } from '../../floor/outbox.js';
import { authorize } from '../../floor/policy.js';
import { isGlobalAdmin, subtreeScope } from '../auth/policy.js';
import { ENDPOINT_KINDS, type EndpointKind } from './channels.js';
import { isMasked, maskConfig, unmaskConfig } from './mask.js';
import { notifyPolicy } from './policy.js';
import { DEFAULT_STEPS, loadRules, type RuleStep } from './rules.js';

export function presentNotification(n: any) {
  return {
    id: n.id as string,
    kind: n.kind as string,
    title: n.title as string,
    body: n.body as string,
    data: (n.data ?? {}) as Record<string, unknown>,
    urgent: !!n.urgent,
    eventId: (n.event_id ?? null) as string | null,
    createdAt: new Date(n.created_at).toISOString(),
    readAt: n.read_at ? new Date(n.read_at).toISOString() : null,
    ackedAt: n.acked_at ? new Date(n.acked_at).toISOString() : null,
    ackNote: (n.ack_note ?? null) as string | null,
    needsAck: !!n.urgent && !n.acked_at,
    escalatedFromId: (n.escalated_from_id ?? null) as string | null,
  };
}

const encodeCursor = (at: Date, id: string) => Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
function decodeCursor(c: string): { at: string; id: string } {
  const [at, id] = Buffer.from(c, 'base64url').toString().split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/i.test(id))
    throw badRequest('validation', { field: 'cursor' });
  return { at, id };
}

export async function listInbox(
  ctx: Ctx,
  f: { filter?: 'all' | 'unread' | 'unacked'; cursor?: string; limit?: number },
) {
  const me = ctx.actor!.id;
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
  const cur = f.cursor ? decodeCursor(f.cursor) : null;
  const r = await ctx.tx.execute<any>(sql`
    select * from notifications where user_id = ${me}
      ${f.filter === 'unread' ? sql`and read_at is null` : sql``}
      ${f.filter === 'unacked' ? sql`and urgent and acked_at is null` : sql``}
      ${cur ? sql`and (created_at, id) < (${cur.at}::timestamptz, ${cur.id}::uuid)` : sql``}
    order by created_at desc, id desc limit ${limit + 1}`);
  const rows = r.rows.slice(0, limit);
  const last = rows[rows.length - 1];
  return {
    items: rows.map(presentNotification),
    nextCursor: r.rows.length > limit && last ? encodeCursor(new Date(last.created_at), last.id) : null,
  };
}

export async function unreadCount(ctx: Ctx) {
  const r = await ctx.tx.execute<{ unread: number; unacked: number }>(sql`
    select count(*) filter (where read_at is null)::int as unread,
           count(*) filter (where urgent and acked_at is null)::int as unacked
    from notifications where user_id = ${ctx.actor!.id}`);
  return r.rows[0];
}

async function own(ctx: Ctx, id: string, lock = false) {
  const r = await ctx.tx.execute<any>(
    sql`select * from notifications where id = ${id} and user_id = ${ctx.actor!.id} ${lock ? sql`for update` : sql``}`,
  );
  if (!r.rows[0]) throw notFound();
  return r.rows[0];
}

export async function getNotification(ctx: Ctx, id: string) {
  const n = await own(ctx, id);
  const d = await ctx.tx.execute<any>(sql`
    select step, channel, status, due_at, attempts, sent_at, last_error, message_id, target
    from notification_deliveries where notification_id = ${id} order by step`);
  return {
    ...presentNotification(n),
    deliveries: d.rows.map((x) => ({
      step: x.step as number,
      channel: x.channel as string,
      status: x.status as 'pending' | 'sending' | 'sent' | 'failed' | 'skipped' | 'cancelled',
      dueAt: new Date(x.due_at).toISOString(),
      attempts: x.attempts as number,
      sentAt: x.sent_at ? new Date(x.sent_at).toISOString() : null,
      lastError: (x.last_error ?? null) as string | null,
      messageId: x.message_id as string,
    })),
  };
}

export async function markRead(ctx: Ctx, id: string) {
  await own(ctx, id);
  const r = await ctx.tx.execute<any>(sql`
    update notifications set read_at = coalesce(read_at, ${ctx.clock.now().toISOString()})
    where id = ${id} returning *`);
  return presentNotification(r.rows[0]);
}

export async function markAllRead(ctx: Ctx) {
  const r = await ctx.tx.execute(sql`
    update notifications set read_at = ${ctx.clock.now().toISOString()}
    where user_id = ${ctx.actor!.id} and read_at is null`);
  return { count: r.rowCount ?? 0 };
}

/**
 * 回执: the recipient acknowledges. The escalation stops (and so does the chain of the notification it
 * escalated from, or to: someone named has it); the registration log records who and after how long, and
 * the people watching (the sender's desk) see it live.
 */
export async function acknowledge(ctx: Ctx, id: string, note?: string | null) {
  const n = await own(ctx, id, true);
  if (n.acked_at) return presentNotification(n);
  const now = ctx.clock.now();
  const r = await ctx.tx.execute<any>(sql`
    update notifications set acked_at = ${now.toISOString()}, read_at = coalesce(read_at, ${now.toISOString()}),
      ack_note = ${note ?? null}
    where id = ${id} returning *`);
  const row = r.rows[0];
  // the linked notifications up and down the escalation chain
  const linked = await ctx.tx.execute<any>(sql`
    with recursive up(id, escalated_from_id) as (
      select id, escalated_from_id from notifications where id = ${id}
      union select n.id, n.escalated_from_id from notifications n join up on n.id = up.escalated_from_id
    ), down(id) as (
      select id from notifications where id = ${id}
      union select n.id from notifications n join down on n.escalated_from_id = down.id
    )
    update notifications set acked_at = ${now.toISOString()},
      ack_note = ${`由 ${ctx.actor!.name} 确认`}
    where id in (select id from up union select id from down) and id <> ${id} and acked_at is null
    returning id, user_id`);
  const seconds = Math.round((now.getTime() - new Date(n.created_at).getTime()) / 1000);
  await audit(ctx, {
    stream: n.event_id ? `event:${n.event_id}` : `notify:${n.user_id}`,
    action: 'acknowledged',
    entityType: 'notification',
    entityId: id,
    data: {
      kind: n.kind,
      userId: n.user_id,
      seconds,
      note: note ?? null,
      alsoAcknowledged: linked.rows.map((x) => x.id),
    },
  });
  const watchers: string[] = [n.user_id, ...(n.watchers ?? []), ...linked.rows.map((x: any) => x.user_id)];
  await publish(ctx, watchers.map(userAudience), 'notification.acked', {
    id,
    kind: n.kind,
    title: n.title,
    eventId: n.event_id ?? null,
    data: n.data ?? {},
    userId: n.user_id,
    userName: ctx.actor!.name,
    ackedAt: now.toISOString(),
    seconds,
  });
  return presentNotification(row);
}

// ---- preferences ---------------------------------------------------------------------------------------

export async function getPreferences(ctx: Ctx, userId: string) {
  const rule = (await loadRules(ctx, [userId])).get(userId);
  if (!rule) throw notFound();
  const eps = await ctx.tx.execute<any>(
    sql`select id, kind, name from notify_endpoints where enabled order by kind, name`,
  );
  return {
    email: rule.email,
    phone: rule.phone,
    deputyUserId: rule.deputyUserId,
    steps: rule.steps,
    isDefault: rule.isDefault,
    defaultSteps: DEFAULT_STEPS,
    endpoints: eps.rows.map((e) => ({ id: e.id as string, kind: e.kind as string, name: e.name as string })),
  };
}

export async function savePreferences(
  ctx: Ctx,
  userId: string,
  p: { email?: string | null; phone?: string | null; deputyUserId?: string | null; steps: RuleStep[] },
) {
  if (p.deputyUserId === userId) throw badRequest('deputy_is_self');
  if (p.deputyUserId) {
    const d = await ctx.tx.execute(sql`select 1 from users where id = ${p.deputyUserId} and not disabled`);
    if (!d.rowCount) throw badRequest('unknown_user', { field: 'deputyUserId' });
  }
  for (const s of p.steps) {
    if (s.endpointId) {
      const e = await ctx.tx.execute<any>(sql`select kind from notify_endpoints where id = ${s.endpointId}`);
      const kind = e.rows[0]?.kind;
      const want = s.channel === 'email' ? 'smtp' : s.channel;
      if (kind !== want) throw badRequest('endpoint_mismatch', { field: 'endpointId', channel: s.channel });
    }
  }
  const steps = [...p.steps].sort((a, b) => a.afterMinutes - b.afterMinutes);
  await ctx.tx.execute(sql`
    insert into notification_rules (user_id, email, phone, deputy_user_id, steps, updated_at)
    values (${userId}, ${p.email ?? null}, ${p.phone ?? null}, ${p.deputyUserId ?? null},
            ${JSON.stringify(steps)}::jsonb, ${ctx.clock.now().toISOString()})
    on conflict (user_id) do update set email = excluded.email, phone = excluded.phone,
      deputy_user_id = excluded.deputy_user_id, steps = excluded.steps, updated_at = excluded.updated_at`);
  await audit(ctx, {
    stream: `notify:${userId}`,
    action: 'notify_rules_changed',
    entityType: 'notification_rule',
    entityId: userId,
    data: { steps, deputyUserId: p.deputyUserId ?? null, email: p.email ?? null, phone: p.phone ?? null },
  });
  return getPreferences(ctx, userId);
}

// ---- endpoints (administrators) ------------------------------------------------------------------------

/**
 * An endpoint as shown to its administrators: credentials masked (`mask.ts`), so neither the list, nor an
 * answer to a save, nor the registration log ever holds a robot key, a gateway token or a password.
 */
export function presentEndpoint(e: any) {
  return {
    id: e.id as string,
    kind: e.kind as EndpointKind,
    name: e.name as string,
    enabled: !!e.enabled,
    config: maskConfig(e.config ?? {}),
    unitId: (e.unit_id ?? null) as string | null,
    updatedAt: new Date(e.updated_at).toISOString(),
  };
}

export function validateEndpointConfig(kind: string, config: Record<string, unknown>) {
  if (!(ENDPOINT_KINDS as readonly string[]).includes(kind))
    throw badRequest('validation', { field: 'kind' });
  const need = kind === 'smtp' ? ['host', 'port', 'from'] : ['url'];
  const missing = need.filter((k) => config[k] === undefined || config[k] === '');
  if (missing.length) throw badRequest('endpoint_config_missing', { missing });
  if (kind !== 'smtp') {
    try {
      const u = new URL(String(config.url).replace(/\{\{\w+\}\}/g, 'x'));
      if (!/^https?:$/.test(u.protocol)) throw new Error('protocol');
    } catch {
      throw badRequest('endpoint_bad_url', { field: 'url' });
    }
  }
  // a mask saved as if it were the secret would send "••••" to the gateway
  for (const [k, v] of Object.entries(config))
    if (isMasked(v) || (k === 'headers' && v && Object.values(v as object).some(isMasked)))
      throw badRequest('endpoint_masked_value', { field: k });
}

/**
 * Endpoints are administered by the admins of the unit that owns them and of the units above it (an
 * endpoint without a unit only by the root administrators). Anyone else: 403 for a non-admin, 404 for an
 * admin elsewhere (existence does not leak).
 */
function endpointScope(ctx: Ctx) {
  authorize(ctx.actor, notifyPolicy, 'manageEndpoints');
  return isGlobalAdmin(ctx.actor)
    ? sql`true`
    : sql`exists (select 1 from units u where u.id = e.unit_id and ${subtreeScope(ctx.actor, 'u')})`;
}

async function endpointForAdmin(ctx: Ctx, id: string) {
  const scope = endpointScope(ctx);
  const r = await ctx.tx.execute<any>(
    sql`select * from notify_endpoints e where e.id = ${id} and ${scope} for update`,
  );
  if (!r.rows[0]) throw notFound();
  return r.rows[0];
}

export async function createEndpoint(
  ctx: Ctx,
  b: { kind: string; name: string; config: Record<string, unknown>; enabled?: boolean },
) {
  authorize(ctx.actor, notifyPolicy, 'manageEndpoints');
  validateEndpointConfig(b.kind, b.config);
  const now = ctx.clock.now().toISOString();
  const r = await ctx.tx.execute<any>(sql`
    insert into notify_endpoints (kind, name, config, enabled, unit_id, created_at, updated_at)
    values (${b.kind}, ${b.name}, ${JSON.stringify(b.config)}::jsonb, ${b.enabled ?? true},
            ${ctx.actor!.acting.id}, ${now}, ${now}) returning *`);
  await audit(ctx, {
    stream: 'notify:endpoints',
    action: 'endpoint_created',
    entityType: 'notify_endpoint',
    entityId: r.rows[0].id,
    data: { kind: b.kind, name: b.name, config: maskConfig(b.config) },
  });
  return presentEndpoint(r.rows[0]);
}

export async function updateEndpoint(
  ctx: Ctx,
  id: string,
  b: { name?: string; config?: Record<string, unknown>; enabled?: boolean },
) {
  const e = await endpointForAdmin(ctx, id);
  // a credential sent back as its mask keeps the stored value
  const incoming = unmaskConfig(b.config ?? {}, e.config ?? {});
  if (!incoming) throw badRequest('endpoint_masked_value', { field: 'config' });
  const config = { ...(e.config ?? {}), ...incoming };
  validateEndpointConfig(e.kind, config);
  const r = await ctx.tx.execute<any>(sql`
    update notify_endpoints set name = ${b.name ?? e.name}, config = ${JSON.stringify(config)}::jsonb,
      enabled = ${b.enabled ?? e.enabled}, updated_at = ${ctx.clock.now().toISOString()}
    where id = ${id} returning *`);
  const changed = Object.keys(incoming).filter(
    (k) => JSON.stringify(incoming[k]) !== JSON.stringify(e.config?.[k]),
  );
  await audit(ctx, {
    stream: 'notify:endpoints',
    action: 'endpoint_changed',
    entityType: 'notify_endpoint',
    entityId: id,
    data: {
      name: b.name ?? e.name,
      enabled: b.enabled ?? e.enabled,
      keys: changed,
      config: maskConfig(config),
    },
  });
  return presentEndpoint(r.rows[0]);
}

export async function listEndpoints(ctx: Ctx) {
  const scope = endpointScope(ctx);
  const r = await ctx.tx.execute<any>(
    sql`select * from notify_endpoints e where ${scope} order by kind, name`,
  );
  return r.rows.map(presentEndpoint);
}
