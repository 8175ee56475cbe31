import type { Ctx } from '../../floor/context.js';
import { issueTask } from '../tasks/index.js';
import { type HazardRow, safetyIssuerOf } from './inspections.repo.js';

/** What a major hazard's supervised task (督办) is: owned by the responsible unit, due at its deadline. */
export function majorHazardTaskInput(h: HazardRow, issuerUnitId: string) {
  return {
    title: `【重大隐患督办】${h.place}：${h.description.slice(0, 60)}`,
    source: 'hazard' as const,
    sourceId: h.id,
    ownerUnitId: h.responsible_unit_id,
    dueAt: h.rectify_by.toISOString(),
    issuerUnitId,
  };
}

/**
 * A `major` hazard becomes a supervised task issued by the area's safety committee office (安委办, an area setting:
 * `area_safety_offices`; absent: the area itself, whose offices issue — `safetyIssuerOf`). Called once, in the
 * transaction that records the hazard.
 */
export async function superviseMajorHazard(ctx: Ctx, hazard: HazardRow): Promise<{ id: string } | null> {
  if (hazard.severity !== 'major') return null;
  const issuerUnitId = await safetyIssuerOf(ctx, hazard.area_id);
  return issueTask(ctx, majorHazardTaskInput(hazard, issuerUnitId));
}
