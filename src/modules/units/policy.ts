import type { Actor, Role } from '../../floor/context.js';
import { definePolicy } from '../../floor/policy.js';
import { inScope, isGlobalAdmin } from '../auth/policy.js';

/**
 * Units and people (SPEC §1): everyone sees the units of the tree around them; administrators (`admin`) manage
 * units and people of their own subtree; a unit's principal keeps its 三级责任人 list beside them.
 */
type InTree = { path: string[] };

const adminOver = (a: Actor, r: InTree) => inScope(a, r.path);

export const unitsPolicy = definePolicy('units', {
  /** the unit list and a unit, the division table, staffing and defects of one's subtree */
  read: { roles: 'signed-in' },
  /** a new unit; where it goes (the parent) is judged by `edit` on the parent */
  create: { roles: ['admin'] },
  edit: { roles: ['admin'], allow: adminOver },
  /** a unit with no parent (a new tree top): the root administrator only */
  createRoot: {
    roles: ['admin'],
    allow: (a: Actor, _r: null) => isGlobalAdmin(a),
    deny: { code: 'root_needs_global_admin' },
  },
  import: { roles: ['admin'] },
  export: { roles: ['admin'] },
  fromDivision: { roles: ['admin'] },
  /** the 三级责任人 list: an administrator over the unit, or the unit's own principal */
  keepResponsible: {
    roles: ['admin', 'principal'],
    allow: (a: Actor, u: InTree & { id: string }) =>
      (a.roles.includes('admin') && inScope(a, u.path)) ||
      (a.roles.includes('principal') && (a.acting.id === u.id || a.unitId === u.id)),
  },
});

/** Every role but the read-only auditor may look people up (rosters, responsible persons, forwarding). */
export const PEOPLE_READERS = [
  'admin',
  'leader',
  'editor',
  'duty_officer',
  'duty_leader',
  'principal',
  'approver',
  'reporter',
] as const satisfies readonly Role[];

export const usersPolicy = definePolicy('users', {
  list: { roles: PEOPLE_READERS },
  create: { roles: ['admin'], allow: adminOver },
  edit: { roles: ['admin'], allow: adminOver },
  resetPassword: { roles: ['admin'], allow: adminOver },
  unlock: { roles: ['admin'], allow: adminOver },
  import: { roles: ['admin'] },
  export: { roles: ['admin'] },
});
