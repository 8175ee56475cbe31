import type { Actor } from '../../floor/context.js';
import { definePolicy } from '../../floor/policy.js';
import { inScope } from '../auth/policy.js';

/**
 * 零报告 (SPEC §3): an administrator declares the periods of their subtree; a unit's reporting staff send its
 * daily zero report; everyone sees the periods above and below them (scoped in SQL; another tree's is 404).
 */
export const timelinessPolicy = definePolicy('timeliness', {
  read: { roles: 'signed-in' },
  declarePeriod: { roles: ['admin'], allow: (a: Actor, root: { path: string[] }) => inScope(a, root.path) },
  /** a unit's reporting staff (a level's leader reads and instructs; the administrator administers) */
  sendZeroReport: {
    roles: ['reporter', 'editor', 'duty_officer', 'duty_leader', 'approver', 'principal'],
  },
});
