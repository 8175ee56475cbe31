import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../floor/http.js';
import { idParam } from '../../floor/http.js';
import { registerMessages } from '../../floor/i18n.js';
import { upwardDraft, upwardPolicy } from './upward.js';

registerMessages(
  { 'error.no_source_reports': '本级尚未收到该事件的报告，无可转报的内容。' },
  {
    'error.no_source_reports':
      'No report of this event has reached your level yet: nothing to report upward.',
  },
);

const idList = z
  .string()
  .max(50 * 37)
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.uuid()).min(1).max(50));

const conflictValue = z.object({
  reportId: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  value: z.unknown(),
});

const draftResponse = z.object({
  eventId: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  kind: z.enum(['initial', 'followup']),
  elements: z.record(z.string(), z.unknown()),
  pendingElements: z.record(z.string(), z.string()),
  sourceReportIds: z.array(z.string()),
  conflicts: z.record(z.string(), z.array(conflictValue)),
  takenFrom: z.record(z.string(), z.string()),
  signer: z.object({ userId: z.string(), name: z.string() }),
  contact: z.string(),
  fastTrack: z.boolean(),
  level: z.string().nullable(),
  draftsInProgress: z.array(z.string()),
  sources: z.array(
    z.object({
      reportId: z.string(),
      unitId: z.string(),
      unitName: z.string(),
      kind: z.string(),
      at: z.date(),
    }),
  ),
});

export function registerUpwardRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/events/:id/reports/upward-draft',
    {
      config: { policy: upwardPolicy.ref('draft') },
      schema: {
        tags: ['reports'],
        summary: '转报上级：由本级收到的报告生成本级报告草稿 / draft the level’s report from what arrived',
        params: idParam,
        querystring: z.object({ sourceReportIds: idList.optional() }),
        response: { 200: draftResponse },
      },
    },
    async (req) => upwardDraft(req.ctx, req.params.id, req.query.sourceReportIds ?? null),
  );
}
