import { type Actor, isOfficeKind, type Role } from '../../floor/context.js';
import { definePolicy } from '../../floor/policy.js';
import { isGlobalAdmin } from '../auth/policy.js';

/** Who issues supervised tasks: editors, leaders and principals of an area's offices (acting for the area). */
export const ISSUER_ROLES: readonly Role[] = ['editor', 'leader', 'principal'];

/** What the rules look at on a task: the owner's unit path, the owner, the issuing area. */
export interface TaskResource {
  ownerUnitId: string;
  ownerPath: string[];
  issuerUnitId: string;
  issuerPath: string[];
  done: boolean;
}

const issuesForArea = (a: Actor) => isOfficeKind(a.unit.kind);

/** A task is seen by its owner and the areas above it (the issuing area among them); a sibling sees nothing. */
export const seesTask = (a: Actor, t: Pick<TaskResource, 'ownerPath'>) =>
  isGlobalAdmin(a) || t.ownerPath.includes(a.acting.id);

/**
 * 督查督办. `issue`: a person in an office of an area with an issuing role, to a unit in that area's subtree.
 * `progress`: users of the owner unit (an office acts for its area). `reopen`: the issuing area's issuers, on a
 * done task. `view`/`list`: the owner and the areas above it; lists are filtered in SQL by the same rule.
 */
export const tasksPolicy = definePolicy('tasks', {
  list: { roles: 'signed-in' },
  view: { roles: 'signed-in', allow: (a: Actor, t: TaskResource) => seesTask(a, t) },
  issue: {
    roles: ISSUER_ROLES,
    allow: (a: Actor, owner: { ownerPath: string[] } | null) =>
      issuesForArea(a) && (!owner || owner.ownerPath.includes(a.acting.id)),
  },
  progress: {
    roles: 'signed-in',
    allow: (a: Actor, t: TaskResource) =>
      a.acting.id === t.ownerUnitId && !a.roles.every((r) => r === 'auditor'),
  },
  reopen: {
    roles: ISSUER_ROLES,
    allow: (a: Actor, t: TaskResource) => issuesForArea(a) && a.acting.id === t.issuerUnitId && t.done,
  },
  viewCollection: {
    roles: 'signed-in',
    allow: (a: Actor, c: { issuerPath: string[] }) => isGlobalAdmin(a) || c.issuerPath.includes(a.acting.id),
  },
});

export const TASK_ACTIONS = ['progress', 'reopen'] as const;
