import type { Ctx } from '../../floor/context.js';
import { completeLinkedTask, issueTask, linkedTasks, linkTaskSource } from '../tasks/index.js';
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

/** Verified closed (销号): the hazard's open 督办 task is done with it — supervision lasts until verification. */
export async function closeMajorHazardTask(ctx: Ctx, hazard: HazardRow, note: string | null): Promise<void> {
  if (hazard.severity !== 'major') return;
  await completeLinkedTask(ctx, {
    source: 'hazard',
    sourceId: hazard.id,
    ownerUnitId: hazard.responsible_unit_id,
    text: `隐患整改已验收销号${note ? `：${note}` : ''}`,
  });
}

/** The 督办 task of a hazard (the first one), for its page. */
export async function hazardTask(ctx: Ctx, hazardId: string) {
  const [t] = await linkedTasks(ctx, 'hazard', [hazardId]);
  return t ? { id: t.id, status: t.status } : null;
}

// a hazard's task links back to the hazard's page
linkTaskSource('hazard', async (_ctx, hazardId) => `/inspections/hazards/${hazardId}`);
