import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inTx, type UserCtx } from '../../floor/context.js';
import { AppError, notFound, unprocessable } from '../../floor/errors.js';
import { requiredText, text } from '../../floor/floor.schema.js';
import { type App, idParam } from '../../floor/http.js';
import { issueSummary, toValidationIssue } from '../../floor/validation.js';
import { decideServing, servingHeaders } from '../files/serving.js';
import { command } from './command.js';
import { getCheckPhoto, listChecks, listReadings, listSources } from './hazard-sources.repo.js';
import {
  checkIn,
  postReading,
  presentCheck,
  presentReading,
  presentSource,
  registerSource,
  visibleSource,
} from './hazard-sources.service.js';
import { inspectionsPolicy as p } from './policy.js';

const tags = ['hazard-sources'];
const IMAGES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);
/** A check-in photo from a phone's camera: at most 10 MB. */
export const CHECK_PHOTO_MAX = 10 * 1024 * 1024;
const time = z.iso.datetime({ offset: true });

export const sourceBody = z.object({
  name: requiredText(200),
  unitId: z.uuid(),
  place: requiredText(300),
  lng: z.number().min(-180).max(180).nullish(),
  lat: z.number().min(-90).max(90).nullish(),
  /** 一级 … 四级 (GB 18218), or free text */
  level: text(40).nullish(),
  description: text(4000).nullish(),
  /** the check schedule: a check-in at least every N minutes (5 min … 7 days) */
  checkEveryMinutes: z.number().int().min(5).max(10080),
});

const checkFields = z.object({
  at: time.nullish(),
  note: text(2000).nullish(),
  abnormal: z.boolean().optional(),
});

const readingBody = z.object({
  metric: requiredText(64),
  value: z.number().finite(),
  unit: text(16).nullish(),
  at: time.nullish(),
  alarm: z.boolean().optional(),
});

const sourceOut = z.object({
  id: z.uuid(),
  name: z.string(),
  unitId: z.uuid(),
  unitName: z.string(),
  areaId: z.uuid(),
  areaName: z.string(),
  place: z.string(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  level: z.string().nullable(),
  description: z.string().nullable(),
  checkEveryMinutes: z.number(),
  lastCheckAt: z.string().nullable(),
  nextCheckBy: z.string(),
  watch: z.enum(['ok', 'missed']),
  missedCount: z.number(),
  createdAt: z.string(),
  can: z.object({ checkSource: z.boolean(), postReading: z.boolean() }),
});
const checkOut = z.object({
  id: z.uuid(),
  at: z.string(),
  note: z.string().nullable(),
  abnormal: z.boolean(),
  userName: z.string(),
  photoUrl: z.string().nullable(),
});
const readingOut = z.object({
  id: z.uuid(),
  metric: z.string(),
  value: z.number(),
  unit: z.string().nullable(),
  at: z.string(),
  alarm: z.boolean(),
});
const sourceDetailOut = sourceOut.extend({ checks: z.array(checkOut), readings: z.array(readingOut) });

async function detail(ctx: UserCtx, id: string) {
  const s = await visibleSource(ctx, id);
  // one after the other: inside a transaction they share one connection
  const checks = await listChecks(ctx, s.id);
  const readings = await listReadings(ctx, s.id);
  return {
    ...presentSource(s, ctx.actor, ctx.clock.now()),
    checks: checks.map(presentCheck),
    readings: readings.map(presentReading),
  };
}

type CheckInput = z.infer<typeof checkFields> & {
  photo: { filename: string; mime: string; data: Buffer } | null;
};

/** Fields that fail the schema: the contract's 400 `validation`, as for a JSON body. */
function invalid(req: FastifyRequest, error: z.ZodError): AppError {
  const issues = error.issues.map((i) =>
    toValidationIssue(req.baseCtx.lang, { ...(i as any), path: i.path as (string | number)[] }, ['body']),
  );
  return new AppError(400, 'validation', { issues }, { summary: issueSummary(issues) });
}

/**
 * A check-in is JSON `{at?, note?, abnormal?}` or, with a photo from the camera, multipart: the same fields and a
 * file `photo` (its type decided from the bytes: PNG, JPEG, WebP, GIF only; at most 10 MB).
 */
async function readCheck(req: FastifyRequest): Promise<CheckInput> {
  if (!req.isMultipart()) {
    const r = checkFields.safeParse(req.body ?? {});
    if (!r.success) throw invalid(req, r.error);
    return { ...r.data, photo: null };
  }
  const fields: Record<string, unknown> = {};
  let photo: CheckInput['photo'] = null;
  try {
    for await (const part of req.parts({ limits: { fileSize: CHECK_PHOTO_MAX, files: 1 } })) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        const { mime } = await decideServing(data);
        if (!IMAGES.has(mime)) throw unprocessable('photo_not_image', { mime });
        photo = { filename: (part.filename || 'photo').slice(0, 200), mime, data };
      } else if (['at', 'note', 'abnormal'].includes(part.fieldname)) {
        const v = String(part.value ?? '');
        fields[part.fieldname] = part.fieldname === 'abnormal' ? v === 'true' : v || null;
      }
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError(413, 'photo_too_large', { maxMb: CHECK_PHOTO_MAX / 1024 / 1024 });
    throw e;
  }
  const r = checkFields.safeParse(fields);
  if (!r.success) throw invalid(req, r.error);
  return { ...r.data, photo };
}

/**
 * 重大危险源 (major hazard sources): the register, check-ins with photos, monitoring readings. Part of the
 * inspections module; the other registers of /api/resources live in the resources module.
 */
export function registerHazardSourceRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/resources/hazard-sources',
    {
      config: { policy: p.ref('registerSource') },
      schema: {
        tags,
        summary: '登记重大危险源 / register a major hazard source',
        body: sourceBody,
        response: { 201: sourceDetailOut },
      },
    },
    (req, reply) =>
      command(req, reply, 201, async (ctx) => {
        const id = await registerSource(ctx, req.body);
        return detail(ctx, id);
      }),
  );
  r.get(
    '/api/resources/hazard-sources',
    {
      config: { policy: p.ref('read') },
      schema: {
        tags,
        summary: '重大危险源（漏检在前）/ major hazard sources, missed checks first',
        response: { 200: z.object({ items: z.array(sourceOut), nextCursor: z.null() }) },
      },
    },
    async (req) => {
      const now = req.ctx.clock.now();
      const items = (await listSources(req.ctx, req.ctx.actor)).map((s) =>
        presentSource(s, req.ctx.actor, now),
      );
      items.sort((a, b) => Number(b.watch === 'missed') - Number(a.watch === 'missed'));
      return { items, nextCursor: null };
    },
  );
  r.get(
    '/api/resources/hazard-sources/:id',
    {
      config: { policy: p.ref('read') },
      schema: {
        tags,
        summary: '危险源详情、巡查与监测记录 / a source with its checks and readings',
        params: idParam,
        response: { 200: sourceDetailOut },
      },
    },
    async (req) => detail(req.ctx, req.params.id),
  );
  r.post(
    '/api/resources/hazard-sources/:id/checks',
    {
      config: { policy: p.ref('checkSource') },
      schema: {
        tags,
        summary:
          '巡查打卡（JSON，或 multipart 附照片 photo）/ check in (JSON, or multipart with a photo `photo`)',
        params: idParam,
        response: { 201: sourceDetailOut },
      },
    },
    async (req, reply) => {
      const input = await readCheck(req);
      // JSON: an ordinary command (Idempotency-Key honoured); a photo upload is one transaction
      if (!input.photo)
        return command(req, reply, 201, async (ctx) => {
          await checkIn(ctx, req.params.id, input);
          return detail(ctx, req.params.id);
        });
      const out = await inTx(req.ctx, async (c) => {
        const ctx = c as UserCtx;
        await checkIn(ctx, req.params.id, input);
        return detail(ctx, req.params.id);
      });
      return reply.code(201).send(out);
    },
  );
  r.post(
    '/api/resources/hazard-sources/:id/readings',
    {
      config: { policy: p.ref('postReading') },
      schema: {
        tags,
        summary: '监测数据（监测系统以 Bearer 令牌调用）/ a monitoring reading (systems, bearer token)',
        params: idParam,
        body: readingBody,
        response: { 201: readingOut },
      },
    },
    (req, reply) =>
      command(req, reply, 201, async (ctx) => {
        const id = await postReading(ctx, req.params.id, req.body);
        const rows = await listReadings(ctx, req.params.id, 50);
        return presentReading(rows.find((x) => x.id === id)!);
      }),
  );
  r.get(
    '/api/resources/hazard-source-checks/:id/photo',
    {
      config: { policy: p.ref('read') },
      schema: { tags, summary: '巡查照片 / a check-in photo', params: idParam },
    },
    async (req, reply) => {
      const photo = await getCheckPhoto(req.ctx, req.params.id);
      if (!photo) throw notFound();
      await visibleSource(req.ctx, photo.source_id);
      return reply.headers(await servingHeaders(photo.data, photo.filename)).send(photo.data);
    },
  );
}
