import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inTx, type UserCtx } from '../../floor/context.js';
import { AppError, badRequest, notFound, unprocessable } from '../../floor/errors.js';
import { requiredText, text } from '../../floor/floor.schema.js';
import { type App, idParam } from '../../floor/http.js';
import { cleanFilename, decideServing, servingHeaders } from '../files/serving.js';
import { command } from './command.js';
import { receiptOut, tipoffBody, tipoffOut, tipoffStatusOut } from './inspections.schema.js';
import { inspectionsPolicy as p } from './policy.js';
import { TIPOFF_LOOKUP_LIMIT, TIPOFF_PHOTO_LIMIT, TIPOFF_SUBMIT_LIMIT } from './rules.js';
import { getTipoff, getTipoffPhoto, listTipoffs, tipoffAreas } from './tipoffs.repo.js';
import {
  addTipoffPhoto,
  assignTipoff,
  closeTipoff,
  investigateTipoff,
  lookupTipoff,
  presentTipoff,
  rateLimit,
  submitTipoff,
} from './tipoffs.service.js';

const tags = ['tipoffs'];
/** A tip-off is a few paragraphs: the public form takes at most 32 KB (413 beyond). */
export const TIPOFF_BODY_LIMIT = 32 * 1024;
/** A photo from a phone's camera: at most 5 MB (413 beyond); PNG, JPEG, WebP or GIF by its bytes. */
export const TIPOFF_PHOTO_MAX = 5 * 1024 * 1024;
const IMAGES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);

async function tipoffAnswer(ctx: UserCtx, id: string) {
  const t = await getTipoff(ctx, ctx.actor, id);
  if (!t) throw notFound();
  return presentTipoff(t, ctx.actor);
}

/**
 * 举报. The public side needs no sign-in (PUBLIC_ROUTES): rate-limited per client address (`req.ip`, which honours
 * X-Forwarded-For only from the proxies JIBAO_TRUST_PROXY names), counted in PostgreSQL so every instance shares the
 * count; the body is size-limited; the text is stored and answered as JSON text, never rendered as HTML. A plain
 * HTML form (urlencoded) is accepted as well as JSON. The signed-in side lists, assigns, investigates and closes.
 */
export function registerTipoffRoutes(app: App): void {
  app.register(async (pub: FastifyInstance) => {
    // a plain browser form posts urlencoded fields; only these public routes accept them
    pub.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: TIPOFF_BODY_LIMIT },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    const r = pub.withTypeProvider<ZodTypeProvider>();
    r.post(
      '/api/public/tipoffs',
      {
        config: { public: true },
        bodyLimit: TIPOFF_BODY_LIMIT,
        // the rate limit counts before the body is validated: a flood of bad bodies is limited too
        onRequest: async (req) => {
          await rateLimit(req.baseCtx.tx, TIPOFF_SUBMIT_LIMIT, req.ip, req.baseCtx.clock.now());
        },
        schema: {
          tags,
          summary: '公众举报（无需登录）/ public tip-off (no sign-in)',
          security: [],
          body: tipoffBody,
          response: { 201: receiptOut },
        },
      },
      async (req, reply) => {
        const out = await inTx(req.baseCtx, (ctx) => submitTipoff(ctx, req.body));
        return reply.code(201).send(out);
      },
    );
    r.get(
      '/api/public/tipoffs/:receipt',
      {
        config: { public: true },
        onRequest: async (req) => {
          await rateLimit(req.baseCtx.tx, TIPOFF_LOOKUP_LIMIT, req.ip, req.baseCtx.clock.now());
        },
        schema: {
          tags,
          summary: '举报办理进度（凭回执）/ status of a tip-off by its receipt',
          security: [],
          params: z.object({ receipt: z.string().max(40) }),
          response: { 200: tipoffStatusOut },
        },
      },
      async (req) => lookupTipoff(req.baseCtx.tx, req.params.receipt),
    );
    r.post(
      '/api/public/tipoffs/:receipt/photos',
      {
        config: { public: true },
        // counted before the upload is read: a flood of photos is limited like the form
        onRequest: async (req) => {
          await rateLimit(req.baseCtx.tx, TIPOFF_PHOTO_LIMIT, req.ip, req.baseCtx.clock.now());
        },
        schema: {
          tags,
          summary:
            '举报照片（multipart file，凭回执，每条最多 5 张、每张 5 MB）/ a photo for a tip-off, by its receipt',
          security: [],
          params: z.object({ receipt: z.string().max(40) }),
          response: { 201: z.object({ photos: z.number() }) },
        },
      },
      async (req, reply) => {
        let data: Buffer;
        let filename: string;
        try {
          const file = await req.file({ limits: { fileSize: TIPOFF_PHOTO_MAX, files: 1 } });
          if (!file) throw badRequest('photo_missing');
          data = await file.toBuffer();
          filename = cleanFilename(file.filename);
        } catch (e) {
          if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
            throw new AppError(413, 'photo_too_large', { maxMb: TIPOFF_PHOTO_MAX / 1024 / 1024 });
          if ((e as { code?: string }).code === 'FST_INVALID_MULTIPART_CONTENT_TYPE')
            throw badRequest('photo_missing');
          throw e;
        }
        // the type is what the bytes are: photos only, whatever the client called them
        const { mime } = await decideServing(data);
        if (!IMAGES.has(mime)) throw unprocessable('photo_not_image', { mime });
        const out = await inTx(req.baseCtx, (ctx) =>
          addTipoffPhoto(ctx, req.params.receipt, { filename, mime, data }),
        );
        return reply.code(201).send(out);
      },
    );
    r.get(
      '/api/public/tipoff-areas',
      {
        config: { public: true },
        schema: {
          tags,
          summary: '可选地区（行政区划）/ areas a tip-off may be sent to',
          security: [],
          response: {
            200: z.object({
              items: z.array(z.object({ code: z.string(), name: z.string(), level: z.string().nullable() })),
            }),
          },
        },
      },
      async (req) => ({ items: await tipoffAreas(req.baseCtx.tx) }),
    );
  });

  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/inspections/tipoffs',
    {
      config: { policy: p.ref('listTipoffs') },
      schema: {
        tags,
        summary: '举报受理 / tip-offs of my area',
        querystring: z.object({ status: z.enum(['received', 'investigating', 'closed']).optional() }),
        response: { 200: z.object({ items: z.array(tipoffOut), nextCursor: z.null() }) },
      },
    },
    async (req) => ({
      items: (await listTipoffs(req.ctx, req.ctx.actor, req.query.status)).map((t) =>
        presentTipoff(t, req.ctx.actor),
      ),
      nextCursor: null,
    }),
  );
  r.get(
    '/api/inspections/tipoffs/:id',
    {
      config: { policy: p.ref('listTipoffs') },
      schema: { tags, summary: '举报详情 / a tip-off', params: idParam, response: { 200: tipoffOut } },
    },
    async (req) => tipoffAnswer(req.ctx, req.params.id),
  );
  r.get(
    '/api/inspections/tipoff-photos/:id',
    {
      config: { policy: p.ref('listTipoffs') },
      schema: { tags, summary: '举报照片 / a tip-off photo', params: idParam },
    },
    async (req, reply) => {
      const photo = await getTipoffPhoto(req.ctx, req.params.id);
      if (!photo) throw notFound();
      // seen by whoever sees the tip-off (the handling unit and the areas above)
      await tipoffAnswer(req.ctx, photo.tipoff_id);
      return reply.headers(await servingHeaders(photo.data, photo.filename)).send(photo.data);
    },
  );
  r.post(
    '/api/inspections/tipoffs/:id/assign',
    {
      config: { policy: p.ref('assignTipoff') },
      schema: {
        tags,
        summary: '交办举报 / assign a tip-off to a unit',
        params: idParam,
        body: z.object({ unitId: z.uuid(), note: text(2000).nullish() }),
        response: { 200: tipoffOut },
      },
    },
    (req, reply) =>
      command(req, reply, 200, async (c) => {
        await assignTipoff(c as UserCtx, req.params.id, req.body);
        return tipoffAnswer(c as UserCtx, req.params.id);
      }),
  );
  r.post(
    '/api/inspections/tipoffs/:id/investigate',
    {
      config: { policy: p.ref('handleTipoff') },
      schema: {
        tags,
        summary: '开始核查 / start investigating',
        params: idParam,
        body: z.object({ note: text(2000).nullish() }).optional(),
        response: { 200: tipoffOut },
      },
    },
    (req, reply) =>
      command(req, reply, 200, async (c) => {
        await investigateTipoff(c as UserCtx, req.params.id, req.body ?? {});
        return tipoffAnswer(c as UserCtx, req.params.id);
      }),
  );
  r.post(
    '/api/inspections/tipoffs/:id/close',
    {
      config: { policy: p.ref('handleTipoff') },
      schema: {
        tags,
        summary: '办结举报（含举报奖励）/ close with the result and reward',
        params: idParam,
        body: z.object({ result: requiredText(4000), rewardNote: text(2000).nullish() }),
        response: { 200: tipoffOut },
      },
    },
    (req, reply) =>
      command(req, reply, 200, async (c) => {
        await closeTipoff(c as UserCtx, req.params.id, req.body);
        return tipoffAnswer(c as UserCtx, req.params.id);
      }),
  );
}
