import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { runCommand } from '../../floor/command.js';
import { requiredText } from '../../floor/floor.schema.js';
import type { App } from '../../floor/http.js';
import { timelinessPolicy } from './policy.js';
import {
  declarePeriod,
  listPeriods,
  longHolidays,
  myZeroReports,
  periodDetail,
  sendZeroReport,
} from './zero-reports.js';

const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

/** 零报告 periods and daily reports. */
export function registerZeroReportRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['timeliness'];

  r.post(
    '/api/zero-report-periods',
    {
      config: { policy: timelinessPolicy.ref('declarePeriod') },
      schema: {
        tags,
        summary: '设定零报告期间（管理员）/ declare a zero-report period',
        body: z.object({
          name: requiredText(100),
          rootUnitId: z.uuid(),
          fromDate: ymd,
          toDate: ymd,
          dueTime: hhmm.default('09:00'),
          days: z.array(ymd).max(366).nullish(),
        }),
      },
    },
    async (req, reply) => runCommand(req, reply, 201, (ctx) => declarePeriod(ctx, req.body)),
  );

  r.get(
    '/api/zero-report-periods',
    {
      config: { policy: timelinessPolicy.ref('read') },
      schema: { tags, summary: '零报告期间 / zero-report periods the caller takes part in or oversees' },
    },
    async (req) => listPeriods(req.ctx),
  );

  r.get(
    '/api/zero-report-periods/holidays',
    {
      config: { policy: timelinessPolicy.ref('read') },
      schema: {
        tags,
        summary: '长假（建议的零报告期间）/ long holidays of a year',
        querystring: z.object({ year: z.coerce.number().int().min(2004).max(2100) }),
      },
    },
    async (req) => ({ items: longHolidays(req.query.year), nextCursor: null }),
  );

  r.get(
    '/api/zero-report-periods/:id',
    {
      config: { policy: timelinessPolicy.ref('read') },
      schema: {
        tags,
        summary: '零报告情况（按单位、按日）/ every unit’s status per day',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req) => periodDetail(req.ctx, req.params.id),
  );

  r.post(
    '/api/zero-reports',
    {
      config: { policy: timelinessPolicy.ref('sendZeroReport') },
      schema: {
        tags,
        summary: '报送零报告（无事也报）/ send the unit’s daily zero report',
        body: z.object({
          periodId: z.uuid(),
          day: ymd,
          content: requiredText(2000).default('今日无突发事件，特此报告。'),
        }),
      },
    },
    async (req, reply) => runCommand(req, reply, 201, (ctx) => sendZeroReport(ctx, req.body)),
  );

  r.get(
    '/api/zero-reports/mine',
    {
      config: { policy: timelinessPolicy.ref('read') },
      schema: { tags, summary: '本单位零报告 / the caller’s unit: zero reports owed and sent' },
    },
    async (req) => myZeroReports(req.ctx),
  );
}
