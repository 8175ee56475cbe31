import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { audit } from '../../floor/audit.js';
import { runCommand } from '../../floor/command.js';
import type { Ctx } from '../../floor/context.js';
import { AppError, badRequest, notFound } from '../../floor/errors.js';
import type { App } from '../../floor/http.js';
import { idParam } from '../../floor/http.js';
import { registerMessages } from '../../floor/i18n.js';
import { cleanFilename, decideServing, servingHeaders } from '../files/serving.js';
import { getReport, getVisibleEvent, type ReportRow } from './emergency.repo.js';
import { attachDecision, canSeeReport } from './policy.js';

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

/** The report, if the caller may see it (its event visible; a report not yet sent only to its own unit). */
async function visibleReport(ctx: Ctx, id: string): Promise<ReportRow> {
  const rep = await getReport(ctx, id);
  if (!rep || !canSeeReport(ctx.actor!, rep) || !(await getVisibleEvent(ctx, rep.event_id))) throw notFound();
  return rep;
}

/**
 * Attachments (photos, documents) on reports, stored in the database with the report. Any type may be uploaded,
 * to a draft or returned report of the caller's unit; how a file is served back is decided from its bytes
 * (`files/serving.ts`), whatever type the client sent or the row recorded.
 */
export function registerAttachmentRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/reports/:id/attachments',
    { schema: { tags: ['reports'], summary: '上传附件（multipart）/ attach a file', params: idParam } },
    async (req, reply) => {
      const file = await req.file().catch(() => undefined);
      if (!file) throw badRequest('attachment_missing');
      const data = await file.toBuffer();
      const filename = cleanFilename(file.filename);
      // the type kept is the one the bytes are; the client's Content-Type is not kept
      const { mime } = await decideServing(data);
      // with an Idempotency-Key a repeat (a field report's photo sent again after a lost answer) is stored once;
      // the same key with another file is 422 idempotency_conflict
      const digest = createHash('sha256').update(data).digest('hex');
      return runCommand(
        req,
        reply,
        201,
        async (ctx) => {
          const rep = await getReport(ctx, req.params.id, true);
          if (!rep || !(await getVisibleEvent(ctx, rep.event_id))) throw notFound();
          const decision = attachDecision(ctx.actor!, rep);
          if (decision === 'not_found') throw notFound();
          if (decision === 'not_editable')
            throw new AppError(409, 'attachment_report_not_editable', { status: rep.status });
          const ins = (
            await ctx.tx.execute<any>(sql`insert into attachments (report_id, filename, mime, size, data, at, user_id)
            values (${rep.id}, ${filename}, ${mime}, ${data.length}, ${data}, ${ctx.clock.now().toISOString()}, ${ctx.actor!.id})
            returning id, report_id, filename, mime, size, at, user_id`)
          ).rows[0];
          await audit(ctx, {
            stream: `event:${rep.event_id}`,
            action: 'attachment_added',
            entityType: 'attachment',
            entityId: ins.id,
            data: { reportId: rep.id, filename: ins.filename, size: ins.size },
          });
          return present(ins);
        },
        { filename, sha256: digest },
      );
    },
  );
  r.get('/api/reports/:id/attachments', { schema: { tags: ['reports'], params: idParam } }, async (req) => {
    const rep = await visibleReport(req.ctx, req.params.id);
    const rows =
      await req.ctx.tx.execute<any>(sql`select id, report_id, filename, mime, size, at, user_id from attachments
      where report_id = ${rep.id} order by at`);
    return { items: rows.rows.map(present), nextCursor: null };
  });
  r.get('/api/attachments/:id', { schema: { tags: ['reports'], params: idParam } }, async (req, reply) => {
    const a = (
      await req.ctx.tx.execute<any>(
        sql`select report_id, filename, data from attachments where id = ${req.params.id}`,
      )
    ).rows[0];
    if (!a) throw notFound();
    await visibleReport(req.ctx, a.report_id);
    // decided from the bytes on every download, so rows stored before this rule are served safely too
    return reply.headers(await servingHeaders(a.data, a.filename)).send(a.data);
  });
}
