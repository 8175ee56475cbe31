import type { FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { runCommand } from '../../floor/command.js';
import { text as freeText } from '../../floor/floor.schema.js';
import type { App } from '../../floor/http.js';
import { registerMessages } from '../../floor/i18n.js';
import { beijingParts } from '../../floor/working-hours.js';
import { isGlobalAdmin } from '../auth/policy.js';
import { timelinessStats } from './accountability.routes.js';
import { deductionRules, listDeductions, rankings } from './deductions.js';
import { noticeDocx } from './notice-docx.js';
import { createNotice, getNotice, listNotices, presentNotice } from './notices.js';
import { accountabilityPolicy } from './policy.js';
import { defaultPeriod, eventStats, eventStatsWorkbook, timelinessWorkbook } from './stats.js';

registerMessages(
  { 'error.notice_bad_period': '通报期间不正确：开始时间须早于结束时间。' },
  { 'error.notice_bad_period': 'The period is not valid: it must start before it ends.' },
);

const iso = z.iso.datetime({ offset: true });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function sendFile(reply: FastifyReply, type: string, buffer: Buffer, asciiName: string, name: string) {
  return reply
    .header('content-type', type)
    .header(
      'content-disposition',
      `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    )
    .send(buffer);
}

const groupBy = z.enum(['category', 'subcategory', 'level', 'unit', 'month']);

/** 考核: notices (通报) with their deductions, rankings, event statistics and the Excel exports. */
export function registerAssessmentRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['accountability'];

  r.post(
    '/api/notices',
    {
      config: { policy: accountabilityPolicy.ref('issueNotice') },
      schema: {
        tags,
        summary: '生成通报并扣分（信息科、领导）/ issue a notice for a period and record its deductions',
        body: z.object({ from: iso, to: iso, title: freeText(200).nullish() }),
      },
    },
    async (req, reply) => runCommand(req, reply, 201, (ctx) => createNotice(ctx, req.body)),
  );

  r.get(
    '/api/notices',
    {
      config: { policy: accountabilityPolicy.ref('readNotices') },
      schema: {
        tags,
        summary: '通报列表 / notices',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
      },
    },
    async (req) => listNotices(req.ctx, req.query),
  );

  r.get(
    '/api/notices/:id.docx',
    {
      config: { policy: accountabilityPolicy.ref('readNotices') },
      schema: {
        tags,
        summary: '通报 Word 文件（GB/T 9704 版式）/ the notice as .docx',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req, reply) => {
      const n = presentNotice(await getNotice(req.ctx, req.params.id), true);
      const buf = await noticeDocx(n);
      return sendFile(reply, DOCX, buf, `notice-${n.year}-${n.seq}.docx`, `${n.number}${n.title}.docx`);
    },
  );

  r.get(
    '/api/notices/:id',
    {
      config: { policy: accountabilityPolicy.ref('readNotices') },
      schema: { tags, summary: '通报详情 / a notice', params: z.object({ id: z.uuid() }) },
    },
    async (req) => presentNotice(await getNotice(req.ctx, req.params.id), true),
  );

  r.get(
    '/api/deductions',
    {
      config: { policy: accountabilityPolicy.ref('readStats') },
      schema: {
        tags,
        summary: '扣分记录 / deductions of the caller’s subtree',
        querystring: z.object({
          year: z.coerce.number().int().min(2000).max(2100).optional(),
          unitId: z.uuid().optional(),
          noticeId: z.uuid().optional(),
        }),
      },
    },
    async (req) => {
      const a = req.ctx.actor!;
      const root = isGlobalAdmin(a) ? a.acting.path[0] : a.acting.id;
      return { items: await listDeductions(req.ctx, root, req.query), nextCursor: null };
    },
  );

  r.get(
    '/api/deduction-rules',
    {
      config: { policy: accountabilityPolicy.ref('readStats') },
      schema: { tags, summary: '扣分标准（现行版本）/ the deduction table in force' },
    },
    async (req) => deductionRules(req.ctx),
  );

  r.get(
    '/api/rankings',
    {
      config: { policy: accountabilityPolicy.ref('readStats') },
      schema: {
        tags,
        summary: '目标考核排名 / units ranked by annual target score minus deductions',
        querystring: z.object({
          from: iso.optional(),
          to: iso.optional(),
          year: z.coerce.number().int().min(2000).max(2100).optional(),
        }),
      },
    },
    async (req) => {
      const a = req.ctx.actor!;
      const root = isGlobalAdmin(a) ? a.acting.path[0] : a.acting.id;
      const y = req.query.year ?? Number(beijingParts(req.ctx.clock.now()).date.slice(0, 4));
      const from = req.query.from ? new Date(req.query.from) : new Date(`${y}-01-01T00:00:00+08:00`);
      const to = req.query.to ? new Date(req.query.to) : new Date(`${y + 1}-01-01T00:00:00+08:00`);
      return { from, to, ...(await rankings(req.ctx, root, from, to)) };
    },
  );

  const statsQuery = z.object({ from: iso.optional(), to: iso.optional(), groupBy: groupBy.optional() });
  r.get(
    '/api/stats/events',
    {
      config: { policy: accountabilityPolicy.ref('readStats') },
      schema: {
        tags,
        summary: '事件统计（按类别、级别、单位、月份，含同比）/ events grouped, with year-on-year change',
        querystring: statsQuery,
      },
    },
    async (req) => eventStats(req.ctx, req.query),
  );

  r.get(
    '/api/stats/events.xlsx',
    {
      config: { policy: accountabilityPolicy.ref('readStats') },
      schema: { tags, summary: '导出事件统计（Excel）/ event statistics as .xlsx', querystring: statsQuery },
    },
    async (req, reply) =>
      sendFile(
        reply,
        XLSX,
        await eventStatsWorkbook(req.ctx, req.query),
        'event-stats.xlsx',
        '事件统计.xlsx',
      ),
  );

  r.get(
    '/api/stats/timeliness.xlsx',
    {
      config: { policy: accountabilityPolicy.ref('readStats') },
      schema: {
        tags,
        summary: '导出时效统计（Excel）/ timeliness per unit as .xlsx',
        querystring: z.object({ from: iso.optional(), to: iso.optional(), unitId: z.uuid().optional() }),
      },
    },
    async (req, reply) => {
      const p = defaultPeriod(req.ctx, req.query.from, req.query.to);
      const s = await timelinessStats(req.ctx, {
        from: req.query.from ?? p.from.toISOString(),
        to: req.query.to ?? p.to.toISOString(),
        unitId: req.query.unitId,
      });
      return sendFile(reply, XLSX, await timelinessWorkbook(s.units), 'timeliness.xlsx', '报送时效统计.xlsx');
    },
  );
}
