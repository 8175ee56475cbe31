import { sql } from 'drizzle-orm';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { runCommand } from '../../floor/command.js';
import type { Ctx } from '../../floor/context.js';
import { notFound } from '../../floor/errors.js';
import type { App } from '../../floor/http.js';
import { authorize } from '../../floor/policy.js';
import type { WorkerFactory } from '../../floor/workers.js';
import { ENDPOINT_KINDS, STEP_CHANNELS } from './channels.js';
import { testEndpoint } from './endpoint-test.js';
import {
  acknowledge,
  createEndpoint,
  getNotification,
  getPreferences,
  listEndpoints,
  listInbox,
  markAllRead,
  markRead,
  savePreferences,
  unreadCount,
  updateEndpoint,
} from './inbox.js';
import { notifyPolicy } from './policy.js';
import './messages.js';
import { requiredText } from '../../floor/floor.schema.js';
import { notify } from './notify.js';
import { deliveryWorker } from './worker.js';

export const deliveryWorkerFactory: WorkerFactory = (deps) => deliveryWorker(deps);

const idParam = z.object({ id: z.uuid() });
const iso = z.string();

const notificationOut = z.object({
  id: z.uuid(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  data: z.record(z.string(), z.unknown()),
  urgent: z.boolean(),
  eventId: z.string().nullable(),
  createdAt: iso,
  readAt: iso.nullable(),
  ackedAt: iso.nullable(),
  ackNote: z.string().nullable(),
  needsAck: z.boolean(),
  escalatedFromId: z.string().nullable(),
});

const deliveryOut = z.object({
  step: z.number(),
  channel: z.string(),
  status: z.enum(['pending', 'sending', 'sent', 'failed', 'skipped', 'cancelled']),
  dueAt: iso,
  attempts: z.number(),
  sentAt: iso.nullable(),
  lastError: z.string().nullable(),
  messageId: z.string(),
});

const step = z.object({
  afterMinutes: z.number().int().min(0).max(1440),
  channel: z.enum(STEP_CHANNELS),
  endpointId: z.uuid().nullish(),
  urgentOnly: z.boolean().optional(),
});

const prefsBody = z.object({
  email: z.email().nullish(),
  phone: z
    .string()
    .regex(/^[0-9+\- ]{5,20}$/)
    .nullish(),
  deputyUserId: z.uuid().nullish(),
  steps: z.array(step).min(1).max(12),
});

const prefsOut = prefsBody.extend({
  email: z.string().nullable(),
  phone: z.string().nullable(),
  deputyUserId: z.string().nullable(),
  steps: z.array(step),
  isDefault: z.boolean(),
  defaultSteps: z.array(step),
  endpoints: z.array(z.object({ id: z.uuid(), kind: z.string(), name: z.string() })),
});

const endpointOut = z.object({
  id: z.uuid(),
  kind: z.enum(ENDPOINT_KINDS),
  name: z.string(),
  enabled: z.boolean(),
  config: z.record(z.string(), z.unknown()),
  unitId: z.string().nullable(),
  updatedAt: iso,
});

const endpointConfig = z
  .object({
    // smtp
    host: z.string().max(200).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    secure: z.boolean().optional(),
    user: z.string().max(200).optional(),
    pass: z.string().max(200).optional(),
    from: z.string().max(200).optional(),
    ignoreTLS: z.boolean().optional(),
    // http
    url: z.string().max(2000).optional(),
    method: z.enum(['POST', 'GET']).optional(),
    contentType: z.string().max(100).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    bodyTemplate: z.string().max(4000).optional(),
    secret: z.string().max(200).optional(),
  })
  .strict();

export function registerNotifyRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['notifications'];

  r.get(
    '/api/notifications',
    {
      config: { policy: notifyPolicy.ref('own') },
      schema: {
        tags,
        summary: '我的通知 / my notifications (inbox)',
        querystring: z.object({
          filter: z.enum(['all', 'unread', 'unacked']).optional(),
          cursor: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(200).optional(),
        }),
        response: { 200: z.object({ items: z.array(notificationOut), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => listInbox(req.ctx, req.query),
  );

  r.get(
    '/api/notifications/unread-count',
    {
      config: { policy: notifyPolicy.ref('own') },
      schema: {
        tags,
        summary: '未读与待确认数 / unread and unacknowledged counts',
        response: { 200: z.object({ unread: z.number(), unacked: z.number() }) },
      },
    },
    async (req) => unreadCount(req.ctx),
  );

  r.post(
    '/api/notifications/read-all',
    {
      config: { policy: notifyPolicy.ref('own') },
      schema: {
        tags,
        summary: '全部标为已读 / mark all read',
        response: { 200: z.object({ count: z.number() }) },
      },
    },
    async (req, reply) => runCommand(req, reply, 200, (ctx) => markAllRead(ctx)),
  );

  r.get(
    '/api/notifications/preferences',
    {
      config: { policy: notifyPolicy.ref('own') },
      schema: {
        tags,
        summary: '我的通知规则 / my notification rules (channels, delays, deputy)',
        response: { 200: prefsOut },
      },
    },
    async (req) => getPreferences(req.ctx, req.ctx.actor!.id),
  );

  r.put(
    '/api/notifications/preferences',
    {
      config: { policy: notifyPolicy.ref('own') },
      schema: {
        tags,
        summary: '保存通知规则 / save my notification rules',
        description:
          '每步：afterMinutes 分钟后通过 channel 发送；0 分钟的步骤随每条通知发出，之后的步骤只在紧急通知未确认（普通通知未读）时发出。channel=deputy 转交代理人。',
        body: prefsBody,
        response: { 200: prefsOut },
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 200, (ctx) => savePreferences(ctx, ctx.actor!.id, req.body as any)),
  );

  r.post(
    '/api/notifications/test',
    {
      config: { policy: notifyPolicy.ref('own') },
      schema: {
        tags,
        summary: '给自己发一条测试通知 / send myself a test notification through my rules',
        body: z.object({ urgent: z.boolean().optional() }).optional(),
        response: { 201: z.object({ id: z.uuid() }) },
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 201, async (ctx) => {
        const [id] = await notify(ctx, {
          userIds: [ctx.actor!.id],
          kind: 'test',
          title: '测试通知',
          body: `这是一条测试通知（${ctx.actor!.name}）。`,
          urgent: !!req.body?.urgent,
        });
        return { id };
      }),
  );

  r.get(
    '/api/notifications/endpoints',
    {
      config: { policy: notifyPolicy.ref('manageEndpoints') },
      schema: {
        tags,
        summary: '外发通道（管理员；密钥已掩码） / outbound endpoints (admin; credentials masked)',
        response: { 200: z.object({ items: z.array(endpointOut), nextCursor: z.null() }) },
      },
    },
    async (req) => {
      return { items: await listEndpoints(req.ctx), nextCursor: null };
    },
  );

  r.post(
    '/api/notifications/endpoints',
    {
      config: { policy: notifyPolicy.ref('manageEndpoints') },
      schema: {
        tags,
        summary: '新建外发通道（管理员） / create an outbound endpoint (admin)',
        description:
          'kind: smtp {host,port,from,user?,pass?,secure?} · sms/voice {url, bodyTemplate?, contentType?, method?, headers?}（模板占位符 {{phone}} {{text}} {{messageId}} …） · webhook {url, secret?} · wecom/dingtalk/feishu {url, secret?}',
        body: z.object({
          kind: z.enum(ENDPOINT_KINDS),
          name: requiredText(100),
          config: endpointConfig,
          enabled: z.boolean().optional(),
        }),
        response: { 201: endpointOut },
      },
    },
    async (req, reply) => runCommand(req, reply, 201, (ctx) => createEndpoint(ctx, req.body as any)),
  );

  r.patch(
    '/api/notifications/endpoints/:id',
    {
      config: { policy: notifyPolicy.ref('manageEndpoints') },
      schema: {
        tags,
        summary: '修改外发通道（管理员） / change an outbound endpoint (admin)',
        params: idParam,
        body: z.object({
          name: requiredText(100).optional(),
          config: endpointConfig.optional(),
          enabled: z.boolean().optional(),
        }),
        response: { 200: endpointOut },
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 200, (ctx) => updateEndpoint(ctx, req.params.id, req.body as any)),
  );

  r.post(
    '/api/notifications/endpoints/:id/test',
    {
      config: { policy: notifyPolicy.ref('manageEndpoints') },
      schema: {
        tags,
        summary: '发送测试（管理员） / send a real test message through an outbound endpoint (admin)',
        description:
          'to：SMTP 为邮箱，短信/语音为手机号（省略则用本人的）；机器人与 webhook 发往其群/地址。答复 ok 或（掩码后的）错误，并记入登记簿。',
        params: idParam,
        body: z.object({ to: z.string().max(200).optional() }).nullish(),
        response: {
          200: z.object({
            ok: z.boolean(),
            error: z.string().nullable(),
            target: z.string(),
            messageId: z.string(),
            at: iso,
          }),
        },
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 200, (ctx) => testEndpoint(ctx, req.params.id, req.body?.to)),
  );

  r.get(
    '/api/notifications/users/:id/preferences',
    {
      config: { policy: notifyPolicy.ref('managePreferencesOf') },
      schema: {
        tags,
        summary: '某人的通知规则（管理员） / a person’s notification rules (admin of their unit)',
        params: idParam,
        response: { 200: prefsOut },
      },
    },
    async (req) => {
      await requireAdminOfUser(req.ctx, req.params.id);
      return getPreferences(req.ctx, req.params.id);
    },
  );

  r.put(
    '/api/notifications/users/:id/preferences',
    {
      config: { policy: notifyPolicy.ref('managePreferencesOf') },
      schema: {
        tags,
        summary: '设置某人的通知规则（管理员） / set a person’s notification rules (admin)',
        params: idParam,
        body: prefsBody,
        response: { 200: prefsOut },
      },
    },
    async (req, reply) => {
      await requireAdminOfUser(req.ctx, req.params.id);
      return runCommand(req, reply, 200, (ctx) => savePreferences(ctx, req.params.id, req.body as any));
    },
  );

  r.get(
    '/api/notifications/:id',
    {
      config: { policy: notifyPolicy.ref('own') },
      schema: {
        tags,
        summary: '通知详情与外发记录 / a notification with its deliveries',
        params: idParam,
        response: { 200: notificationOut.extend({ deliveries: z.array(deliveryOut) }) },
      },
    },
    async (req) => getNotification(req.ctx, req.params.id),
  );

  r.post(
    '/api/notifications/:id/read',
    {
      config: { policy: notifyPolicy.ref('own') },
      schema: { tags, summary: '标为已读 / mark read', params: idParam, response: { 200: notificationOut } },
    },
    async (req, reply) => runCommand(req, reply, 200, (ctx) => markRead(ctx, req.params.id)),
  );

  r.post(
    '/api/notifications/:id/ack',
    {
      config: { policy: notifyPolicy.ref('own') },
      schema: {
        tags,
        summary: '确认收到（回执） / acknowledge',
        description: '紧急通知须本人确认；确认后升级链停止，发送方实时看到回执。',
        params: idParam,
        body: z.object({ note: z.string().max(500).optional() }).nullish(),
        response: { 200: notificationOut },
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 200, (ctx) => acknowledge(ctx, req.params.id, req.body?.note ?? null)),
  );
}

async function requireAdminOfUser(ctx: Ctx, userId: string) {
  const r = await ctx.tx.execute<{ path: string[] }>(
    sql`select un.path from users u join units un on un.id = u.unit_id where u.id = ${userId}`,
  );
  if (!r.rows[0]) throw notFound();
  authorize(ctx.actor, notifyPolicy, 'managePreferencesOf', r.rows[0]);
}
