import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit } from '../../floor/audit.js';
import type { Actor, UserCtx } from '../../floor/context.js';
import { notFound, unprocessable } from '../../floor/errors.js';
import type { App } from '../../floor/http.js';
import { authorize, can } from '../../floor/policy.js';
import { inScope } from '../auth/policy.js';
import { command } from './command.js';
import { loadUnits } from './inspections.repo.js';
import './messages.js';
import { inspectionsPolicy as p } from './policy.js';
import {
  getSafetyOffice,
  listSafetyOffices,
  type SafetyOfficeRow,
  upsertSafetyOffice,
} from './safety-offices.repo.js';

const tags = ['inspections'];

const officeOut = z.object({
  areaId: z.uuid(),
  areaName: z.string(),
  level: z.string().nullable(),
  /** the unit named as 安委办; null: none named, the area's government office stands in (`defaultUnit…`) */
  unitId: z.uuid().nullable(),
  unitName: z.string().nullable(),
  defaultUnitId: z.uuid().nullable(),
  defaultUnitName: z.string().nullable(),
  can: z.object({ set: z.boolean() }),
});

const present = (o: SafetyOfficeRow, actor: Actor) => ({
  areaId: o.area_id,
  areaName: o.area_name,
  level: o.area_level,
  unitId: o.unit_id,
  unitName: o.unit_name,
  defaultUnitId: o.default_unit_id,
  defaultUnitName: o.default_unit_name,
  can: { set: can(actor, p, 'setSafetyOffice', o.area_path) },
});

/** 安委办: name the unit acting as an area's safety committee office (it issues major hazards' 督办 tasks). */
async function setSafetyOffice(ctx: UserCtx, areaId: string, unitId: string) {
  const area = await getSafetyOffice(ctx, areaId);
  // an area outside the administrator's tree: its existence does not leak
  if (!area || !inScope(ctx.actor, area.area_path)) throw notFound();
  authorize(ctx.actor, p, 'setSafetyOffice', area.area_path);
  const unit = (await loadUnits(ctx, [unitId])).get(unitId);
  if (!unit) throw unprocessable('unit_unknown', { field: 'unitId' });
  if (unit.kind === 'area' || !unit.path.includes(area.area_id))
    throw unprocessable('safety_office_outside_area', { name: unit.name });
  await upsertSafetyOffice(ctx, area.area_id, unit.id);
  await audit(ctx, {
    stream: `unit:${area.area_id}`,
    action: 'safety_office_set',
    entityType: 'unit',
    entityId: area.area_id,
    unitId: area.area_id,
    data: { unitId: unit.id, unitName: unit.name, previousUnitId: area.unit_id },
  });
}

export function registerSafetyOfficeRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/inspections/safety-offices',
    {
      config: { policy: p.ref('read') },
      schema: {
        tags,
        summary: '各地区安委办 / each area’s safety committee office',
        response: { 200: z.object({ items: z.array(officeOut), nextCursor: z.null() }) },
      },
    },
    async (req) => ({
      items: (await listSafetyOffices(req.ctx, req.ctx.actor)).map((o) => present(o, req.ctx.actor)),
      nextCursor: null,
    }),
  );
  r.put(
    '/api/inspections/safety-offices/:areaId',
    {
      config: { policy: p.ref('setSafetyOffice') },
      schema: {
        tags,
        summary: '设置地区安委办（记录在案）/ name an area’s safety committee office (logged)',
        params: z.object({ areaId: z.uuid() }),
        body: z.object({ unitId: z.uuid() }),
        response: { 200: officeOut },
      },
    },
    (req, reply) =>
      command(req, reply, 200, async (ctx) => {
        await setSafetyOffice(ctx, req.params.areaId, req.body.unitId);
        return present((await getSafetyOffice(ctx, req.params.areaId))!, ctx.actor);
      }),
  );
}
