import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import { maskText } from './mask.js';

/**
 * Outbound transports. Each takes the message and the endpoint configuration and either resolves or throws
 * with a short reason. Every message carries a stable id (`messageId`) — in a header where the transport
 * has headers (X-Jibao-Message-Id, Message-ID) and in the payload — so a receiver can drop repeats:
 * delivery is at least once.
 */

export const OUTBOUND_CHANNELS = ['email', 'sms', 'voice', 'webhook', 'wecom', 'dingtalk', 'feishu'] as const;
export type OutboundChannel = (typeof OUTBOUND_CHANNELS)[number];
export const STEP_CHANNELS = ['in_app', ...OUTBOUND_CHANNELS, 'deputy'] as const;
export type StepChannel = (typeof STEP_CHANNELS)[number];
export const ENDPOINT_KINDS = ['smtp', 'sms', 'voice', 'webhook', 'wecom', 'dingtalk', 'feishu'] as const;
export type EndpointKind = (typeof ENDPOINT_KINDS)[number];

export interface OutboundMessage {
  messageId: string;
  notificationId: string;
  kind: string;
  title: string;
  body: string;
  urgent: boolean;
  data: Record<string, unknown>;
  createdAt: string;
  recipient: { id: string; name: string; phone?: string | null; email?: string | null };
  attempt: number;
}

export interface SmtpConfig {
  host: string;
  port: number;
  secure?: boolean;
  user?: string;
  pass?: string;
  from: string;
  ignoreTLS?: boolean;
}

export interface GatewayConfig {
  url: string;
  method?: 'POST' | 'GET';
  contentType?: string;
  headers?: Record<string, string>;
  /** Body with placeholders {{phone}} {{text}} {{title}} {{body}} {{messageId}} {{notificationId}} {{urgent}} {{kind}} {{channel}}. */
  bodyTemplate?: string;
}

export interface WebhookConfig {
  url: string;
  secret?: string;
  headers?: Record<string, string>;
}

const TIMEOUT_MS = 10_000;

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}

/** The plain text used by SMS, voice and robots. */
export function messageText(m: OutboundMessage, opts: { withId?: boolean } = {}): string {
  const head = m.urgent ? '【急报·紧急】' : '【急报】';
  const tail = m.urgent ? '\n请登录急报确认收到（回执）。' : '';
  const id = opts.withId ? `\n编号：${m.messageId}` : '';
  return `${head}${m.title}\n${m.body}${tail}${id}`;
}

// ---- e-mail -------------------------------------------------------------------------------------------

export function smtpFromEnv(env = process.env): SmtpConfig | null {
  const url = env.JIBAO_SMTP_URL;
  if (!url) return null;
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 25)),
    secure: u.protocol === 'smtps:',
    user: u.username ? decodeURIComponent(u.username) : undefined,
    pass: u.password ? decodeURIComponent(u.password) : undefined,
    from: env.JIBAO_SMTP_FROM || `急报 <jibao@${u.hostname}>`,
    ignoreTLS: env.JIBAO_SMTP_IGNORE_TLS === '1',
  };
}

export async function sendEmail(cfg: SmtpConfig, to: string, m: OutboundMessage): Promise<void> {
  const transport = nodemailer.createTransport({
    host: cfg.host,
    port: cfg.port,
    secure: !!cfg.secure,
    ignoreTLS: !!cfg.ignoreTLS,
    auth: cfg.user ? { user: cfg.user, pass: cfg.pass ?? '' } : undefined,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
    tls: { rejectUnauthorized: false },
  });
  try {
    await transport
      .sendMail({
        from: cfg.from,
        to,
        subject: `${m.urgent ? '【紧急】' : ''}${m.title}`,
        text: `${messageText(m)}\n\n——\n急报 Jibao · 消息编号 ${m.messageId}`,
        messageId: `<${m.messageId}@jibao>`,
        headers: { 'X-Jibao-Message-Id': m.messageId, ...(m.urgent ? { Importance: 'high' } : {}) },
      })
      .catch((e: Error) => {
        // SMTP errors may echo the login; never the password
        throw new Error(
          maskText(
            String(e?.message ?? e)
              .split(cfg.pass || '\u0000')
              .join('******'),
          ),
        );
      });
  } finally {
    transport.close();
  }
}

// ---- HTTP ---------------------------------------------------------------------------------------------

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  method: 'POST' | 'GET' = 'POST',
): Promise<string> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: method === 'GET' ? undefined : body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    text = await res.text();
  } catch (e) {
    // fetch's messages may quote the URL (with its key=…); name the host only
    const cause = (e as any)?.cause?.code ?? (e as any)?.cause?.message ?? '';
    throw new Error(maskText(`${(e as Error)?.name ?? 'Error'} ${hostOf(url)}${cause ? ` (${cause})` : ''}`));
  }
  if (!res.ok) throw new Error(maskText(`HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`));
  return text;
}

function escapeFor(contentType: string, v: string): string {
  if (contentType.includes('json')) return JSON.stringify(v).slice(1, -1);
  if (contentType.includes('x-www-form-urlencoded')) return encodeURIComponent(v);
  return v;
}

export function renderTemplate(tpl: string, vars: Record<string, string>, contentType: string): string {
  return tpl.replace(/\{\{(\w+)\}\}/g, (_, k) =>
    vars[k] !== undefined ? escapeFor(contentType, vars[k]) : '',
  );
}

export const DEFAULT_GATEWAY_TEMPLATE =
  '{"to":"{{phone}}","text":"{{text}}","messageId":"{{messageId}}","channel":"{{channel}}","urgent":{{urgent}}}';

export function gatewayFromEnv(channel: 'sms' | 'voice', env = process.env): GatewayConfig | null {
  const p = channel === 'sms' ? 'JIBAO_SMS' : 'JIBAO_VOICE';
  const url = env[`${p}_URL`];
  if (!url) return null;
  return {
    url,
    bodyTemplate: env[`${p}_TEMPLATE`] || DEFAULT_GATEWAY_TEMPLATE,
    contentType: env[`${p}_CONTENT_TYPE`] || 'application/json',
  };
}

/** SMS or voice call through an HTTP gateway: URL and body template are configuration. */
export async function sendGateway(
  cfg: GatewayConfig,
  channel: 'sms' | 'voice',
  phone: string,
  m: OutboundMessage,
): Promise<void> {
  const contentType = cfg.contentType || 'application/json';
  const vars: Record<string, string> = {
    phone,
    text: messageText(m),
    title: m.title,
    body: m.body,
    messageId: m.messageId,
    notificationId: m.notificationId,
    urgent: String(m.urgent),
    kind: m.kind,
    channel,
  };
  const method = cfg.method ?? 'POST';
  const url = renderTemplate(cfg.url, vars, 'application/x-www-form-urlencoded');
  const body = renderTemplate(cfg.bodyTemplate || DEFAULT_GATEWAY_TEMPLATE, vars, contentType);
  await post(
    url,
    body,
    { 'content-type': contentType, 'x-jibao-message-id': m.messageId, ...(cfg.headers ?? {}) },
    method,
  );
}

/** Generic webhook: the whole message as JSON, signed with HMAC-SHA256 when a secret is set. */
export async function sendWebhook(cfg: WebhookConfig, m: OutboundMessage): Promise<void> {
  const body = JSON.stringify({
    messageId: m.messageId,
    notificationId: m.notificationId,
    kind: m.kind,
    title: m.title,
    body: m.body,
    urgent: m.urgent,
    data: m.data,
    createdAt: m.createdAt,
    recipient: m.recipient,
    attempt: m.attempt,
  });
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'x-jibao-message-id': m.messageId,
    ...(cfg.headers ?? {}),
  };
  if (cfg.secret)
    headers['x-jibao-signature'] = `sha256=${createHmac('sha256', cfg.secret).update(body).digest('hex')}`;
  await post(cfg.url, body, headers);
}

/** Group robots answer 200 with an error code in the body. */
function robotOk(text: string) {
  let j: any = null;
  try {
    j = JSON.parse(text);
  } catch {
    return;
  }
  const code = j?.errcode ?? j?.code ?? j?.StatusCode ?? 0;
  if (code !== 0) throw new Error(`robot error ${code}: ${j?.errmsg ?? j?.msg ?? ''}`);
}

/** 企业微信群机器人: text message, mentioning the recipient's mobile for urgent ones. */
export function wecomPayload(m: OutboundMessage) {
  return {
    msgtype: 'text',
    text: {
      content: messageText(m, { withId: true }),
      mentioned_mobile_list: m.urgent && m.recipient.phone ? [m.recipient.phone] : [],
    },
  };
}

/** 钉钉群机器人: text message with @mobile; signed (timestamp + sign in the URL) when a secret is set. */
export function dingtalkPayload(m: OutboundMessage) {
  const mobiles = m.urgent && m.recipient.phone ? [m.recipient.phone] : [];
  const at = mobiles.map((p) => `@${p}`).join(' ');
  return {
    msgtype: 'text',
    text: { content: `${messageText(m, { withId: true })}${at ? `\n${at}` : ''}` },
    at: { atMobiles: mobiles, isAtAll: false },
  };
}

export function dingtalkSignedUrl(url: string, secret: string, timestampMs: number): string {
  const sign = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
  const u = new URL(url);
  u.searchParams.set('timestamp', String(timestampMs));
  u.searchParams.set('sign', sign);
  return u.toString();
}

/** 飞书群机器人: text message; signed (timestamp + sign in the body) when a secret is set. */
export function feishuPayload(m: OutboundMessage, secret?: string, timestampSec?: number) {
  const payload: Record<string, unknown> = {
    msg_type: 'text',
    content: { text: messageText(m, { withId: true }) },
  };
  if (secret) {
    const ts = timestampSec ?? Math.floor(Date.now() / 1000);
    payload.timestamp = String(ts);
    payload.sign = createHmac('sha256', `${ts}\n${secret}`).update('').digest('base64');
  }
  return payload;
}

export async function sendRobot(
  kind: 'wecom' | 'dingtalk' | 'feishu',
  cfg: WebhookConfig,
  m: OutboundMessage,
  nowMs: number,
): Promise<void> {
  const headers = { 'content-type': 'application/json; charset=utf-8', 'x-jibao-message-id': m.messageId };
  if (kind === 'wecom') return robotOk(await post(cfg.url, JSON.stringify(wecomPayload(m)), headers));
  if (kind === 'dingtalk') {
    const url = cfg.secret ? dingtalkSignedUrl(cfg.url, cfg.secret, nowMs) : cfg.url;
    return robotOk(await post(url, JSON.stringify(dingtalkPayload(m)), headers));
  }
  const body = JSON.stringify(feishuPayload(m, cfg.secret, Math.floor(nowMs / 1000)));
  return robotOk(await post(cfg.url, body, headers));
}
