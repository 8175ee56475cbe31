import { isOfficeKind, type UnitRef } from '../../floor/context.js';

/**
 * Who acts for whom (API contract): a user of a party office, government office, duty room or confidential
 * bureau acts for its area; a department, emergency office or enterprise acts for itself; an area for itself.
 */
export function actingUnitIdOf(unit: { id: string; kind: string; parentId: string | null }): string {
  return isOfficeKind(unit.kind) && unit.parentId ? unit.parentId : unit.id;
}

/** The area a unit belongs to: itself for an area, its parent area otherwise. */
export function areaIdOf(unit: { id: string; kind: string; parentId: string | null }): string {
  return unit.kind === 'area' || !unit.parentId ? unit.id : unit.parentId;
}

/** Whether `unit` lies in the subtree of `rootId` (inclusive). */
export function inSubtree(unit: Pick<UnitRef, 'path'>, rootId: string): boolean {
  return unit.path.includes(rootId);
}
