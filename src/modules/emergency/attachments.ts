import { sql } from 'drizzle-orm';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App } from '../../server/app.js';
import { audit } from '../accountability/audit.js';
import { inTx } from '../shared/context.js';
import { badRequest, notFound } from '../shared/errors.js';
import { registerMessages } from '../shared/i18n.js';
import { idParam } from '../units/units.routes.js';
import { getReport, getVisibleEvent } from './emergency.repo.js';

registerMessages(
  { 'error.attachment_missing': '请选择要上传的文件（照片或文档）。' },
  { 'error.attachment_missing': 'Choose a file (photo or document) to upload.' },
);

const present = (a: any) => ({
  id: a.id,
  reportId: a.report_id,
  filename: a.filename,
  mime: a.mime,
  size: a.size,
  at: a.at,
  userId: a.user_id,
});

/** Attachments (photos, documents) on reports; stored in the database with the report. */
export function registerAttachmentRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/reports/:id/attachments',
    { schema: { tags: ['reports'], summary: '上传附件（multipart）/ attach a file', params: idParam } },
    async (req, reply) => {
      const file = await req.file().catch(() => undefined);
      if (!file) throw badRequest('attachment_missing');
      const data = await file.toBuffer();
      const row = await inTx(req.ctx, async (ctx) => {
        const rep = await getReport(ctx, req.params.id);
        if (!rep || !(await getVisibleEvent(ctx, rep.event_id))) throw notFound();
        if (rep.unit_id !== ctx.actor!.acting.id) throw notFound();
        const ins = (
          await ctx.tx.execute<any>(sql`insert into attachments (report_id, filename, mime, size, data, at, user_id)
            values (${rep.id}, ${file.filename}, ${file.mimetype}, ${data.length}, ${data}, ${ctx.clock.now().toISOString()}, ${ctx.actor!.id})
            returning id, report_id, filename, mime, size, at, user_id`)
        ).rows[0];
        await audit(ctx, {
          stream: `event:${rep.event_id}`,
          action: 'attachment_added',
          entityType: 'attachment',
          entityId: ins.id,
          data: { reportId: rep.id, filename: ins.filename, size: ins.size },
        });
        return ins;
      });
      return reply.code(201).send(present(row));
    },
  );
  r.get('/api/reports/:id/attachments', { schema: { tags: ['reports'], params: idParam } }, async (req) => {
    const rep = await getReport(req.ctx, req.params.id);
    if (!rep || !(await getVisibleEvent(req.ctx, rep.event_id))) throw notFound();
    const rows =
      await req.ctx.tx.execute<any>(sql`select id, report_id, filename, mime, size, at, user_id from attachments
      where report_id = ${rep.id} order by at`);
    return { items: rows.rows.map(present), nextCursor: null };
  });
  r.get('/api/attachments/:id', { schema: { tags: ['reports'], params: idParam } }, async (req, reply) => {
    const a = (await req.ctx.tx.execute<any>(sql`select * from attachments where id = ${req.params.id}`))
      .rows[0];
    if (!a) throw notFound();
    const rep = await getReport(req.ctx, a.report_id);
    if (!rep || !(await getVisibleEvent(req.ctx, rep.event_id))) throw notFound();
    return reply
      .header('content-type', a.mime)
      .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
      .send(a.data);
  });
}
