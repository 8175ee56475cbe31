import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { audit } from '../../floor/audit.js';
import type { Ctx } from '../../floor/context.js';
import { badRequest, notFound } from '../../floor/errors.js';
import { authorize } from '../../floor/policy.js';
import { isGlobalAdmin, subtreeScope } from '../auth/policy.js';
import {
  type GatewayConfig,
  type OutboundMessage,
  type SmtpConfig,
  sendEmail,
  sendGateway,
  sendRobot,
  sendWebhook,
  type WebhookConfig,
} from './channels.js';
import { maskText } from './mask.js';
import { notifyPolicy } from './policy.js';
import { loadRules } from './rules.js';

export interface EndpointTestResult {
  ok: boolean;
  error: string | null;
  target: string;
  messageId: string;
  at: string;
}

/** Remove every stored secret value from a text (a receiver may echo it), then mask what still looks secret. */
export function scrubError(text: string, config: Record<string, unknown>): string {
  let out = text;
  const secrets: string[] = [];
  for (const [k, v] of Object.entries(config ?? {})) {
    if (typeof v === 'string' && v.length >= 4 && /pass|secret|token|key/i.test(k)) secrets.push(v);
    if (k === 'headers' && v && typeof v === 'object')
      for (const hv of Object.values(v as Record<string, unknown>))
        if (typeof hv === 'string' && hv.length >= 4) secrets.push(hv);
  }
  for (const s of secrets) out = out.split(s).join('******');
  return maskText(out).slice(0, 500);
}

/**
 * 发送测试: a real message through one endpoint to a chosen recipient (an e-mail address for SMTP, a phone for
 * SMS / voice; robots and webhooks post to their group). Without `to`, the administrator's own address or phone.
 * The outcome (ok, or the masked error) is answered and written to the endpoint's registration-log stream.
 */
export async function testEndpoint(
  ctx: Ctx,
  id: string,
  to: string | undefined,
): Promise<EndpointTestResult> {
  authorize(ctx.actor, notifyPolicy, 'manageEndpoints');
  const scope = isGlobalAdmin(ctx.actor)
    ? sql`true`
    : sql`exists (select 1 from units u where u.id = e.unit_id and ${subtreeScope(ctx.actor, 'u')})`;
  const r = await ctx.tx.execute<any>(sql`select * from notify_endpoints e where e.id = ${id} and ${scope}`);
  const e = r.rows[0];
  if (!e) throw notFound();
  const me = ctx.actor!;
  const rule = (await loadRules(ctx, [me.id])).get(me.id);
  const now = ctx.clock.now();
  const messageId = randomUUID();
  const m: OutboundMessage = {
    messageId,
    notificationId: messageId,
    kind: 'endpoint_test',
    title: '外发通道测试',
    body: `这是急报外发通道“${e.name}”的测试消息，由 ${me.name} 发送。收到即表示通道可用。`,
    urgent: false,
    data: { endpointId: e.id },
    createdAt: now.toISOString(),
    recipient: { id: me.id, name: me.name, phone: rule?.phone ?? null, email: rule?.email ?? null },
    attempt: 1,
  };
  const cfg = (e.config ?? {}) as Record<string, unknown>;
  let target: string;
  let send: () => Promise<void>;
  if (e.kind === 'smtp') {
    const addr = to?.trim() || rule?.email;
    if (!addr || !/^[^\s@]+@[^\s@]+$/.test(addr)) throw badRequest('endpoint_test_no_email', { field: 'to' });
    target = addr;
    send = () => sendEmail(cfg as unknown as SmtpConfig, addr, m);
  } else if (e.kind === 'sms' || e.kind === 'voice') {
    const phone = to?.trim() || rule?.phone;
    if (!phone || !/^[0-9+\- ]{5,20}$/.test(phone))
      throw badRequest('endpoint_test_no_phone', { field: 'to' });
    target = phone;
    m.recipient.phone = phone;
    send = () => sendGateway(cfg as unknown as GatewayConfig, e.kind, phone, m);
  } else {
    target = `${e.kind}:${e.id}`;
    send =
      e.kind === 'webhook'
        ? () => sendWebhook(cfg as unknown as WebhookConfig, m)
        : () => sendRobot(e.kind, cfg as unknown as WebhookConfig, m, now.getTime());
  }
  let error: string | null = null;
  try {
    await send();
  } catch (err) {
    error = scrubError((err as Error)?.message || String(err), cfg);
  }
  await audit(ctx, {
    stream: 'notify:endpoints',
    action: error ? 'endpoint_test_failed' : 'endpoint_test_sent',
    entityType: 'notify_endpoint',
    entityId: e.id,
    data: { kind: e.kind, name: e.name, target, messageId, ...(error ? { error } : {}) },
  });
  return { ok: !error, error, target, messageId, at: now.toISOString() };
}
