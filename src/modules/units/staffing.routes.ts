import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../floor/http.js';
import { unitsPolicy } from './policy.js';
import { staffingReport } from './staffing.js';

export function registerStaffingRoutes(app: App): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/units/staffing',
    {
      config: { policy: unitsPolicy.ref('read') },
      schema: {
        tags: ['units'],
        summary:
          '信息员配备检查：乡镇至少 1 名专职、1–2 名兼职，县直部门至少 1 名 / information-officer staffing of the caller’s subtree',
        querystring: z.object({ onlyProblems: z.enum(['0', '1', 'true', 'false']).optional() }),
      },
    },
    async (req) =>
      staffingReport(req.ctx, {
        onlyProblems: req.query.onlyProblems === '1' || req.query.onlyProblems === 'true',
      }),
  );
}
