import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { runCommand } from '../../floor/command.js';
import { text as freeText, requiredText } from '../../floor/floor.schema.js';
import type { App } from '../../floor/http.js';
import { unitsPolicy } from './policy.js';
import {
  confirmResponsiblePersons,
  getResponsiblePersons,
  listUnitDefects,
  RESPONSIBLE_TIERS,
  setResponsiblePersons,
} from './responsible-persons.js';
import { UNIT_KINDS } from './units.service.js';

const idParam = z.object({ id: z.uuid() });

const person = z.object({
  tier: z.enum(RESPONSIBLE_TIERS),
  name: requiredText(60),
  post: freeText(60).nullish(),
  phone: freeText(40).nullish(),
  userId: z.uuid().nullish(),
});

export function registerResponsibleRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/units/:id/responsible-persons',
    {
      config: { policy: unitsPolicy.ref('read') },
      schema: {
        tags: ['units'],
        summary: '三级责任人 / the three-level responsible persons of a unit, with their confirmation',
        params: idParam,
      },
    },
    async (req) => getResponsiblePersons(req.ctx, req.params.id),
  );

  r.put(
    '/api/units/:id/responsible-persons',
    {
      config: { policy: unitsPolicy.ref('keepResponsible') },
      schema: {
        tags: ['units'],
        summary:
          '设置三级责任人（管理员或本单位主要负责人）；有变动即须重新确认 / replace the list (admin or the unit’s principal); a change clears the confirmation',
        params: idParam,
        body: z.object({ persons: z.array(person).max(3) }),
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 200, (ctx) => setResponsiblePersons(ctx, req.params.id, req.body.persons)),
  );

  r.post(
    '/api/units/:id/responsible-persons/confirm',
    {
      config: { policy: unitsPolicy.ref('keepResponsible') },
      schema: {
        tags: ['units'],
        summary: '确认三级责任人名单（有效 90 天） / confirm the list (holds 90 days)',
        params: idParam,
      },
    },
    async (req, reply) => runCommand(req, reply, 200, (ctx) => confirmResponsiblePersons(ctx, req.params.id)),
  );

  r.get(
    '/api/units/defects',
    {
      config: { policy: unitsPolicy.ref('read') },
      schema: {
        tags: ['units'],
        summary:
          '本辖区单位的缺陷：三级责任人未填齐、未确认或确认过期，没有值班电话 / units of the caller’s subtree with defects',
        querystring: z.object({
          kind: z.enum(UNIT_KINDS).optional(),
          limit: z.coerce.number().int().min(1).max(2000).default(200),
          cursor: z.string().regex(/^\d+$/).optional(),
        }),
      },
    },
    async (req) => listUnitDefects(req.ctx, req.query),
  );
}
