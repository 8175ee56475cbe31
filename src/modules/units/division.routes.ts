import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { runCommand } from '../../floor/command.js';
import { notFound } from '../../floor/errors.js';
import type { App } from '../../floor/http.js';
import { childDivisions, type Division, divisionAncestors, getDivision } from './division/table.js';
import { createAreasFromDivision, startAreasFromDivisionJob } from './division.js';
import { unitsPolicy } from './policy.js';

const code = z.string().regex(/^(\d{6}|\d{9})$/);

const present = (d: Division) => ({
  code: d.code,
  name: d.name,
  level: d.level,
  parentCode: d.parentCode,
  hasChildren: childDivisions(d.code).length > 0,
});

export function registerDivisionRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/divisions',
    {
      config: { policy: unitsPolicy.ref('read') },
      schema: {
        tags: ['units'],
        summary: '行政区划（选择器用：某区划的下级；不带 parent 为省级） / divisions: children of a code',
        querystring: z.object({ parent: code.optional() }),
      },
    },
    async (req) => {
      const parent = req.query.parent ?? null;
      if (parent && !getDivision(parent)) throw notFound('division_not_found', { code: parent });
      return { items: childDivisions(parent).map(present), nextCursor: null };
    },
  );

  r.get(
    '/api/divisions/:code',
    {
      config: { policy: unitsPolicy.ref('read') },
      schema: {
        tags: ['units'],
        summary: '一个行政区划及其上级链 / one division with its ancestors',
        params: z.object({ code }),
      },
    },
    async (req) => {
      const d = getDivision(req.params.code);
      if (!d) throw notFound('division_not_found', { code: req.params.code });
      return { ...present(d), ancestors: divisionAncestors(d.code).slice(0, -1).map(present) };
    },
  );

  r.post(
    '/api/units/from-division',
    {
      config: { policy: unitsPolicy.ref('fromDivision') },
      schema: {
        tags: ['units'],
        summary:
          '按行政区划批量创建区域单位（管理员） / create the areas of a province, city or county from the division table (admin)',
        description:
          'background: true → 202 {jobId}，在后台导入，进度见 GET /api/jobs/{jobId} / run as a background job with progress',
        body: z.object({
          code: z.string().regex(/^\d{6}$/),
          parentId: z.uuid().nullish(),
          includeTownships: z.boolean().optional(),
          withOffices: z.boolean().optional(),
          background: z.boolean().optional(),
        }),
      },
    },
    async (req, reply) => {
      const { background, ...input } = req.body;
      // a province with townships is thousands of units: as a background job the answer is immediate
      if (background) return reply.code(202).send(await startAreasFromDivisionJob(req.ctx, input));
      return runCommand(req, reply, 201, (ctx) => createAreasFromDivision(ctx, input));
    },
  );
}
