import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../floor/http.js';
import { listObligations, obligationsPolicy } from './obligations.js';

const item = z.object({
  kind: z.enum(['deadline', 'followup', 'countersign', 'approval', 'instruction', 'unsigned', 'request']),
  eventId: z.string(),
  eventTitle: z.string(),
  level: z.string().nullable(),
  dueAt: z.date().nullable(),
  overdue: z.boolean(),
  secondsLeft: z.number().nullable(),
  prominent: z.boolean(),
  refId: z.string(),
  channel: z.string().optional(),
  toUnitId: z.string().optional(),
  step: z.string().optional(),
  action: z.object({
    verb: z.string(),
    href: z.string(),
    method: z.literal('POST').optional(),
    path: z.string().optional(),
  }),
});

export function registerObligationRoutes(app: App): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/obligations',
    {
      config: { policy: obligationsPolicy.ref('list') },
      schema: {
        tags: ['reports'],
        summary: '本单位待办时限（下一步）/ what your unit still owes, the next step first',
        response: {
          200: z.object({
            unitId: z.string(),
            now: z.date(),
            next: item.nullable(),
            items: z.array(item),
            nextCursor: z.null(),
          }),
        },
      },
    },
    async (req) => listObligations(req.ctx),
  );
}
