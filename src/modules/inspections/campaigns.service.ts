import { audit } from '../../floor/audit.js';
import type { UserCtx } from '../../floor/context.js';
import { notFound, unprocessable } from '../../floor/errors.js';
import { authorize } from '../../floor/policy.js';
import { collectionFor, issueCollection } from '../tasks/index.js';
import {
  type CampaignRow,
  campaignBoard,
  getCampaign,
  insertCampaign,
  loadUnits,
} from './inspections.repo.js';
import './messages.js';
import { inspectionsPolicy } from './policy.js';
import { planCollectionTitle, planDue } from './rules.js';

export interface CampaignInput {
  title: string;
  from: string;
  to: string;
  sectors: Array<{ sector: string; leadUnitId: string }>;
  unitIds: string[];
  planDueAt?: string | null;
}

/**
 * 检查活动: issued by an office for its area; every lead department and participating unit lies in that area.
 * In the same transaction the participating units are asked for their action plan (行动方案) and leading body
 * (领导机构): one collection task (督查督办, source `campaign`) issued by the area, due at `planDueAt` (default:
 * the end of the Beijing day 7 days after creation — rules.ts `planDue`). A unit files by reporting its task done.
 */
export async function createCampaign(ctx: UserCtx, input: CampaignInput): Promise<string> {
  authorize(ctx.actor, inspectionsPolicy, 'createCampaign');
  if (input.to < input.from) throw unprocessable('campaign_period', { field: 'to' });
  const planDueAt = planDue(ctx.clock.now(), input.planDueAt);
  if (planDueAt.getTime() <= ctx.clock.now().getTime())
    throw unprocessable('plan_due_past', { field: 'planDueAt' });
  const seen = new Set<string>();
  for (const s of input.sectors) {
    if (seen.has(s.sector)) throw unprocessable('sector_duplicate', { sector: s.sector });
    seen.add(s.sector);
  }
  const areaId = ctx.actor.acting.id;
  const wanted = [...input.sectors.map((s) => s.leadUnitId), ...input.unitIds];
  const units = await loadUnits(ctx, wanted);
  for (const id of wanted) {
    const u = units.get(id);
    if (!u) throw unprocessable('unit_unknown', { unitId: id });
    if (!u.path.includes(areaId)) throw unprocessable('unit_outside_area', { name: u.name });
  }
  const unitIds = [...new Set(input.unitIds)];
  const id = await insertCampaign(ctx, {
    ...input,
    unitIds,
    areaId,
    issuerUnitId: ctx.actor.unitId,
  });
  await audit(ctx, {
    stream: `campaign:${id}`,
    action: 'campaign_created',
    entityType: 'inspection_campaign',
    entityId: id,
    data: {
      title: input.title,
      from: input.from,
      to: input.to,
      sectors: input.sectors,
      unitIds: input.unitIds,
      planDueAt: planDueAt.toISOString(),
    },
  });
  // 行动方案和领导机构报送: one collection task, one task per participating unit, in this transaction
  if (unitIds.length)
    await issueCollection(ctx, {
      title: planCollectionTitle(input.title),
      unitIds,
      dueAt: planDueAt,
      source: 'campaign',
      sourceId: id,
      issuerUnitId: areaId,
    });
  return id;
}

export function presentCampaign(c: CampaignRow) {
  return {
    id: c.id,
    title: c.title,
    from: c.from_date,
    to: c.to_date,
    areaId: c.area_id,
    areaName: c.area_name,
    issuerUnitId: c.issuer_unit_id,
    createdAt: c.created_at.toISOString(),
    sectors: c.sectors,
    units: c.units,
  };
}

/** A campaign with its board: per sector and per participating unit — places, hazards, on time, closed. */
export async function campaignDetail(ctx: UserCtx, id: string) {
  const c = await getCampaign(ctx, id, ctx.actor);
  if (!c) throw notFound('campaign_not_found');
  const board = await campaignBoard(ctx, c.id);
  const line = (r: (typeof board.bySector)[number] | undefined) => ({
    placesInspected: r?.places ?? 0,
    visits: r?.visits ?? 0,
    hazardsFound: r?.found ?? 0,
    rectifiedOnTime: r?.on_time ?? 0,
    closed: r?.closed ?? 0,
  });
  const sectorRows = new Map(board.bySector.map((r) => [r.key, r]));
  const unitRows = new Map(board.byUnit.map((r) => [r.key, r]));
  // every participating unit has a line (a unit that did nothing shows zeros); the issuing area's own work too
  const unitLines = [{ unitId: c.area_id, unitName: c.area_name }, ...c.units];
  const extra = [...unitRows.keys()].filter((k) => !unitLines.some((u) => u.unitId === k));
  const names = await loadUnits(ctx, extra);
  const plans = await collectionFor(ctx, 'campaign', c.id);
  return {
    ...presentCampaign(c),
    planCollectionId: plans?.id ?? null,
    board: {
      plans: plans && {
        collectionId: plans.id,
        title: plans.title,
        dueAt: plans.dueAt,
        canViewCollection: plans.canView,
        counts: plans.counts,
        units: plans.units.map((u) => ({
          unitId: u.unitId,
          unitName: u.unitName,
          taskId: u.taskId,
          status: u.status,
          filed: u.filed,
          overdue: u.overdue,
          completedAt: u.completedAt,
        })),
      },
      bySector: c.sectors.map((s) => ({ ...s, ...line(sectorRows.get(s.sector)) })),
      byUnit: [...unitLines, ...extra.map((k) => ({ unitId: k, unitName: names.get(k)?.name ?? '' }))]
        .filter((u, i, all) => all.findIndex((x) => x.unitId === u.unitId) === i)
        .map((u) => ({ ...u, ...line(unitRows.get(u.unitId)) })),
    },
  };
}
