import { type Actor, isOfficeKind, type Role } from '../../floor/context.js';
import { definePolicy } from '../../floor/policy.js';
import { isGlobalAdmin } from '../auth/policy.js';

/**
 * Who may do what in 一网五库 — deny by default; routes declare these actions, answers carry `can`.
 *
 * - **Registers and plans are kept** by `editor`s and `admin`s of the owning unit (an office acts for its area;
 *   the root administrator for every unit).
 * - **Read**: an entry is readable by the owner's county-level area (its whole subtree) and by the areas above
 *   the owner; a sibling county sees nothing (lists filtered in SQL, a single record 404). Contact phones only
 *   for people of offices and duty rooms (who may read the entry) and the keepers.
 * - **Stock moves** (in / out / transfer / loss) by the warehouse's keepers; **dispatch to an event** by a
 *   `principal`, `duty_leader` or `duty_officer` acting for the warehouse's owner or the owner's area; anyone
 *   who works on an event (not the administrator or the auditor) may request supplies, and those dispatchers
 *   approve (which dispatches) or decline the request.
 * - **Revisions** are drafted and sent to review by the keepers, and published by a `leader` or `principal`
 *   acting for the plan owner's area (or the owner).
 * - **A plan is activated** by a `leader`, `principal` or `duty_leader` acting for the plan owner's area (or the
 *   owner itself) — never a township for a county plan.
 */

export const KEEPER_ROLES: readonly Role[] = ['editor', 'admin'];
export const DISPATCH_ROLES: readonly Role[] = ['principal', 'duty_leader', 'duty_officer'];
export const ACTIVATE_ROLES: readonly Role[] = ['leader', 'principal', 'duty_leader'];

/** What the rules look at on a register entry or a plan: its owner and the owner's area. */
export interface OwnedRef {
  unitId: string;
  /** the area of the owner (the owner itself when it is an area) */
  areaId: string;
}

const keeps = (a: Actor, r: OwnedRef) => isGlobalAdmin(a) || a.acting.id === r.unitId;

export const resourcesPolicy = definePolicy('resources', {
  read: { roles: 'signed-in' },
  keep: { roles: KEEPER_ROLES, allow: keeps },
  moveStock: { roles: KEEPER_ROLES, allow: keeps },
  dispatch: {
    roles: DISPATCH_ROLES,
    allow: (a: Actor, w: OwnedRef) => a.acting.id === w.unitId || a.acting.id === w.areaId,
  },
  /** a unit that may not dispatch asks for supplies for an event it sees (the warehouse's dispatchers decide) */
  requestSupplies: {
    roles: ['reporter', 'approver', 'principal', 'duty_officer', 'duty_leader', 'editor', 'leader'],
  },
  /** not a route: whether an answer shows the contact phones */
  seePhones: {
    roles: 'signed-in',
    allow: (a: Actor, r: OwnedRef) =>
      isOfficeKind(a.unit.kind) ||
      a.acting.id === r.unitId ||
      (a.roles.some((x) => KEEPER_ROLES.includes(x)) && keeps(a, r)),
  },
});

export const plansPolicy = definePolicy('plans', {
  read: { roles: 'signed-in' },
  create: { roles: KEEPER_ROLES, allow: keeps },
  activate: {
    roles: ACTIVATE_ROLES,
    allow: (a: Actor, p: OwnedRef) => a.acting.id === p.areaId || a.acting.id === p.unitId,
  },
  /** a reviewed revision is published (审定) by a leader or principal of the owner's area */
  publish: {
    roles: ['leader', 'principal'],
    allow: (a: Actor, p: OwnedRef) => a.acting.id === p.areaId || a.acting.id === p.unitId,
  },
});
