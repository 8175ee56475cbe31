import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { audit } from '../../floor/audit.js';
import type { Clock } from '../../floor/clock.js';
import { type Ctx, inTx } from '../../floor/context.js';
import { publish, userAudience } from '../../floor/outbox.js';
import {
  type GatewayConfig,
  gatewayFromEnv,
  type OutboundMessage,
  type SmtpConfig,
  sendEmail,
  sendGateway,
  sendRobot,
  sendWebhook,
  smtpFromEnv,
  type WebhookConfig,
} from './channels.js';
import { maskText } from './mask.js';
import { notify } from './notify.js';
import { loadRules } from './rules.js';

export interface DeliveryDeps {
  db: Db;
  clock: Clock;
  env?: NodeJS.ProcessEnv;
}

const LEASE_MS = 2 * 60_000;
export const MAX_ESCALATION_DEPTH = 2;

export function maxAttempts(env: NodeJS.ProcessEnv = process.env): number {
  return Math.max(1, Number(env.JIBAO_NOTIFY_MAX_ATTEMPTS ?? 5));
}

/** Retry backoff after the n-th failed attempt: 30 s, 1 min, 2 min, 4 min … at most 10 min. */
export function backoffMs(attempt: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 10 * 60_000);
}

type Job = {
  deliveryId: string;
  token: string;
  channel: string;
  target: string;
  stream: string;
  userId: string;
  attempts: number;
  message: OutboundMessage;
  send: () => Promise<void>;
};

const streamOf = (eventId: string | null, userId: string) =>
  eventId ? `event:${eventId}` : `notify:${userId}`;

async function endpointFor(ctx: Ctx, kind: string, endpointId: string | null, fallbackToKind: boolean) {
  const r = await ctx.tx.execute<{ id: string; config: any }>(sql`
    select id, config from notify_endpoints
    where enabled and kind = ${kind}
      and (${endpointId}::uuid is null or id = ${endpointId} or ${fallbackToKind})
    order by (id = ${endpointId}::uuid) desc nulls last, created_at limit 1`);
  return r.rows[0] ?? null;
}

/**
 * One pass of the delivery worker. Due rows are claimed with FOR UPDATE SKIP LOCKED: a step whose
 * notification was acknowledged (or, for a non-urgent one, read) meanwhile is cancelled; an in-app reminder
 * or a hand-over to the deputy takes effect inside the claiming transaction (exactly once); an outbound send
 * is marked `sending` with a lease, then made after commit and its outcome recorded — sent, or failed and
 * retried with backoff, or failed for good. A send whose worker died is claimed again after its lease
 * (at least once, always with the same message id).
 */
export async function processDueDeliveries(deps: DeliveryDeps, limit = 20): Promise<number> {
  const env = deps.env ?? process.env;
  const now = deps.clock.now();
  const base: Ctx = { actor: null, tx: deps.db, clock: deps.clock, lang: 'zh-CN' };
  const jobs: Job[] = [];
  let handled = 0;
  await inTx(base, async (ctx) => {
    const due = await ctx.tx.execute<any>(sql`
      select d.id, d.notification_id, d.user_id, d.step, d.channel, d.endpoint_id, d.after_minutes, d.message_id,
             d.attempts, d.status,
             n.kind, n.title, n.body, n.data, n.urgent, n.read_at, n.acked_at, n.event_id, n.created_at as n_created_at,
             n.escalation_depth, n.watchers
      from notification_deliveries d join notifications n on n.id = d.notification_id
      where (d.status = 'pending' and d.due_at <= ${now.toISOString()})
         or (d.status = 'sending' and d.lease_until <= ${now.toISOString()})
      order by d.due_at limit ${limit}
      for update of d skip locked`);
    if (due.rows.length === 0) return;
    handled = due.rows.length;
    const rules = await loadRules(ctx, [...new Set(due.rows.map((d) => d.user_id as string))]);
    for (const d of due.rows) {
      const stream = streamOf(d.event_id, d.user_id);
      const rule = rules.get(d.user_id);
      const settled = d.urgent ? d.acked_at : d.read_at || d.acked_at;
      const finish = async (status: string, extra: { error?: string; target?: string } = {}) => {
        await ctx.tx.execute(sql`update notification_deliveries
          set status = ${status}, sent_at = ${status === 'sent' ? now.toISOString() : null},
              last_error = ${extra.error ?? null}, target = ${extra.target ?? null}, claim_token = null, lease_until = null
          where id = ${d.id}`);
      };
      if (d.after_minutes > 0 && settled) {
        await finish('cancelled');
        continue;
      }
      if (!rule) {
        await finish('skipped', { error: 'no_user' });
        continue;
      }
      const skip = async (reason: string) => {
        await finish('skipped', { error: reason });
        await audit(ctx, {
          stream,
          action: 'notify_skipped',
          entityType: 'notification',
          entityId: d.notification_id,
          unitId: null,
          data: { channel: d.channel, step: d.step, reason, messageId: d.message_id, userId: d.user_id },
        });
      };
      if (d.channel === 'in_app') {
        await publish(ctx, [userAudience(d.user_id)], 'notification', {
          id: d.notification_id,
          kind: d.kind,
          title: d.title,
          body: d.body,
          urgent: d.urgent,
          data: d.data,
          reminder: true,
          eventId: d.event_id,
        });
        await finish('sent', { target: d.user_id });
        await audit(ctx, {
          stream,
          action: 'notify_sent',
          entityType: 'notification',
          entityId: d.notification_id,
          unitId: null,
          data: {
            channel: 'in_app',
            step: d.step,
            messageId: d.message_id,
            userId: d.user_id,
            reminder: true,
          },
        });
        continue;
      }
      if (d.channel === 'deputy') {
        const deputy = rule.deputyUserId;
        if (!deputy || deputy === d.user_id) {
          await skip('no_deputy');
          continue;
        }
        if (d.escalation_depth >= MAX_ESCALATION_DEPTH) {
          await skip('escalation_depth');
          continue;
        }
        const [newId] = await notify(ctx, {
          userIds: [deputy],
          kind: d.kind,
          title: `【转交】${d.title}`,
          body: `${rule.name} 在 ${d.after_minutes} 分钟内未确认，转交您处理。\n${d.body}`,
          data: {
            ...(d.data ?? {}),
            escalatedFrom: { notificationId: d.notification_id, userId: d.user_id },
          },
          urgent: true,
          eventId: d.event_id,
          watchers: d.watchers ?? undefined,
          escalatedFromId: d.notification_id,
          escalationDepth: d.escalation_depth + 1,
        });
        await finish('sent', { target: deputy });
        await audit(ctx, {
          stream,
          action: 'notify_escalated',
          entityType: 'notification',
          entityId: d.notification_id,
          unitId: null,
          data: {
            step: d.step,
            afterMinutes: d.after_minutes,
            fromUserId: d.user_id,
            toUserId: deputy,
            newNotificationId: newId,
            messageId: d.message_id,
          },
        });
        continue;
      }
      // outbound
      let target: string | null = null;
      let send: (() => Promise<void>) | null = null;
      let reason = 'no_endpoint';
      const message: OutboundMessage = {
        messageId: d.message_id,
        notificationId: d.notification_id,
        kind: d.kind,
        title: d.title,
        body: d.body,
        urgent: d.urgent,
        data: d.data ?? {},
        createdAt: new Date(d.n_created_at).toISOString(),
        recipient: { id: d.user_id, name: rule.name, phone: rule.phone, email: rule.email },
        attempt: d.attempts + 1,
      };
      if (d.channel === 'email') {
        const ep = await endpointFor(ctx, 'smtp', d.endpoint_id, true);
        const cfg = (ep?.config as SmtpConfig | undefined) ?? smtpFromEnv(env);
        if (!rule.email) reason = 'no_email';
        else if (cfg) {
          target = rule.email;
          const to = rule.email;
          send = () => sendEmail(cfg, to, message);
        }
      } else if (d.channel === 'sms' || d.channel === 'voice') {
        const ch = d.channel as 'sms' | 'voice';
        const ep = await endpointFor(ctx, ch, d.endpoint_id, true);
        const cfg = (ep?.config as GatewayConfig | undefined) ?? gatewayFromEnv(ch, env);
        if (!rule.phone) reason = 'no_phone';
        else if (cfg) {
          target = rule.phone;
          const phone = rule.phone;
          send = () => sendGateway(cfg, ch, phone, message);
        }
      } else {
        const ep = await endpointFor(ctx, d.channel, d.endpoint_id, false);
        if (ep) {
          const cfg = ep.config as WebhookConfig;
          target = `${d.channel}:${ep.id}`;
          const nowMs = now.getTime();
          send =
            d.channel === 'webhook'
              ? () => sendWebhook(cfg, message)
              : () => sendRobot(d.channel as 'wecom' | 'dingtalk' | 'feishu', cfg, message, nowMs);
        }
      }
      if (!send || !target) {
        await skip(reason);
        continue;
      }
      const token = randomUUID();
      const attempts = d.attempts + 1;
      await ctx.tx.execute(sql`update notification_deliveries
        set status = 'sending', attempts = ${attempts}, claim_token = ${token}, target = ${target},
            lease_until = ${new Date(now.getTime() + LEASE_MS).toISOString()}
        where id = ${d.id}`);
      if (attempts > 1)
        await audit(ctx, {
          stream,
          action: 'notify_retry',
          entityType: 'notification',
          entityId: d.notification_id,
          unitId: null,
          data: { channel: d.channel, step: d.step, attempt: attempts, messageId: d.message_id, target },
        });
      jobs.push({
        deliveryId: d.id,
        token,
        channel: d.channel,
        target,
        stream,
        userId: d.user_id,
        attempts,
        message,
        send,
      });
    }
  });
  await Promise.all(jobs.map((j) => runJob(deps, base, j, env)));
  return handled;
}

async function runJob(deps: DeliveryDeps, base: Ctx, j: Job, env: NodeJS.ProcessEnv) {
  let error: string | null = null;
  try {
    await j.send();
  } catch (e) {
    // the stored error, the registration log and the live message never carry a credential
    error = maskText((e as Error)?.message || String(e)).slice(0, 500);
  }
  const now = deps.clock.now();
  await inTx(base, async (ctx) => {
    const common = {
      channel: j.channel,
      target: j.target,
      attempt: j.attempts,
      messageId: j.message.messageId,
      userId: j.userId,
    };
    if (!error) {
      const r = await ctx.tx.execute(sql`update notification_deliveries
        set status = 'sent', sent_at = ${now.toISOString()}, last_error = null, claim_token = null, lease_until = null
        where id = ${j.deliveryId} and claim_token = ${j.token}`);
      if (!r.rowCount) return; // the lease ran out and another worker took over
      await audit(ctx, {
        stream: j.stream,
        action: 'notify_sent',
        entityType: 'notification',
        entityId: j.message.notificationId,
        unitId: null,
        data: common,
      });
      return;
    }
    const final = j.attempts >= maxAttempts(env);
    const retryAt = new Date(now.getTime() + backoffMs(j.attempts));
    const r = await ctx.tx.execute(sql`update notification_deliveries
      set status = ${final ? 'failed' : 'pending'}, last_error = ${error}, claim_token = null, lease_until = null,
          due_at = ${final ? sql`due_at` : sql`${retryAt.toISOString()}`}
      where id = ${j.deliveryId} and claim_token = ${j.token}`);
    if (!r.rowCount) return;
    await audit(ctx, {
      stream: j.stream,
      action: final ? 'notify_failed' : 'notify_send_failed',
      entityType: 'notification',
      entityId: j.message.notificationId,
      unitId: null,
      data: { ...common, error, ...(final ? { final: true } : { retryAt: retryAt.toISOString() }) },
    });
    if (final)
      await publish(ctx, [userAudience(j.userId)], 'notification.delivery_failed', {
        id: j.message.notificationId,
        channel: j.channel,
        error,
      });
  });
}
