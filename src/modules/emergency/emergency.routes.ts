import { sql } from 'drizzle-orm';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { runCommand } from '../../floor/command.js';
import { notFound } from '../../floor/errors.js';
import type { App } from '../../floor/http.js';
import { idParam } from '../../floor/http.js';
import { requireRole } from '../auth/policy.js';
import { CATEGORY_CODE_RE } from './categories.js';
import {
  eventTimeline,
  getEventForActor,
  listEvents,
  listIntake,
  myInbox,
  presentEvent,
  presentNewReport,
  presentReportById,
} from './emergency.queries.js';
import { getReport, getVisibleEvent } from './emergency.repo.js';
import { patchEvent, publishEvent, requestReport } from './events.service.js';
import { LEVELS, proposeLevel } from './level.js';
import { canSeeReport, emergencyPolicy } from './policy.js';
import { registerEvent } from './register-event.js';
import {
  acknowledgeArrival,
  approveReport,
  countersignReport,
  createReport,
  returnReport,
  signReport,
  submitReport,
  updateReport,
  verifyArrival,
} from './reports.service.js';
import './messages.js';
import { eventTime, text as freeText, requiredText } from '../../floor/floor.schema.js';

const iso = eventTime();
const count = z.number().int().min(0).max(10_000_000);
export const casualtiesSchema = z
  .object({ dead: count, missing: count, seriouslyInjured: count, lightlyInjured: count, trapped: count })
  .partial();
export const levelSchema = z.enum(LEVELS).nullable();
export const flagsSchema = z
  .object({
    specialPersons: z.array(
      z.enum(['foreigner', 'military', 'student', 'minor', 'woman', 'ethnic_religious', 'notable']),
    ),
    sensitivePlace: z.boolean(),
    sensitiveTime: z.boolean(),
    massIncident: z.boolean(),
    mayEscalate: z.boolean(),
    publicOpinion: z.boolean(),
  })
  .partial();
const text = (max = 4000) => freeText(max);

export const elementsSchema = z
  .object({
    occurredAt: iso,
    place: text(500),
    cause: text(),
    scope: text(),
    casualties: casualtiesSchema,
    loss: text(),
    measures: text(),
    nextSteps: text(),
    contact: text(500),
    correction: text(),
  })
  .partial();

const ELEMENT_KEYS = [
  'occurredAt',
  'place',
  'cause',
  'scope',
  'casualties',
  'loss',
  'measures',
  'nextSteps',
  'contact',
] as const;
const pendingSchema = z.partialRecord(z.enum(ELEMENT_KEYS), z.string().max(500));

const eventBody = z.object({
  title: requiredText(200),
  categoryCode: z.string().regex(CATEGORY_CODE_RE, '类别代码格式：1 + 类 + 子类字母 + 2 位细类，如 12G00'),
  level: levelSchema,
  occurredAt: iso,
  learnedAt: iso.nullish(),
  place: z.object({
    divisionCode: z
      .string()
      .regex(/^\d{6}(\d{3})?$/)
      .nullish(),
    address: requiredText(500),
    lng: z.number().min(-180).max(180).nullish(),
    lat: z.number().min(-90).max(90).nullish(),
  }),
  responsibleUnitId: z.uuid().nullish(),
  source: z.enum(['self', 'phone', 'media', 'department', 'higher', 'public']).optional(),
  summary: text().nullish(),
  casualties: casualtiesSchema.nullish(),
  directLossYuan: z.number().min(0).max(1e15).nullish(),
  flags: flagsSchema.nullish(),
  callerUnitId: z.uuid().nullish(),
  callerName: text(60).nullish(),
  callerPhone: text(40).nullish(),
  callerPost: text(60).nullish(),
  calledAt: iso.nullish(),
  toldLeaders: text(1000).nullish(),
  classification: z.enum(['public', 'internal', 'secret']).optional(),
});

const reportBody = z.object({
  kind: z.enum(['phone', 'initial', 'followup', 'verification', 'final']),
  elements: elementsSchema,
  pendingElements: pendingSchema.nullish(),
  fastTrack: z.boolean().optional(),
  sourceReportIds: z.array(z.uuid()).max(50).nullish(),
  callerUnitId: z.uuid().nullish(),
  callerName: text(60).nullish(),
  callerPhone: text(40).nullish(),
  callerPost: text(60).nullish(),
  calledAt: iso.nullish(),
  toldLeaders: text(1000).nullish(),
  recipients: z.array(z.uuid()).max(20).nullish(),
  // phone both ways: the calling unit records its own call (calls.ts)
  direction: z.enum(['incoming', 'outgoing']).nullish(),
  toUnitId: z.uuid().nullish(),
  answeredBy: text(60).nullish(),
  // a field report: when it was recorded on the device (shown as 现场记录于; never counts)
  capturedAt: iso.nullish(),
});

export function registerEmergencyRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['events'];

  r.get(
    '/api/categories',
    {
      config: { policy: emergencyPolicy.ref('readCategories') },
      schema: { tags, summary: '事件类别树 / category tree' },
    },
    async (req) => {
      const rows = await req.ctx.tx.execute<any>(
        sql`select code, name, name_en as "nameEn", parent_code as "parentCode", depth from categories order by code`,
      );
      return { items: rows.rows, nextCursor: null };
    },
  );

  r.get(
    '/api/level-proposal',
    {
      config: { policy: emergencyPolicy.ref('proposeLevel') },
      schema: {
        tags,
        summary: '按伤亡和直接经济损失建议事故级别 / proposed accident level',
        querystring: z.object({
          categoryCode: z.string().regex(CATEGORY_CODE_RE),
          dead: z.coerce.number().int().min(0).optional(),
          seriouslyInjured: z.coerce.number().int().min(0).optional(),
          directLossYuan: z.coerce.number().min(0).optional(),
        }),
      },
    },
    async (req) => ({
      proposedLevel: proposeLevel(
        req.query.categoryCode,
        { dead: req.query.dead, seriouslyInjured: req.query.seriouslyInjured },
        req.query.directLossYuan ?? null,
      ),
    }),
  );

  r.post(
    '/api/events',
    { schema: { tags, summary: '登记事件 / register an event', body: eventBody } },
    async (req, reply) =>
      runCommand(req, reply, 201, async (ctx) => {
        return (await registerEvent(ctx, req.body as any)).answer;
      }),
  );

  r.get(
    '/api/events',
    {
      schema: {
        tags,
        summary: '事件列表 / events',
        querystring: z.object({
          from: iso.optional(),
          to: iso.optional(),
          unitId: z.uuid().optional(),
          status: z.enum(['open', 'closed']).optional(),
          level: z.enum(['I', 'II', 'III', 'IV', 'none']).optional(),
          q: z.string().max(100).optional(),
          cursor: z.string().max(500).optional(),
          limit: z.coerce.number().int().min(1).max(200).optional(),
        }),
      },
    },
    async (req) => listEvents(req.ctx, req.query),
  );

  r.get('/api/events/:id', { schema: { tags, params: idParam } }, async (req) =>
    getEventForActor(req.ctx, req.params.id),
  );

  r.patch(
    '/api/events/:id',
    {
      schema: {
        tags,
        summary: '修改事件（级别、事发时间、责任单位…）/ change an event',
        params: idParam,
        body: z.object({
          level: levelSchema.optional(),
          occurredAt: iso.optional(),
          responsibleUnitId: z.uuid().optional(),
          flags: flagsSchema.optional(),
          casualties: casualtiesSchema.optional(),
          directLossYuan: z.number().min(0).max(1e15).nullable().optional(),
          activeResponse: z.boolean().optional(),
          title: requiredText(200).optional(),
          reason: requiredText(1000),
        }),
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 200, async (ctx) =>
        presentEvent(ctx, await patchEvent(ctx, req.params.id, req.body as any)),
      ),
  );

  r.get('/api/events/:id/timeline', { schema: { tags, params: idParam } }, async (req) =>
    eventTimeline(req.ctx, req.params.id),
  );

  r.post(
    '/api/events/:id/reports',
    {
      schema: { tags: ['reports'], summary: '新建报告 / create a report', params: idParam, body: reportBody },
    },
    async (req, reply) =>
      runCommand(req, reply, 201, async (ctx) =>
        presentNewReport(ctx, await createReport(ctx, req.params.id, req.body as any)),
      ),
  );

  r.get('/api/reports/:id', { schema: { tags: ['reports'], params: idParam } }, async (req) => {
    const rep = await getReport(req.ctx, req.params.id);
    if (!rep || !(await getVisibleEvent(req.ctx, rep.event_id))) throw notFound();
    if (!canSeeReport(req.ctx.actor!, rep)) throw notFound();
    const versions = await req.ctx.tx.execute<any>(
      sql`select version, elements, pending_elements as "pendingElements", at, user_id as "userId", note
        from report_versions where report_id = ${rep.id} order by version`,
    );
    return { ...(await presentReportById(req.ctx, rep)), versions: versions.rows };
  });

  r.patch(
    '/api/reports/:id',
    {
      schema: {
        tags: ['reports'],
        summary: '修改报告（已报出的报告生成新版本）/ edit a report',
        params: idParam,
        body: z.object({
          elements: elementsSchema.optional(),
          pendingElements: pendingSchema.optional(),
          fastTrack: z.boolean().optional(),
          recipients: z.array(z.uuid()).max(20).optional(),
          note: z.string().max(500).optional(),
        }),
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 200, async (ctx) =>
        presentReportById(ctx, await updateReport(ctx, req.params.id, req.body as any)),
      ),
  );

  const simple = (
    path: string,
    summary: string,
    body: z.ZodTypeAny | null,
    fn: (ctx: any, id: string, body: any) => Promise<any>,
    present = true,
  ) =>
    r.post(
      path,
      { schema: { tags: ['reports'], summary, params: idParam, ...(body ? { body } : {}) } },
      async (req, reply) =>
        runCommand(req, reply, 200, async (ctx) => {
          const out = await fn(ctx, (req.params as any).id, req.body ?? {});
          return present ? presentReportById(ctx, out) : out;
        }),
    );

  simple(
    '/api/reports/:id/submit',
    '报出 / submit',
    z.object({ fastTrack: z.boolean().optional() }).nullish(),
    submitReport,
  );
  simple(
    '/api/reports/:id/approve',
    '审签 / approve',
    z
      .object({
        comment: z.string().max(1000).nullish(),
        // the version the approver read: 409 report_changed when the report changed since
        version: z.number().int().min(1).nullish(),
      })
      .nullish(),
    approveReport,
  );
  simple('/api/reports/:id/return', '退回 / return', z.object({ reason: requiredText(1000) }), returnReport);
  simple('/api/reports/:id/countersign', '补签 / countersign', null, (ctx, id) => countersignReport(ctx, id));
  simple('/api/reports/:id/sign', '签收 / sign for', null, (ctx, id) => signReport(ctx, id), false);
  simple(
    '/api/reports/:id/ack',
    '非工作时间来报确认 / acknowledge an off-hours arrival',
    null,
    (ctx, id) => acknowledgeArrival(ctx, id),
    false,
  );
  simple(
    '/api/reports/:id/verify',
    '核实 / verify',
    z.object({ note: z.string().max(1000).nullish() }).nullish(),
    verifyArrival,
    false,
  );

  r.get(
    '/api/intake',
    {
      schema: {
        tags: ['reports'],
        summary: "本级接报队列 / the level's intake",
        querystring: z.object({
          cursor: z.string().max(500).optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
          signed: z.enum(['yes', 'no']).optional(),
        }),
      },
    },
    async (req) => listIntake(req.ctx, req.query),
  );

  r.get(
    '/api/inbox',
    {
      config: { policy: emergencyPolicy.ref('inbox') },
      schema: {
        tags: ['reports'],
        summary: "本单位待办 / my unit's drafts, approvals, countersignatures, requests",
      },
    },
    async (req) => myInbox(req.ctx),
  );

  r.post(
    '/api/events/:id/requests',
    {
      schema: {
        tags,
        summary: '调度（催报）/ request a report from below',
        params: idParam,
        body: z.object({ toUnitId: z.uuid(), message: requiredText(2000) }),
      },
    },
    async (req, reply) => runCommand(req, reply, 201, (ctx) => requestReport(ctx, req.params.id, req.body)),
  );

  r.post(
    '/api/events/:id/publish',
    {
      schema: {
        tags,
        summary: '对外发布（须党委办公室已收到报告）/ public release',
        params: idParam,
        body: z.object({ text: requiredText(10_000) }),
      },
    },
    async (req, reply) => runCommand(req, reply, 201, (ctx) => publishEvent(ctx, req.params.id, req.body)),
  );

  r.post(
    '/api/events/:id/site-contacts',
    {
      schema: {
        tags,
        summary: '一竿子插到底：直接联系现场 / record a direct contact with the site',
        params: idParam,
        body: z.object({
          person: requiredText(60),
          phone: text(40).nullish(),
          content: requiredText(4000),
        }),
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 201, async (ctx) => {
        requireRole(ctx.actor, 'editor', 'duty_officer', 'duty_leader', 'leader', 'principal');
        const ev = await getVisibleEvent(ctx, req.params.id);
        if (!ev) throw notFound();
        const { audit } = await import('../../floor/audit.js');
        const row = (
          await ctx.tx.execute<any>(sql`insert into site_contacts (event_id, user_id, unit_id, at, person, phone, content)
            values (${ev.id}, ${ctx.actor!.id}, ${ctx.actor!.acting.id}, ${ctx.clock.now().toISOString()},
              ${req.body.person}, ${req.body.phone ?? null}, ${req.body.content}) returning *`)
        ).rows[0];
        await audit(ctx, {
          stream: `event:${ev.id}`,
          action: 'site_contacted',
          entityType: 'site_contact',
          entityId: row.id,
          data: { person: row.person, phone: row.phone, content: row.content },
        });
        return {
          id: row.id,
          eventId: ev.id,
          person: row.person,
          phone: row.phone,
          content: row.content,
          at: row.at,
        };
      }),
  );

  r.post(
    '/api/events/:id/link',
    {
      schema: {
        tags,
        summary: '将重复登记的事件并入本事件 / link a duplicate event into this one',
        params: idParam,
        body: z.object({ duplicateEventId: z.uuid(), reason: requiredText(1000) }),
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 200, async (ctx) => {
        requireRole(ctx.actor, 'editor', 'duty_officer', 'duty_leader', 'leader');
        const main = await getVisibleEvent(ctx, req.params.id, true);
        const dup = await getVisibleEvent(ctx, req.body.duplicateEventId, true);
        if (!main || !dup || main.id === dup.id) throw notFound();
        const { audit } = await import('../../floor/audit.js');
        await ctx.tx.execute(sql`update events set merged_into_id = ${main.id} where id = ${dup.id}`);
        await ctx.tx.execute(sql`insert into event_units (event_id, unit_id, reason)
          select ${main.id}, unit_id, reason from event_units where event_id = ${dup.id} on conflict do nothing`);
        for (const [stream, data] of [
          [`event:${main.id}`, { duplicateEventId: dup.id, reason: req.body.reason }],
          [`event:${dup.id}`, { mergedIntoId: main.id, reason: req.body.reason }],
        ] as const)
          await audit(ctx, { stream, action: 'events_linked', entityType: 'event', entityId: main.id, data });
        return presentEvent(ctx, (await getVisibleEvent(ctx, main.id))!);
      }),
  );
}
