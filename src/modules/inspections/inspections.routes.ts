import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inTx, type UserCtx } from '../../floor/context.js';
import { badRequest, notFound, unprocessable } from '../../floor/errors.js';
import { type App, idParam } from '../../floor/http.js';
import { can } from '../../floor/policy.js';
import { yoy } from '../accountability/yoy.js';
import { cleanFilename, decideServing, servingHeaders } from '../files/serving.js';
import { campaignDetail, createCampaign, presentCampaign } from './campaigns.service.js';
import { command } from './command.js';
import { hazardWorkbook } from './export.js';
import {
  addPhoto,
  campaignScope,
  presentHazard,
  recordHazard,
  recordVisit,
  reportRectification,
  verifyHazard,
  visibleHazard,
} from './hazards.service.js';
import {
  getCampaign,
  getHazard,
  getPhoto,
  getVisit,
  hazardStats,
  listCampaigns,
  listHazards,
  listVisits,
  type VisitRow,
} from './inspections.repo.js';
import {
  campaignBody,
  campaignDetailOut,
  campaignOut,
  hazardBody,
  hazardOut,
  hazardQuery,
  rectificationBody,
  statsOut,
  statsQuery,
  verifyBody,
  visitBody,
  visitOut,
} from './inspections.schema.js';
import { inspectionsPolicy as p } from './policy.js';
import { hazardTask } from './supervise.js';

const tags = ['inspections'];
const IMAGES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);

const presentVisit = (v: VisitRow) => ({
  id: v.id,
  campaignId: v.campaign_id,
  place: v.place,
  sector: v.sector,
  unitId: v.unit_id,
  unitName: v.unit_name,
  visitedAt: v.visited_at.toISOString(),
  findings: v.findings,
  hazardCount: v.hazard_count,
});

async function hazardAnswer(ctx: UserCtx, id: string) {
  const h = await getHazard(ctx, id, ctx.actor);
  if (!h) throw notFound();
  return { ...presentHazard(h, ctx.actor, ctx.clock.now()), supervisedTask: await hazardTask(ctx, h.id) };
}

/** 大检查: campaigns and their board, visits, hazards with photos, rectification and verification, statistics. */
export function registerInspectionRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/inspections/campaigns',
    {
      config: { policy: p.ref('createCampaign') },
      schema: {
        tags,
        summary: '发布检查活动 / create an inspection campaign',
        body: campaignBody,
        response: { 201: campaignDetailOut },
      },
    },
    (req, reply) =>
      command(req, reply, 201, async (ctx) => {
        const id = await createCampaign(ctx, req.body);
        return { ...(await campaignDetail(ctx, id)), can: { recordVisit: true } };
      }),
  );
  r.get(
    '/api/inspections/campaigns',
    {
      config: { policy: p.ref('read') },
      schema: {
        tags,
        summary: '检查活动列表 / campaigns I see',
        response: { 200: z.object({ items: z.array(campaignOut), nextCursor: z.null() }) },
      },
    },
    async (req) => ({
      items: (await listCampaigns(req.ctx, req.ctx.actor)).map(presentCampaign),
      nextCursor: null,
    }),
  );
  r.get(
    '/api/inspections/campaigns/:id',
    {
      config: { policy: p.ref('read') },
      schema: {
        tags,
        summary: '检查活动及进度看板 / a campaign with its progress board',
        params: idParam,
        response: { 200: campaignDetailOut },
      },
    },
    async (req) => {
      const d = await campaignDetail(req.ctx, req.params.id);
      const c = (await getCampaign(req.ctx, req.params.id, null))!;
      return { ...d, can: { recordVisit: can(req.ctx.actor, p, 'recordVisit', campaignScope(c)) } };
    },
  );

  r.post(
    '/api/inspections/visits',
    {
      config: { policy: p.ref('recordVisit') },
      schema: {
        tags,
        summary: '登记检查（有无问题均登记）/ record an inspection visit',
        body: visitBody,
        response: { 201: visitOut },
      },
    },
    (req, reply) =>
      command(req, reply, 201, async (c) => {
        const id = await recordVisit(c as UserCtx, req.body);
        return presentVisit((await getVisit(c, id))!);
      }),
  );
  r.get(
    '/api/inspections/visits',
    {
      config: { policy: p.ref('read') },
      schema: {
        tags,
        summary: '检查记录 / inspection visits',
        querystring: z.object({ campaignId: z.uuid().optional() }),
        response: { 200: z.object({ items: z.array(visitOut), nextCursor: z.null() }) },
      },
    },
    async (req) => ({
      items: (await listVisits(req.ctx, req.ctx.actor, req.query.campaignId ?? null)).map(presentVisit),
      nextCursor: null,
    }),
  );

  r.post(
    '/api/inspections/hazards',
    {
      config: { policy: p.ref('recordHazard') },
      schema: { tags, summary: '登记隐患 / record a hazard', body: hazardBody, response: { 201: hazardOut } },
    },
    (req, reply) =>
      command(req, reply, 201, async (c) => {
        const id = await recordHazard(c as UserCtx, req.body);
        return hazardAnswer(c as UserCtx, id);
      }),
  );
  r.get(
    '/api/inspections/hazards',
    {
      config: { policy: p.ref('read') },
      schema: {
        tags,
        summary: '隐患台账 / hazard register (status=overdue: open past the deadline)',
        querystring: hazardQuery,
        response: { 200: z.object({ items: z.array(hazardOut), nextCursor: z.null() }) },
      },
    },
    async (req) => {
      const now = req.ctx.clock.now();
      const rows = await listHazards(req.ctx, req.ctx.actor, req.query);
      return { items: rows.map((h) => presentHazard(h, req.ctx.actor, now)), nextCursor: null };
    },
  );
  r.get(
    '/api/inspections/hazards/export',
    {
      config: { policy: p.ref('read') },
      schema: {
        tags,
        summary: '导出隐患台账（Excel）/ export the hazard register as .xlsx',
        querystring: hazardQuery,
      },
    },
    async (req, reply) => {
      const buf = await hazardWorkbook(req.ctx, req.query);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('隐患台账.xlsx')}`)
        .send(buf);
    },
  );
  r.get(
    '/api/inspections/hazards/:id',
    {
      config: { policy: p.ref('read') },
      schema: { tags, summary: '隐患详情 / a hazard', params: idParam, response: { 200: hazardOut } },
    },
    async (req) => hazardAnswer(req.ctx, req.params.id),
  );
  r.post(
    '/api/inspections/hazards/:id/rectification',
    {
      config: { policy: p.ref('rectify') },
      schema: {
        tags,
        summary: '报告整改 / report the rectification (the responsible unit)',
        params: idParam,
        body: rectificationBody,
        response: { 200: hazardOut },
      },
    },
    (req, reply) =>
      command(req, reply, 200, async (c) => {
        await reportRectification(c as UserCtx, req.params.id, req.body);
        return hazardAnswer(c as UserCtx, req.params.id);
      }),
  );
  r.post(
    '/api/inspections/hazards/:id/verify',
    {
      config: { policy: p.ref('verify') },
      schema: {
        tags,
        summary: '验收整改（销号或退回）/ verify: close or send back',
        params: idParam,
        body: verifyBody,
        response: { 200: hazardOut },
      },
    },
    (req, reply) =>
      command(req, reply, 200, async (c) => {
        await verifyHazard(c as UserCtx, req.params.id, req.body);
        return hazardAnswer(c as UserCtx, req.params.id);
      }),
  );
  r.post(
    '/api/inspections/hazards/:id/photos',
    {
      config: { policy: p.ref('addPhoto') },
      schema: {
        tags,
        summary: '上传隐患照片（multipart）/ add a photo',
        params: idParam,
        response: { 201: hazardOut },
      },
    },
    async (req, reply) => {
      const file = await req.file().catch(() => undefined);
      if (!file) throw badRequest('photo_missing');
      const data = await file.toBuffer();
      // the type is what the bytes are; the client's Content-Type is not kept
      const { mime } = await decideServing(data);
      if (!IMAGES.has(mime)) throw unprocessable('photo_not_image', { mime });
      const filename = cleanFilename(file.filename);
      const out = await inTx(req.ctx, async (c) => {
        const ctx = c as UserCtx;
        await addPhoto(ctx, req.params.id, { filename, mime, data });
        return hazardAnswer(ctx, req.params.id);
      });
      return reply.code(201).send(out);
    },
  );
  r.get(
    '/api/inspections/photos/:id',
    {
      config: { policy: p.ref('read') },
      schema: { tags, summary: '隐患照片 / a hazard photo', params: idParam },
    },
    async (req, reply) => {
      const photo = await getPhoto(req.ctx, req.params.id);
      if (!photo) throw notFound();
      await visibleHazard(req.ctx, photo.hazard_id);
      return reply.headers(await servingHeaders(photo.data, photo.filename)).send(photo.data);
    },
  );

  r.get(
    '/api/inspections/stats',
    {
      config: { policy: p.ref('read') },
      schema: {
        tags,
        summary:
          '隐患统计：行业、等级、月份，按期整改率 / hazards by sector, severity, month; on-time rate per unit',
        querystring: statsQuery,
        response: { 200: statsOut },
      },
    },
    async (req) => {
      const now = req.ctx.clock.now();
      const year = new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();
      const from = req.query.from ?? `${year}-01-01`;
      const to = req.query.to ?? `${year}-12-31`;
      const fromAt = new Date(`${from}T00:00:00+08:00`);
      const toAt = new Date(new Date(`${to}T00:00:00+08:00`).getTime() + 24 * 3600_000);
      const s = await hazardStats(req.ctx, req.ctx.actor, {
        from: fromAt,
        to: toAt,
        campaignId: req.query.campaignId,
      });
      // the same period a year earlier, for 同比
      const yearBack = (d: Date) =>
        new Date(Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()));
      const prev = await hazardStats(req.ctx, req.ctx.actor, {
        from: yearBack(fromAt),
        to: yearBack(toAt),
        campaignId: req.query.campaignId,
      });
      const total = (x: typeof s) => x.bySector.reduce((n, r) => n + r.general + r.major, 0);
      const major = (x: typeof s) => x.bySector.reduce((n, r) => n + r.major, 0);
      return {
        from,
        to,
        yoy: { total: yoy(total(s), total(prev)), major: yoy(major(s), major(prev)) },
        bySector: s.bySector,
        byMonth: s.byMonth,
        byUnit: s.byUnit.map((u) => ({
          unitId: u.unit_id,
          unitName: u.unit_name,
          due: u.due,
          onTime: u.on_time,
          overdue: u.overdue,
          open: u.open,
          onTimeRate: u.due ? Math.round((u.on_time / u.due) * 1000) / 1000 : null,
        })),
      };
    },
  );
}
