import type { Actor } from '../../floor/context.js';
import { definePolicy } from '../../floor/policy.js';
import { inScope } from '../auth/policy.js';

/**
 * Duty (SPEC §1, §5): duty officers keep the duty log, leaders on duty decide; rosters are kept by a unit's duty
 * staff (and its principal and administrators) and by those above it. Everyone signed in sees the rosters and
 * the on-duty board of the tree around them (lists are scoped in SQL; a unit outside the subtree is 404).
 */
export const MANAGER_ROLES = ['admin', 'duty_leader', 'duty_officer', 'principal'] as const;
/** Who decides a swap: the duty leader, the principal, an administrator (not the duty officer asking). */
export const SWAP_DECIDERS = ['admin', 'duty_leader', 'principal'] as const;

type InTree = { path: string[] };
type Shift = { officer_id: string | null; leader_id: string | null };

const keeps = (a: Actor, unit: InTree) =>
  inScope(a, unit.path) && MANAGER_ROLES.some((r) => a.roles.includes(r));
const onShift = (a: Actor, s: Shift) => s.officer_id === a.id || s.leader_id === a.id;

export const dutyPolicy = definePolicy('duty', {
  /** rosters, settings, the board, the directory, shifts, swaps and spot checks of one's tree */
  read: { roles: 'signed-in' },
  /** settings and shifts of a unit's roster */
  edit: { roles: MANAGER_ROLES, allow: (a: Actor, unit: InTree) => inScope(a, unit.path) },
  /** 报备 a holiday roster upward */
  publish: { roles: MANAGER_ROLES, allow: (a: Actor, unit: InTree) => inScope(a, unit.path) },
  /** the person on the shift asks to be replaced, or a swap decider asks for them */
  requestSwap: {
    roles: 'signed-in',
    allow: (a: Actor, s: { currentId: string | null }) =>
      s.currentId === a.id || SWAP_DECIDERS.some((r) => a.roles.includes(r)),
  },
  decideSwap: { roles: SWAP_DECIDERS, allow: keeps },
  /** deciding a swap one asked for oneself: the administrator only */
  decideOwnSwap: { roles: ['admin'] },
  checkIn: {
    roles: 'signed-in',
    allow: onShift,
    deny: { code: 'duty_not_on_shift' },
  },
  /** the duty log of a shift: those on it, or the roster's keepers */
  log: {
    roles: 'signed-in',
    allow: (a: Actor, r: { shift: Shift; unit: InTree }) => onShift(a, r.shift) || keeps(a, r.unit),
  },
  closeItem: { roles: MANAGER_ROLES, allow: (a: Actor, unit: InTree) => inScope(a, unit.path) },
  /** the outgoing officer hands over, or a keeper of the roster for them */
  handOver: {
    roles: 'signed-in',
    allow: (a: Actor, r: { shift: Shift; unit: InTree }) => r.shift.officer_id === a.id || keeps(a, r.unit),
  },
  confirmHandover: { roles: 'signed-in', allow: onShift, deny: { code: 'duty_not_incoming' } },
  /** 查岗 of a lower duty room */
  startSpotCheck: { roles: ['duty_officer', 'duty_leader', 'leader', 'admin'] },
  /** whoever was called, or the checked room's own duty staff */
  answerSpotCheck: {
    roles: 'signed-in',
    allow: (a: Actor, r: { notified: string[]; targetId: string }) =>
      r.notified.includes(a.id) ||
      (a.unitId === r.targetId && (a.roles.includes('duty_officer') || a.roles.includes('duty_leader'))),
  },
});
