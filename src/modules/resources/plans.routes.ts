import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type App, idParam } from '../../floor/http.js';
import { command } from './command.js';
import { activateBody, activationOut, planBody, planOut, planQuery } from './plans.schema.js';
import {
  activatePlan,
  createPlan,
  eventActivations,
  getPlan,
  planList,
  planVersions,
  publishRevision,
  revisePlan,
  submitRevision,
} from './plans.service.js';
import { plansPolicy as p } from './policy.js';
import { suggestionsFor } from './suggestions.js';

const tags = ['plans'];

const versionParams = z.object({ id: z.uuid(), version: z.coerce.number().int().min(1).max(100_000) });
const versionOut = z.object({
  version: z.number(),
  status: z.enum(['draft', 'review', 'published']),
  inForce: z.boolean(),
  tasks: z.array(
    z.object({
      level: z.string(),
      title: z.string(),
      unitId: z.uuid(),
      unitName: z.string(),
      withinMinutes: z.number(),
    }),
  ),
  supplies: z.array(z.object({ itemCode: z.string(), quantity: z.number() })),
  note: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
});

const suggestionsOut = z.object({
  plans: z.array(
    z.object({
      id: z.uuid(),
      why: z.string(),
      title: z.string(),
      kind: z.string(),
      ownerUnitName: z.string(),
      levels: z.array(z.string()),
      activatedLevels: z.array(z.string()),
      canActivate: z.boolean(),
    }),
  ),
  teams: z.array(
    z.object({
      id: z.uuid(),
      distanceKm: z.number().nullable(),
      why: z.string(),
      name: z.string(),
      unitName: z.string(),
      teamType: z.string().nullable(),
      headcount: z.number().nullable(),
      canDispatch: z.boolean(),
    }),
  ),
  warehouses: z.array(
    z.object({
      id: z.uuid(),
      distanceKm: z.number().nullable(),
      items: z.array(
        z.object({
          itemCode: z.string(),
          itemName: z.string(),
          quantity: z.number(),
          unit: z.string(),
          needed: z.number().nullable(),
        }),
      ),
      name: z.string(),
      unitName: z.string(),
      why: z.string(),
      canDispatch: z.boolean(),
    }),
  ),
  experts: z.array(
    z.object({ id: z.uuid(), why: z.string(), name: z.string(), field: z.string(), unitName: z.string() }),
  ),
  origin: z.object({ lng: z.number(), lat: z.number(), source: z.literal('event') }).nullable(),
  distanceLabel: z.string(),
});

/** 应急预案: plans, their activation on events, and the suggestions of the event page. */
export function registerPlanRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/plans',
    {
      config: { policy: p.ref('create') },
      schema: {
        tags,
        summary: '登记应急预案（第1版即生效）/ register a plan (version 1 in force)',
        body: planBody,
        response: { 201: planOut },
      },
    },
    (req, reply) => command(req, reply, 201, (ctx) => createPlan(ctx, req.body)),
  );
  r.get(
    '/api/plans',
    {
      config: { policy: p.ref('read') },
      schema: {
        tags,
        summary: '应急预案 / plans I may read',
        querystring: planQuery,
        response: { 200: z.object({ items: z.array(planOut), nextCursor: z.null() }) },
      },
    },
    (req) => planList(req.ctx, req.query),
  );
  r.get(
    '/api/plans/:id',
    {
      config: { policy: p.ref('read') },
      schema: { tags, summary: '应急预案 / a plan', params: idParam, response: { 200: planOut } },
    },
    (req) => getPlan(req.ctx, req.params.id),
  );
  r.post(
    '/api/plans/:id/activate',
    {
      config: { policy: p.ref('activate') },
      schema: {
        tags,
        summary: '启动预案 / activate a plan on an event at a response level',
        params: idParam,
        body: activateBody,
        response: { 201: activationOut },
      },
    },
    (req, reply) => command(req, reply, 201, (ctx) => activatePlan(ctx, req.params.id, req.body)),
  );
  r.get(
    '/api/events/:id/plan-activations',
    {
      config: { policy: p.ref('read') },
      schema: {
        tags,
        summary: '事件已启动的预案及其任务 / plans activated on an event, with their tasks',
        params: idParam,
        response: { 200: z.object({ items: z.array(activationOut), nextCursor: z.null() }) },
      },
    },
    (req) => eventActivations(req.ctx, req.params.id),
  );
  r.get(
    '/api/events/:id/suggestions',
    {
      config: { policy: p.ref('read') },
      schema: {
        tags,
        summary: '辅助决策：匹配的预案、就近队伍和物资、专家 / suggestions for an event',
        params: idParam,
        response: { 200: suggestionsOut },
      },
    },
    (req) => suggestionsFor(req.ctx, req.params.id),
  );

  r.get(
    '/api/plans/:id/versions',
    {
      config: { policy: p.ref('read') },
      schema: {
        tags,
        summary: '预案版本 / the versions of a plan',
        params: idParam,
        response: { 200: z.object({ items: z.array(versionOut), nextCursor: z.null() }) },
      },
    },
    (req) => planVersions(req.ctx, req.params.id),
  );
  r.post(
    '/api/plans/:id/revisions',
    {
      config: { policy: p.ref('create') },
      schema: {
        tags,
        summary:
          '修订预案（草稿；现行版本仍可启动）/ draft a revision (the version in force stays activatable)',
        params: idParam,
        body: z.object({
          tasks: planBody.shape.tasks,
          supplies: planBody.shape.supplies,
          note: planBody.shape.summary,
        }),
        response: { 201: versionOut },
      },
    },
    (req, reply) => command(req, reply, 201, (ctx) => revisePlan(ctx, req.params.id, req.body)),
  );
  r.post(
    '/api/plans/:id/revisions/:version/submit',
    {
      config: { policy: p.ref('create') },
      schema: {
        tags,
        summary: '提交审核 / send a revision to review',
        params: versionParams,
        response: { 200: versionOut },
      },
    },
    (req, reply) => command(req, reply, 200, (ctx) => submitRevision(ctx, req.params.id, req.params.version)),
  );
  r.post(
    '/api/plans/:id/revisions/:version/publish',
    {
      config: { policy: p.ref('publish') },
      schema: {
        tags,
        summary: '审定发布（成为现行版本）/ publish a reviewed revision (it comes into force)',
        params: versionParams,
        response: { 200: versionOut },
      },
    },
    (req, reply) =>
      command(req, reply, 200, (ctx) => publishRevision(ctx, req.params.id, req.params.version)),
  );
}
