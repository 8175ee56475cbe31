import type { Ctx } from '../../floor/context.js';
import type { HazardRow } from './inspections.repo.js';

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
 * `area_safety_offices`; absent: the area's government office — `safetyOfficeOf`). Called once, in the
 * transaction that records the hazard.
 */
export async function superviseMajorHazard(_ctx: Ctx, hazard: HazardRow): Promise<void> {
  if (hazard.severity !== 'major') return;
  // wired to tasks.issueTask at merge:
  //   const issuerUnitId = await safetyOfficeOf(ctx, hazard.area_id);
  //   if (issuerUnitId) await issueTask(ctx, majorHazardTaskInput(hazard, issuerUnitId));
  return;
}
